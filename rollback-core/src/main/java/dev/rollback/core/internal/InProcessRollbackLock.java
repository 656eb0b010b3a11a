package dev.rollback.core.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackInProgressException;
import dev.rollback.core.lock.LockHolder;
import dev.rollback.core.lock.LockLease;
import dev.rollback.core.lock.RollbackLock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Excludes runs within one JVM: a table of leases guarded by this object's monitor. */
public final class InProcessRollbackLock implements RollbackLock {
  private final Clock clock;
  private final Map<String, LockHolder> holders = new HashMap<>();

  /** @param clock the clock leases are measured on */
  public InProcessRollbackLock(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized LockLease acquire(String service, String runId, String owner, Duration ttl) {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "lock ttl must be positive, but was " + ttl + ": give e.g. Duration.ofMinutes(2)");
    }
    Instant now = clock.instant();
    LockHolder current = holders.get(service);
    if (current != null && !current.expiredAt(now) && !current.runId().equals(runId)) {
      throw new RollbackInProgressException(service, current.runId(), current.owner(), current.acquiredAt(), current.expiresAt());
    }
    LockHolder mine = new LockHolder(service, runId, owner, now, now.plus(ttl));
    holders.put(service, mine);
    return new Lease(mine, ttl);
  }

  @Override
  public synchronized Optional<LockHolder> holder(String service) {
    return Optional.ofNullable(holders.get(service));
  }

  private final class Lease implements LockLease {
    private LockHolder holder;
    private final Duration ttl;
    private boolean closed;

    Lease(LockHolder holder, Duration ttl) {
      this.holder = holder;
      this.ttl = ttl;
    }

    @Override
    public LockHolder holder() {
      synchronized (InProcessRollbackLock.this) {
        return holder;
      }
    }

    @Override
    public void renew() {
      synchronized (InProcessRollbackLock.this) {
        LockHolder current = holders.get(holder.service());
        if (closed || current != holder) {
          throw new RollbackException(
              ErrorCode.LOCK_FAILURE,
              "lock of '" + holder.service() + "' for run " + holder.runId() + " was lost"
                  + (closed ? " (the lease was closed)" : current == null ? "" : "; now held by run " + current.runId()));
        }
        holder = new LockHolder(holder.service(), holder.runId(), holder.owner(), holder.acquiredAt(), clock.instant().plus(ttl));
        holders.put(holder.service(), holder);
      }
    }

    @Override
    public void close() {
      synchronized (InProcessRollbackLock.this) {
        if (!closed && holders.get(holder.service()) == holder) {
          holders.remove(holder.service());
        }
        closed = true;
      }
    }
  }
}
