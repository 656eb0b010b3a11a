package dev.rollback.host;

/**
 * What a rolling run did to one host.
 *
 * @since 0.1.0
 */
public enum RollingStatus {
  /** The symlink points to the target, the restart and the health check passed, the host is back in. */
  SWITCHED,
  /** A step failed for this host; the reason says which. The host is left as the failure left it. */
  FAILED,
  /** The run stopped before this host; nothing was done to it (not even a connection). */
  UNTOUCHED
}
