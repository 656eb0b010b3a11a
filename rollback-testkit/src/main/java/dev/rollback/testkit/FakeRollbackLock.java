package dev.rollback.testkit;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackInProgressException;
import dev.rollback.core.lock.LockHolder;
import dev.rollback.core.lock.LockLease;
import dev.rollback.core.lock.RollbackLock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An in-memory {@link RollbackLock} that keeps the SPI's contract (one live lease per service; a
 * lease that expired on the clock may be taken over; renewing a lost lease fails) and remembers every
 * acquisition, renewal and release. It can be {@linkplain #heldBy pre-held} by another run, so a test
 * can check what a runbook does when a rollback is already in progress.
 *
 * <pre>{@code
 * FakeRollbackLock lock = new FakeRollbackLock(clock)
 *     .heldBy("checkout-api", "run-by-bob", "bob@deploy-2", Duration.ofMinutes(5));
 * assertThatThrownBy(() -> runner.run(plan))
 *     .isInstanceOf(RollbackInProgressException.class)
 *     .hasMessageContaining("run-by-bob");
 * }</pre>
 *
 * <p>Leases are measured on the given clock; with a {@link ManualClock} a test expires a lease by
 * advancing the clock past its TTL. Thread-safe.
 *
 * @since 0.1.0
 */
public final class FakeRollbackLock implements RollbackLock {
  private final Clock clock;
  private final Map<String, LockHolder> holders = new HashMap<>();
  private final List<LockHolder> acquisitions = new ArrayList<>();
  private final List<LockHolder> renewals = new ArrayList<>();
  private final List<LockHolder> releases = new ArrayList<>();

  /**
   * Creates an empty lock table.
   *
   * @param clock the clock leases are measured on
   */
  public FakeRollbackLock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock must not be null: pass the test's ManualClock");
  }

  /**
   * Makes another run hold the service's lock from now for the given TTL, as if it had acquired it.
   * This set-up is not recorded as an acquisition.
   *
   * @param service the service
   * @param runId the run that holds the lock
   * @param owner who runs it
   * @param ttl how long its lease lasts from now; positive
   * @return this lock
   */
  public synchronized FakeRollbackLock heldBy(String service, String runId, String owner, Duration ttl) {
    requirePositive(ttl);
    Instant now = clock.instant();
    holders.put(service, new LockHolder(service, runId, owner, now, now.plus(ttl)));
    return this;
  }

  /**
   * Takes the lock when nobody holds it, the holder's lease expired, or the same run holds it.
   *
   * @param service the service
   * @param runId the run taking it
   * @param owner who runs it
   * @param ttl how long the lease lasts without renewal
   * @return the lease
   * @throws RollbackInProgressException naming the holder when another run holds a live lease
   */
  @Override
  public synchronized LockLease acquire(String service, String runId, String owner, Duration ttl) {
    requirePositive(ttl);
    Instant now = clock.instant();
    LockHolder current = holders.get(service);
    if (current != null && !current.expiredAt(now) && !current.runId().equals(runId)) {
      throw new RollbackInProgressException(service, current.runId(), current.owner(), current.acquiredAt(), current.expiresAt());
    }
    LockHolder mine = new LockHolder(service, runId, owner, now, now.plus(ttl));
    holders.put(service, mine);
    acquisitions.add(mine);
    return new Lease(mine, ttl);
  }

  /**
   * @param service the service
   * @return the current holder, if a lease exists (it may have expired)
   */
  @Override
  public synchronized Optional<LockHolder> holder(String service) {
    return Optional.ofNullable(holders.get(service));
  }

  /**
   * @param service the service
   * @return whether a lease exists for it that has not expired on the clock
   */
  public synchronized boolean isHeld(String service) {
    LockHolder h = holders.get(service);
    return h != null && !h.expiredAt(clock.instant());
  }

  /** @return every successful {@link #acquire}, as the holder it created, in order */
  public synchronized List<LockHolder> acquisitions() {
    return List.copyOf(acquisitions);
  }

  /** @return every successful renewal, as the holder it wrote, in order */
  public synchronized List<LockHolder> renewals() {
    return List.copyOf(renewals);
  }

  /** @return every lease closed while it still held the lock, as its last holder, in order */
  public synchronized List<LockHolder> releases() {
    return List.copyOf(releases);
  }

  /** @return the current holders */
  @Override
  public synchronized String toString() {
    return "FakeRollbackLock" + holders.values();
  }

  private static void requirePositive(Duration ttl) {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, but was " + ttl + ": give e.g. Duration.ofMinutes(2)");
    }
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
      synchronized (FakeRollbackLock.this) {
        return holder;
      }
    }

    @Override
    public void renew() {
      synchronized (FakeRollbackLock.this) {
        LockHolder current = holders.get(holder.service());
        if (closed || current != holder) {
          throw new RollbackException(
              ErrorCode.LOCK_FAILURE,
              "lock of '" + holder.service() + "' for run " + holder.runId() + " was lost"
                  + (closed ? " (the lease was closed)" : current == null ? "" : "; now held by run " + current.runId()));
        }
        holder = new LockHolder(holder.service(), holder.runId(), holder.owner(), holder.acquiredAt(), clock.instant().plus(ttl));
        holders.put(holder.service(), holder);
        renewals.add(holder);
      }
    }

    @Override
    public void close() {
      synchronized (FakeRollbackLock.this) {
        if (!closed && holders.get(holder.service()) == holder) {
          holders.remove(holder.service());
          releases.add(holder);
        }
        closed = true;
      }
    }
  }
}
