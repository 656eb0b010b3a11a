package dev.rollback.core.journal;

/**
 * The kinds of journal entries.
 *
 * @since 0.1.0
 */
public enum JournalEntryType {
  /** The run started; data holds service, versions and the plan's step ids. */
  RUN_STARTED,
  /** The run was resumed from this journal. */
  RUN_RESUMED,
  /** A step attempt started; written durably before the step touches anything. */
  STEP_STARTED,
  /** A step completed; data holds its status and message, facts and shared attributes. */
  STEP_COMPLETED,
  /** A step attempt failed; data holds the error and what happens next. */
  STEP_FAILED,
  /** An operator decided about a failed or interrupted step. */
  OPERATOR_DECISION,
  /** The run aborts; compensation follows. */
  RUN_ABORTING,
  /** A completed step's compensation ended (outcome in data). */
  STEP_COMPENSATED,
  /** A step recorded a timeline entry. */
  TIMELINE,
  /** The run waits for an operator's decision about an interrupted step. */
  RUN_AWAITING_OPERATOR,
  /** The run ended; data holds the outcome. */
  RUN_FINISHED
}
