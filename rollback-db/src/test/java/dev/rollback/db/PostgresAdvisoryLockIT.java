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
import dev.rollback.db.internal.PostgresAdvisoryLock;
import dev.rollback.testkit.ManualClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code PostgresAdvisoryLock} on the real PostgreSQL 15: sessions, not TTLs, decide who holds a service. */
class PostgresAdvisoryLockIT {
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static PostgresTestDatabase pg;
  private static ConnectionSource source;

  private String prefix;

  @BeforeAll
  static void start() {
    pg = PostgresTestDatabase.create();
    source = PostgresStoreDatabase.source(pg);
  }

  @AfterAll
  static void stop() throws SQLException {
    PostgresStoreDatabase.close(pg);
  }

  @BeforeEach
  void newTables() {
    prefix = "a" + PREFIXES.incrementAndGet() + "_";
  }

  /** @return a lock on the shared holder table through a connection source of its own */
  private RollbackLock lock(Clock clock) {
    ConnectionSource own = () -> source.open();
    return JdbcStores.builder(own).tablePrefix(prefix).build().postgresAdvisoryLock(clock);
  }

  private static List<Integer> advisoryHolders(String service) throws SQLException {
    long key = PostgresAdvisoryLock.key(service);
    List<Integer> pids = new ArrayList<>();
    try (Connection c = source.open();
        PreparedStatement ps = c.prepareStatement("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1"
            + " AND classid::bigint = ? AND objid::bigint = ?")) {
      ps.setLong(1, key >>> 32);
      ps.setLong(2, key & 0xFFFFFFFFL);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          pids.add(rs.getInt(1));
        }
      }
    }
    return pids;
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
      assertThat(refused.get(0).holderRunId()).isEqualTo(winner.runId());
      assertThat(refused.get(0).holderOwner()).isEqualTo(winner.owner());
      assertThat(refused.get(0).getMessage())
          .contains("a rollback of 'checkout' is already in progress: run " + winner.runId() + " by " + winner.owner());
      assertThat(a.holder("checkout")).hasValue(winner);
      assertThat(advisoryHolders("checkout")).hasSize(1);

      leases.get(0).close();
      assertThat(advisoryHolders("checkout")).isEmpty();
      assertThat(b.holder("checkout")).isEmpty();
      String loserRun = winner.runId().equals("run-a") ? "run-b" : "run-a";
      try (LockLease second = (winner.runId().equals("run-a") ? b : a).acquire("checkout", loserRun, "again", Duration.ofSeconds(30))) {
        assertThat(second.holder().runId()).isEqualTo(loserRun);
        assertThat(a.holder("checkout")).hasValueSatisfying(h -> assertThat(h.runId()).isEqualTo(loserRun));
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
  void aHolderWhoseSessionEndedFreesTheLockAtOnceWithoutWaitingForItsTtl() throws Exception {
    ManualClock clock = ManualClock.create();
    LockLease dead = lock(clock).acquire("checkout", "dead-run", "host-a:4242", Duration.ofHours(1));
    assertThatThrownBy(() -> lock(clock).acquire("checkout", "new-run", "host-b:1", Duration.ofMinutes(2)))
        .isInstanceOf(RollbackInProgressException.class)
        .hasMessageContaining("run dead-run by host-a:4242");

    // The holding process dies: its database session ends (the server terminates the backend).
    List<Integer> pids = advisoryHolders("checkout");
    assertThat(pids).hasSize(1);
    try (Connection c = source.open(); PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
      ps.setInt(1, pids.get(0));
      ps.executeQuery().close();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!advisoryHolders("checkout").isEmpty()) {
      assertThat(System.nanoTime()).as("the terminated session let go of the lock").isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(20);
    }

    assertThat(lock(clock).holder("checkout")).as("a holder row without its session is no holder").isEmpty();
    LockLease taken = lock(clock).acquire("checkout", "new-run", "host-b:1", Duration.ofMinutes(2));
    assertThat(taken.holder().runId()).isEqualTo("new-run");
    assertThatThrownBy(dead::renew)
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCK_FAILURE))
        .hasMessageContaining("lock of 'checkout' for run dead-run was lost");
    taken.close();
  }

  @Test
  void renewingMovesTheExpiryAndClosingTwiceIsHarmless() {
    ManualClock clock = ManualClock.create();
    RollbackLock lock = lock(clock);
    LockLease lease = lock.acquire("checkout", "r1", "me", Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(20));

    lease.renew();

    assertThat(lease.holder().expiresAt()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(50));
    assertThat(lock.holder("checkout")).hasValue(lease.holder());
    lease.close();
    lease.close();
    assertThat(lock.holder("checkout")).isEmpty();
    assertThatThrownBy(lease::renew).hasMessageContaining("(the lease was closed)");
  }

  @Test
  void theKeyIsStableAndEachServiceHasItsOwn() {
    assertThat(PostgresAdvisoryLock.key("checkout")).isEqualTo(PostgresAdvisoryLock.key("checkout"));
    // printf 'dev.rollback.lock:checkout' | sha256sum: the first 16 hex digits, as a signed long.
    assertThat(PostgresAdvisoryLock.key("checkout")).isEqualTo(4_563_077_654_237_513_560L);
    assertThat(PostgresAdvisoryLock.key("orders")).isNotEqualTo(PostgresAdvisoryLock.key("checkout"));
    try (LockLease checkout = lock(Clock.systemUTC()).acquire("checkout", "r1", "me", Duration.ofSeconds(30));
        LockLease orders = lock(Clock.systemUTC()).acquire("orders", "r2", "me", Duration.ofSeconds(30))) {
      assertThat(checkout.holder().service()).isEqualTo("checkout");
      assertThat(orders.holder().service()).isEqualTo("orders");
    }
  }

  @Test
  void aRunnerHoldsTheAdvisoryLockForTheWholeRunAndASecondRunIsRefused() {
    RollbackLock lock = lock(Clock.systemUTC());
    AtomicReference<Object> second = new AtomicReference<>();
    RollbackPlan plan = RollbackPlan.builder("checkout").currentVersion("v2").target("v1")
        .step(Step.builder("rollback", Phase.PLATFORM_ROLLBACK).execute(ctx -> {
          try {
            second.set(RollbackRunner.builder().lock(lock(Clock.systemUTC())).build().run(
                RollbackPlan.builder("checkout").currentVersion("v2").target("v1")
                    .step(Step.builder("never", Phase.PLATFORM_ROLLBACK).execute(c -> StepResult.succeeded()).build()).build()));
          } catch (RollbackInProgressException e) {
            second.set(e);
          }
          return StepResult.succeeded();
        }).build())
        .build();

    RollbackResult result = RollbackRunner.builder().lock(lock).owner("ci-runner-7").build().run(plan);

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(second.get()).isInstanceOfSatisfying(RollbackInProgressException.class, e -> {
      assertThat(e.holderRunId()).isEqualTo(result.runId());
      assertThat(e.holderOwner()).isEqualTo("ci-runner-7");
    });
    assertThat(lock.holder("checkout")).isEmpty();
  }
}
