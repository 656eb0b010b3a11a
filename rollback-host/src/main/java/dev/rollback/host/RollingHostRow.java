package dev.rollback.host;

import java.util.Objects;

/**
 * One row of a rolling run's status table.
 *
 * @param host the host, {@code user@host:port}
 * @param batch the batch it belongs to, from 1
 * @param status what happened
 * @param from the version its {@code current} pointed to before ("" when never read: untouched)
 * @param to the target version
 * @param reason why it failed or was untouched, or what was done
 * @since 0.1.0
 */
public record RollingHostRow(String host, int batch, RollingStatus status, String from, String to, String reason) {
  /** Checks the components. */
  public RollingHostRow {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(reason, "reason");
  }
}
