package dev.rollback.core.lock;

import java.time.Instant;
import java.util.Objects;

/**
 * Who holds a service's lock.
 *
 * @param service the service
 * @param runId the run that holds it
 * @param owner who started the run (host, process, user)
 * @param acquiredAt when the run took the lock
 * @param expiresAt when the lease expires unless renewed; after that another run may take over
 * @since 0.1.0
 */
public record LockHolder(String service, String runId, String owner, Instant acquiredAt, Instant expiresAt) {
  /** Checks the components. */
  public LockHolder {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(acquiredAt, "acquiredAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /**
   * @param now the current time
   * @return whether the lease has expired at that time
   */
  public boolean expiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
