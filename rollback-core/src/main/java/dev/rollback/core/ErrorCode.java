package dev.rollback.core;

/**
 * What went wrong, as a stable code that callers can switch on. Every {@link RollbackException}
 * carries one.
 *
 * @since 0.1.0
 */
public enum ErrorCode {
  /** A plan or a configuration object was built from bad input; the message lists every problem. */
  INVALID_CONFIGURATION,
  /** A strategy name has no provider on the classpath. */
  UNKNOWN_STRATEGY,
  /** Two providers claim one name at one priority. */
  DUPLICATE_PROVIDER,
  /** Another run holds the lock for the service. */
  ROLLBACK_IN_PROGRESS,
  /** The lock store could not be read or written. */
  LOCK_FAILURE,
  /** The journal could not be read or written durably. */
  JOURNAL_FAILURE,
  /** The journal of a run does not match the plan given to resume it. */
  JOURNAL_MISMATCH,
  /** No journal exists for the run id given. */
  RUN_NOT_FOUND,
  /** The run cannot be resumed (it finished, or the decision given does not apply). */
  RESUME_NOT_POSSIBLE,
  /** The run was cancelled. */
  CANCELLED,
  /** A version probe or target selector could not answer. */
  VERSION_RESOLUTION_FAILED,
  /** A version does not exist, is not reachable, is not deployable, or was never stable. */
  VERSION_REJECTED,
  /** A git repository could not be opened, cloned or fetched. */
  REPOSITORY_FAILURE,
  /** Validation after the rollback failed: a health suite or a metric gate. */
  VALIDATION_FAILED,
  /**
   * A database backup could not be taken or verified (nothing after it ran), or a restore from one
   * failed.
   */
  BACKUP_FAILED,
  /** A migration tool could not read its status or take the schema back (the message names the command, its exit code and output). */
  MIGRATION_FAILED
}
