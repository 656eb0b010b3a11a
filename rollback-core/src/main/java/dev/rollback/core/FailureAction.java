package dev.rollback.core;

/**
 * What the runner does when a step fails after its retries.
 *
 * @since 0.1.0
 */
public enum FailureAction {
  /** Compensate the completed steps in reverse order, then stop. The default. */
  ABORT,
  /** Record a warning and go on with the next step. */
  CONTINUE,
  /** Ask the {@link ApprovalGate} whether to retry, skip or abort; no answer in time aborts. */
  PAUSE
}
