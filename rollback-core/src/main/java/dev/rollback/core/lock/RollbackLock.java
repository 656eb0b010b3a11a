package dev.rollback.core.lock;

import dev.rollback.core.internal.FileRollbackLock;
import dev.rollback.core.internal.InProcessRollbackLock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Makes sure only one rollback per service runs at a time. A lease carries the holder's run id,
 * owner, start time and a TTL, so the lock of a holder that died expires and can be taken over.
 *
 * @since 0.1.0
 */
public interface RollbackLock {

  /**
   * Takes the service's lock, or fails at once.
   *
   * @param service the service
   * @param runId the run taking it
   * @param owner who runs it (host, process, user)
   * @param ttl how long the lease lasts without renewal
   * @return the lease
   * @throws dev.rollback.core.RollbackInProgressException naming the holder when a live lease exists
   */
  LockLease acquire(String service, String runId, String owner, Duration ttl);

  /**
   * @param service the service
   * @return the current holder, if a lease exists (it may have expired)
   */
  Optional<LockHolder> holder(String service);

  /**
   * @param clock the clock leases are measured on
   * @return a lock that excludes runs in this JVM (a new, empty table)
   */
  static RollbackLock inProcess(Clock clock) {
    return new InProcessRollbackLock(clock);
  }

  /**
   * @param folder where lock files go ({@code <service>.lock}); created if missing
   * @param clock the clock leases are measured on
   * @return a lock that excludes runs in every process that shares the folder
   */
  static RollbackLock directory(Path folder, Clock clock) {
    return new FileRollbackLock(folder, clock);
  }
}
