package dev.rollback.core.decision;

/**
 * What to do about a bad deploy.
 *
 * @since 0.1.0
 */
public enum Verdict {
  /** Go back to the stable target. */
  ROLLBACK,
  /** Do not roll back; fix forward (for example because migrations cannot be undone). */
  FORWARD_FIX,
  /** Nothing is wrong enough to act. */
  NO_ACTION
}
