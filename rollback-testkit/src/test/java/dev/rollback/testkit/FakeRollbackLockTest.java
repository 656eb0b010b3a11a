package dev.rollback.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackInProgressException;
import dev.rollback.core.lock.LockHolder;
import dev.rollback.core.lock.LockLease;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FakeRollbackLockTest {
  private static final Duration TTL = Duration.ofMinutes(2);

  private final ManualClock clock = ManualClock.create();
  private final FakeRollbackLock lock = new FakeRollbackLock(clock);

  @Test
  void refusesAnotherRunWhileTheLeaseIsLiveNamingTheHolder() {
    lock.acquire("checkout-api", "run-1", "alice@ci", TTL);
    clock.advance(Duration.ofMinutes(1));

    assertThatThrownBy(() -> lock.acquire("checkout-api", "run-2", "bob@ci", TTL))
        .isInstanceOfSatisfying(RollbackInProgressException.class, e -> {
          assertThat(e.holderRunId()).isEqualTo("run-1");
          assertThat(e.holderOwner()).isEqualTo("alice@ci");
          assertThat(e.holderSince()).isEqualTo(ManualClock.DEFAULT_START);
        });
    assertThat(lock.acquisitions()).extracting(LockHolder::runId).containsExactly("run-1");
  }

  @Test
  void keepsServicesApart() {
    lock.acquire("checkout-api", "run-1", "alice@ci", TTL);

    LockLease other = lock.acquire("payments-api", "run-2", "bob@ci", TTL);

    assertThat(other.holder().service()).isEqualTo("payments-api");
    assertThat(lock.isHeld("checkout-api")).isTrue();
    assertThat(lock.isHeld("payments-api")).isTrue();
  }

  @Test
  void letsTheSameRunTakeItAgain() {
    lock.acquire("checkout-api", "run-1", "alice@ci", TTL);

    LockLease again = lock.acquire("checkout-api", "run-1", "alice@ci", TTL);

    assertThat(again.holder().runId()).isEqualTo("run-1");
  }

  @Test
  void aLeaseThatExpiredOnTheClockCanBeTakenOver() {
    lock.heldBy("checkout-api", "crashed-run", "bob@ci", Duration.ofMinutes(5));
    assertThat(lock.isHeld("checkout-api")).isTrue();

    clock.advance(Duration.ofMinutes(5));
    LockLease lease = lock.acquire("checkout-api", "run-2", "alice@ci", TTL);

    assertThat(lock.isHeld("checkout-api")).isTrue();
    assertThat(lease.holder().acquiredAt()).isEqualTo(ManualClock.DEFAULT_START.plus(Duration.ofMinutes(5)));
    assertThat(lock.holder("checkout-api")).map(LockHolder::runId).contains("run-2");
  }

  @Test
  void aPreHeldLockIsNotRecordedAsAnAcquisition() {
    lock.heldBy("checkout-api", "other-run", "bob@ci", TTL);

    assertThat(lock.acquisitions()).isEmpty();
    assertThat(lock.holder("checkout-api")).map(LockHolder::owner).contains("bob@ci");
  }

  @Test
  void renewingExtendsTheLeaseFromNow() {
    LockLease lease = lock.acquire("checkout-api", "run-1", "alice@ci", TTL);
    clock.advance(Duration.ofMinutes(1));

    lease.renew();

    assertThat(lease.holder().expiresAt()).isEqualTo(ManualClock.DEFAULT_START.plus(Duration.ofMinutes(3)));
    assertThat(lease.holder().acquiredAt()).isEqualTo(ManualClock.DEFAULT_START);
    assertThat(lock.renewals()).containsExactly(lease.holder());
  }

  @Test
  void renewingALeaseAnotherRunTookOverFails() {
    LockLease lease = lock.acquire("checkout-api", "run-1", "alice@ci", TTL);
    clock.advance(Duration.ofMinutes(3));
    lock.acquire("checkout-api", "run-2", "bob@ci", TTL);

    assertThatThrownBy(lease::renew)
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCK_FAILURE))
        .hasMessageContaining("lock of 'checkout-api' for run run-1 was lost; now held by run run-2");
  }

  @Test
  void closingReleasesOnceAndIsRecorded() {
    LockLease lease = lock.acquire("checkout-api", "run-1", "alice@ci", TTL);

    lease.close();
    lease.close();

    assertThat(lock.isHeld("checkout-api")).isFalse();
    assertThat(lock.holder("checkout-api")).isEmpty();
    assertThat(lock.releases()).extracting(LockHolder::runId).containsExactly("run-1");
    assertThatThrownBy(lease::renew).isInstanceOf(RollbackException.class).hasMessageContaining("the lease was closed");
  }

  @Test
  void closingALostLeaseLeavesTheNewHolderAlone() {
    LockLease lost = lock.acquire("checkout-api", "run-1", "alice@ci", TTL);
    clock.advance(Duration.ofMinutes(3));
    lock.acquire("checkout-api", "run-2", "bob@ci", TTL);

    lost.close();

    assertThat(lock.holder("checkout-api")).map(LockHolder::runId).contains("run-2");
    assertThat(lock.releases()).isEmpty();
  }

  @Test
  void refusesANonPositiveTtl() {
    assertThatThrownBy(() -> lock.acquire("checkout-api", "run-1", "alice@ci", Duration.ZERO))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("ttl must be positive, but was PT0S");
    assertThatThrownBy(() -> lock.heldBy("checkout-api", "run-1", "alice@ci", Duration.ofSeconds(-1)))
        .isInstanceOf(RollbackException.class);
  }
}
