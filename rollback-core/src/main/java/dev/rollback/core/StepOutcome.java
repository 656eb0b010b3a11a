package dev.rollback.core;

/**
 * How a step ended in a run, as the result records it.
 *
 * @since 0.1.0
 */
public enum StepOutcome {
  /** It succeeded. */
  SUCCEEDED,
  /** It had nothing to do, or an operator skipped it. */
  SKIPPED,
  /** It finished with a warning. */
  WARNED,
  /** It finished and reported the service degraded. */
  DEGRADED,
  /** It failed (the run aborted, or went on because of {@link FailureAction#CONTINUE}). */
  FAILED,
  /** It completed in an earlier attempt of this run (before a crash) and was not run again. */
  COMPLETED_EARLIER,
  /** The run ended before reaching it. */
  NOT_RUN;

  /**
   * @param status how a step that returned ended
   * @return the matching outcome
   */
  public static StepOutcome of(StepStatus status) {
    return switch (status) {
      case SUCCEEDED -> SUCCEEDED;
      case SKIPPED -> SKIPPED;
      case WARNED -> WARNED;
      case DEGRADED -> DEGRADED;
    };
  }
}
