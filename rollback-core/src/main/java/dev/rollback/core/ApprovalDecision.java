package dev.rollback.core;

import java.util.Objects;

/**
 * An operator's answer to an {@link ApprovalRequest}.
 *
 * @param action what to do with the failed step
 * @param decidedBy who decided (recorded in the journal and report)
 * @param reason why (recorded too)
 * @since 0.1.0
 */
public record ApprovalDecision(Action action, String decidedBy, String reason) {
  /** Checks the components. */
  public ApprovalDecision {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(decidedBy, "decidedBy");
    Objects.requireNonNull(reason, "reason");
  }

  /** What to do with the step that failed. */
  public enum Action {
    /** Run the step again. */
    RETRY,
    /** Go on without it; it is recorded as skipped (with the failure in its message) and a warning. */
    SKIP,
    /** Compensate the completed steps and stop. */
    ABORT
  }

  /**
   * @param by who decided
   * @param reason why
   * @return a decision to retry
   */
  public static ApprovalDecision retry(String by, String reason) {
    return new ApprovalDecision(Action.RETRY, by, reason);
  }

  /**
   * @param by who decided
   * @param reason why
   * @return a decision to skip
   */
  public static ApprovalDecision skip(String by, String reason) {
    return new ApprovalDecision(Action.SKIP, by, reason);
  }

  /**
   * @param by who decided
   * @param reason why
   * @return a decision to abort
   */
  public static ApprovalDecision abort(String by, String reason) {
    return new ApprovalDecision(Action.ABORT, by, reason);
  }
}
