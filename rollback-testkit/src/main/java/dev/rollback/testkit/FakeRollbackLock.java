package dev.rollback.testkit;

import dev.rollback.core.RollbackInProgressException;
import dev.rollback.core.lock.LockHolder;
import dev.rollback.core.lock.LockLease;
import dev.rollback.core.lock.RollbackLock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
  private final RollbackLock table;
  private final List<LockHolder> acquisitions = new ArrayList<>();
  private final List<LockHolder> renewals = new ArrayList<>();
  private final List<LockHolder> releases = new ArrayList<>();

  /**
   * Creates an empty lock table. It is core's in-process lock on the given clock, with every
   * acquisition, renewal and release recorded.
   *
   * @param clock the clock leases are measured on
   */
  public FakeRollbackLock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock must not be null: pass the test's ManualClock");
    this.table = RollbackLock.inProcess(clock);
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
    table.acquire(service, runId, owner, ttl);
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
    LockLease lease = table.acquire(service, runId, owner, ttl);
    acquisitions.add(lease.holder());
    return new Lease(lease);
  }

  /**
   * @param service the service
   * @return the current holder, if a lease exists (it may have expired)
   */
  @Override
  public synchronized Optional<LockHolder> holder(String service) {
    return table.holder(service);
  }

  /**
   * @param service the service
   * @return whether a lease exists for it that has not expired on the clock
   */
  public synchronized boolean isHeld(String service) {
    return table.holder(service).filter(h -> !h.expiredAt(clock.instant())).isPresent();
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

  /** @return the lock table */
  @Override
  public synchronized String toString() {
    return "FakeRollbackLock[" + acquisitions.size() + " acquisitions, " + releases.size() + " releases]";
  }

  private final class Lease implements LockLease {
    private final LockLease delegate;

    Lease(LockLease delegate) {
      this.delegate = delegate;
    }

    @Override
    public LockHolder holder() {
      return delegate.holder();
    }

    @Override
    public void renew() {
      synchronized (FakeRollbackLock.this) {
        delegate.renew();
        renewals.add(delegate.holder());
      }
    }

    @Override
    public void close() {
      synchronized (FakeRollbackLock.this) {
        LockHolder mine = delegate.holder();
        boolean held = table.holder(mine.service()).map(h -> h.equals(mine)).orElse(false);
        delegate.close();
        if (held && table.holder(mine.service()).isEmpty()) {
          releases.add(mine);
        }
      }
    }
  }
}
