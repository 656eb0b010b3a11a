package dev.rollback.core;

/**
 * How a run ended.
 *
 * @since 0.1.0
 */
public enum RunOutcome {
  /** Every step succeeded, skipped or warned (warnings are listed in the result). */
  SUCCEEDED,
  /**
   * Every step finished, but a step reported the service degraded after the rollback (a gate
   * breached in the watch window); the result's warnings say what. Nothing was compensated.
   */
  DEGRADED,
  /** A step failed and the run aborted; completed steps were compensated. */
  FAILED,
  /** The run was cancelled; completed steps were compensated. */
  CANCELLED,
  /**
   * Nothing to do: the current version already is the target, or the assessment found the service
   * healthy.
   */
  NO_ACTION,
  /** The assessment decided against a rollback: fix forward instead (the result says why). */
  FORWARD_FIX,
  /**
   * The run was resumed, but an interrupted step that is not idempotent needs an operator's
   * decision; see {@link ResumeDecision}.
   */
  AWAITING_OPERATOR
}
