package dev.rollback.core.release;

/**
 * How a release's time in production ended.
 *
 * @since 0.1.0
 */
public enum ReleaseOutcome {
  /** It is running now. */
  RUNNING,
  /** It ran and was replaced in the ordinary way. */
  STABLE,
  /** It failed in production (its deploy failed, or it was pulled). */
  FAILED,
  /** It was rolled back. */
  ROLLED_BACK
}
