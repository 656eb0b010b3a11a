package dev.rollback.core;

/**
 * How a run ended.
 *
 * @since 0.1.0
 */
public enum RunOutcome {
  /** Every step succeeded, skipped or warned (warnings are listed in the result). */
  SUCCEEDED,
  /** A step failed and the run aborted; completed steps were compensated. */
  FAILED,
  /** The run was cancelled; completed steps were compensated. */
  CANCELLED,
  /** Nothing to do: for example the current version already is the target. */
  NO_ACTION,
  /**
   * The run was resumed, but an interrupted step that is not idempotent needs an operator's
   * decision; see {@link ResumeDecision}.
   */
  AWAITING_OPERATOR
}
