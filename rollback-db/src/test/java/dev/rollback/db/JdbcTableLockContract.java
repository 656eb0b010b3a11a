package dev.rollback.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackInProgressException;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.Step;
import dev.rollback.core.StepResult;
import dev.rollback.core.lock.LockHolder;
import dev.rollback.core.lock.LockLease;
import dev.rollback.core.lock.RollbackLock;
import dev.rollback.testkit.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code JdbcTableLock} held to core's lock semantics (the cases of core's {@code RollbackLockTest})
 * with two connections racing for one row. Run on H2 and the real PostgreSQL.
 */
abstract class JdbcTableLockContract {
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  abstract ConnectionSource database();

  String prefix;

  @BeforeEach
  void newTables() {
    prefix = "k" + PREFIXES.incrementAndGet() + "_";
  }

  /** @return a lock on the shared table, through its own connection source (another process) */
  RollbackLock lock(Clock clock) {
    ConnectionSource own = () -> database().open();
    return JdbcStores.builder(own).tablePrefix(prefix).build().tableLock(clock);
  }

  @Test
  void ofTwoThreadsOnTwoConnectionsExactlyOneWinsTheLoserIsToldWhoHoldsItAndReleaseLetsItIn() throws Exception {
    RollbackLock a = lock(Clock.systemUTC());
    RollbackLock b = lock(Clock.systemUTC());
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Callable<Object>> racers = List.of(
          () -> race(start, a, "run-a", "host-a:101"),
          () -> race(start, b, "run-b", "host-b:202"));
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> f : pool.invokeAll(racers, 60, TimeUnit.SECONDS)) {
        outcomes.add(f.get());
      }

      List<LockLease> leases = outcomes.stream().filter(LockLease.class::isInstance).map(LockLease.class::cast).toList();
      List<RollbackInProgressException> refused =
          outcomes.stream().filter(RollbackInProgressException.class::isInstance).map(RollbackInProgressException.class::cast).toList();
      assertThat(leases).hasSize(1);
      assertThat(refused).hasSize(1);
      LockHolder winner = leases.get(0).holder();
      RollbackInProgressException loser = refused.get(0);
      assertThat(loser.holderRunId()).isEqualTo(winner.runId());
      assertThat(loser.holderOwner()).isEqualTo(winner.owner());
      assertThat(loser.getMessage()).contains("a rollback of 'checkout' is already in progress: run " + winner.runId() + " by " + winner.owner());
      assertThat(a.holder("checkout")).hasValueSatisfying(h -> assertThat(h.runId()).isEqualTo(winner.runId()));

      leases.get(0).close();
      assertThat(b.holder("checkout")).isEmpty();
      String loserRun = winner.runId().equals("run-a") ? "run-b" : "run-a";
      try (LockLease second = (winner.runId().equals("run-a") ? b : a).acquire("checkout", loserRun, "again", Duration.ofSeconds(30))) {
        assertThat(second.holder().runId()).isEqualTo(loserRun);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static Object race(CyclicBarrier start, RollbackLock lock, String run, String owner) throws Exception {
    start.await(30, TimeUnit.SECONDS);
    try {
      return lock.acquire("checkout", run, owner, Duration.ofSeconds(30));
    } catch (RollbackInProgressException e) {
      return e;
    }
  }

  @Test
  void aLeaseWhoseHolderStoppedRenewingIsTakenOverAfterItsTtlOnTheRunsClock() {
    ManualClock clock = ManualClock.create();
    RollbackLock lock = lock(clock);
    lock.acquire("checkout", "dead-run", "host-a:4242", Duration.ofSeconds(30)); // never renewed, never closed

    clock.advance(Duration.ofSeconds(29));
    assertThatThrownBy(() -> lock(clock).acquire("checkout", "new-run", "host-b:1", Duration.ofSeconds(30)))
        .isInstanceOfSatisfying(RollbackInProgressException.class, e -> {
          assertThat(e.holderSince()).isEqualTo(ManualClock.DEFAULT_START);
          assertThat(e.getMessage()).contains("run dead-run by host-a:4242").contains("lease until 2026-01-01T00:00:30Z");
        });

    clock.advance(Duration.ofSeconds(1));
    LockLease taken = lock(clock).acquire("checkout", "new-run", "host-b:1", Duration.ofSeconds(30));

    assertThat(taken.holder()).isEqualTo(new LockHolder("checkout", "new-run", "host-b:1", clock.instant(), clock.instant().plusSeconds(30)));
    assertThat(lock.holder("checkout")).hasValue(taken.holder());
  }

  @Test
  void aLeaseThatWasTakenOverCannotBeRenewedOrReleasedByItsOldHolder() {
    ManualClock clock = ManualClock.create();
    LockLease old = lock(clock).acquire("checkout", "slow-run", "a", Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(11));
    lock(clock).acquire("checkout", "new-run", "b", Duration.ofSeconds(10));

    assertThatThrownBy(old::renew)
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCK_FAILURE))
        .hasMessageContaining("lock of 'checkout' for run slow-run was lost; now held by run new-run");
    old.close();
    assertThat(lock(clock).holder("checkout")).hasValueSatisfying(h -> assertThat(h.runId()).isEqualTo("new-run"));
  }

  @Test
  void renewingMovesTheExpiryForwardAndTheSameRunMayTakeItsLockAgain() {
    ManualClock clock = ManualClock.create();
    RollbackLock lock = lock(clock);
    LockLease lease = lock.acquire("checkout", "r1", "a", Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(20));
    lease.renew();
    clock.advance(Duration.ofSeconds(20));

    assertThatThrownBy(() -> lock.acquire("checkout", "r2", "b", Duration.ofSeconds(30))).isInstanceOf(RollbackInProgressException.class);
    assertThat(lease.holder().expiresAt()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(50));
    assertThat(lock.holder("checkout")).hasValue(lease.holder());

    // A resumed run (same run id) takes its own live lock again.
    LockLease resumed = lock(clock).acquire("checkout", "r1", "a-after-restart", Duration.ofSeconds(30));
    assertThat(resumed.holder().owner()).isEqualTo("a-after-restart");
    resumed.close();
    assertThat(lock.holder("checkout")).isEmpty();
    assertThatThrownBy(lease::renew).hasMessageContaining("lock of 'checkout' for run r1 was lost");
  }

  @Test
  void ofFourConcurrentRunsForOneServiceExactlyOneRunsAndThreeAreRefused() throws Exception {
    AtomicInteger executions = new AtomicInteger();
    CountDownLatch refusals = new CountDownLatch(3);
    RollbackPlan plan = RollbackPlan.builder("checkout").currentVersion("v2").target("v1")
        .step(Step.builder("rollback", Phase.PLATFORM_ROLLBACK).execute(ctx -> {
          executions.incrementAndGet();
          if (!refusals.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the other runs were not refused");
          }
          return StepResult.succeeded();
        }).build())
        .build();
    CyclicBarrier start = new CyclicBarrier(4);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<RollbackInProgressException> refused = Collections.synchronizedList(new ArrayList<>());
    List<Future<RollbackResult>> futures = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      RollbackRunner runner = RollbackRunner.builder().lock(lock(Clock.systemUTC())).build();
      futures.add(pool.submit(() -> {
        start.await(10, TimeUnit.SECONDS);
        try {
          return runner.run(plan);
        } catch (RollbackInProgressException e) {
          refused.add(e);
          refusals.countDown();
          return null;
        }
      }));
    }
    List<RollbackResult> results = new ArrayList<>();
    for (Future<RollbackResult> f : futures) {
      RollbackResult r = f.get(60, TimeUnit.SECONDS);
      if (r != null) {
        results.add(r);
      }
    }
    pool.shutdown();

    assertThat(results).singleElement().satisfies(r -> assertThat(r.outcome()).isEqualTo(RunOutcome.SUCCEEDED));
    assertThat(executions).hasValue(1);
    assertThat(refused).hasSize(3).allSatisfy(e -> assertThat(e.holderRunId()).isEqualTo(results.get(0).runId()));
    assertThat(lock(Clock.systemUTC()).holder("checkout")).isEmpty();
  }

  @Test
  void badArgumentsAreNamedTogether() {
    assertThatThrownBy(() -> lock(Clock.systemUTC()).acquire(" ", "", "me", Duration.ZERO))
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.problems()).containsExactly(
            "service must be 1 to 200 characters, but was ' '",
            "runId must be 1 to 200 characters, but was ''",
            "lock ttl must be positive, but was PT0S: give e.g. Duration.ofMinutes(2)"));
  }
}
