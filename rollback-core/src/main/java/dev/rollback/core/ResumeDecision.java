package dev.rollback.core;

import java.util.Objects;

/**
 * An operator's decision about a step that was interrupted by a crash and is not idempotent, given
 * to {@link RollbackRunner#resume(RollbackPlan, String, ResumeDecision)}.
 *
 * @param stepId the interrupted step
 * @param action what to do
 * @param decidedBy who decided
 * @param reason why
 * @since 0.1.0
 */
public record ResumeDecision(String stepId, Action action, String decidedBy, String reason) {
  /** Checks the components. */
  public ResumeDecision {
    Objects.requireNonNull(stepId, "stepId");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(decidedBy, "decidedBy");
    Objects.requireNonNull(reason, "reason");
  }

  /** What to do with the interrupted step. */
  public enum Action {
    /** Run the step again and continue. */
    CONTINUE,
    /** Treat the step as done (the operator checked its effect) and continue with the next. */
    SKIP,
    /** Compensate the completed steps and stop. */
    ABORT
  }

  /**
   * @param stepId the step
   * @param by who decided
   * @param reason why
   * @return a decision to run it again
   */
  public static ResumeDecision continueWith(String stepId, String by, String reason) {
    return new ResumeDecision(stepId, Action.CONTINUE, by, reason);
  }

  /**
   * @param stepId the step
   * @param by who decided
   * @param reason why
   * @return a decision to skip it
   */
  public static ResumeDecision skip(String stepId, String by, String reason) {
    return new ResumeDecision(stepId, Action.SKIP, by, reason);
  }

  /**
   * @param stepId the step
   * @param by who decided
   * @param reason why
   * @return a decision to abort the run
   */
  public static ResumeDecision abort(String stepId, String by, String reason) {
    return new ResumeDecision(stepId, Action.ABORT, by, reason);
  }
}
