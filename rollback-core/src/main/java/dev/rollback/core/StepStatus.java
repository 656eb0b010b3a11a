package dev.rollback.core;

/**
 * How a step that did not throw ended.
 *
 * @since 0.1.0
 */
public enum StepStatus {
  /** It did what it was for. */
  SUCCEEDED,
  /** There was nothing to do (for example the flag was already off). */
  SKIPPED,
  /** It finished, but something deserves a look; the message says what. */
  WARNED,
  /**
   * It finished, but the service it watches is degraded (a monitoring window saw a breach); the run
   * goes on and ends {@link RunOutcome#DEGRADED}.
   */
  DEGRADED
}
