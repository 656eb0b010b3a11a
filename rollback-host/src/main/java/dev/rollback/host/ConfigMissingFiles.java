package dev.rollback.host;

/**
 * What {@link ConfigRollback} does with a live config file that the target tag does not have (it
 * exists at the version being rolled back from, or is mapped by name, but not at the target).
 *
 * @since 0.1.0
 */
public enum ConfigMissingFiles {
  /** Leave the live file as it is (the default: never delete what may be hand-made). */
  KEEP,
  /** Remove the live file, after backing it up as {@code <name>.pre-rollback-<time>}. */
  REMOVE
}
