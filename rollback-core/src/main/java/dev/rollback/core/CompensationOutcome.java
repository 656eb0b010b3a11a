package dev.rollback.core;

/**
 * How one compensation ended.
 *
 * @since 0.1.0
 */
public enum CompensationOutcome {
  /** The step's effect was undone. */
  COMPENSATED,
  /** The step had nothing to undo. */
  NOTHING_TO_UNDO,
  /** The compensation threw; the failure is recorded and the other compensations still ran. */
  FAILED
}
