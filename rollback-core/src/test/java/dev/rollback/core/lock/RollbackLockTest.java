package dev.rollback.core.lock;

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
import dev.rollback.core.support.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RollbackLockTest {
  @TempDir static Path shared;

  static Stream<Arguments> locks() {
    return Stream.of(
        Arguments.of("in-process", (Function<Clock, RollbackLock>) RollbackLock::inProcess),
        Arguments.of("file", (Function<Clock, RollbackLock>) c -> RollbackLock.directory(shared.resolve("locks-" + System.nanoTime()), c)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("locks")
  void ofEightConcurrentRunsForOneServiceExactlyOneRunsAndSevenAreRefused(String kind, Function<Clock, RollbackLock> factory)
      throws Exception {
    RollbackLock lock = factory.apply(Clock.systemUTC());
    AtomicInteger executions = new AtomicInteger();
    CountDownLatch refusals = new CountDownLatch(7);
    RollbackPlan plan = RollbackPlan.builder("checkout").currentVersion("v2").target("v1")
        .step(Step.builder("rollback", Phase.PLATFORM_ROLLBACK).execute(ctx -> {
          executions.incrementAndGet();
          // Hold the lock until every other run has been refused.
          if (!refusals.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the other runs were not refused");
          }
          return StepResult.succeeded();
        }).build())
        .build();
    RollbackRunner runner = RollbackRunner.builder().lock(lock).build();
    CyclicBarrier start = new CyclicBarrier(8);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<RollbackResult>> futures = new ArrayList<>();
    List<RollbackInProgressException> refused = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 8; i++) {
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
    assertThat(refused).hasSize(7).allSatisfy(e -> {
      assertThat(e.holderRunId()).isEqualTo(results.get(0).runId());
      assertThat(e.code()).isEqualTo(ErrorCode.ROLLBACK_IN_PROGRESS);
      assertThat(e.getMessage())
          .contains("a rollback of 'checkout' is already in progress: run " + results.get(0).runId())
          .contains("started at " + e.holderSince());
    });
    assertThat(lock.holder("checkout")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("locks")
  void aLeaseWhoseHolderStoppedRenewingIsTakenOverAfterItsTtl(String kind, Function<Clock, RollbackLock> factory) {
    TestClock clock = TestClock.create();
    RollbackLock lock = factory.apply(clock);
    lock.acquire("checkout", "dead-run", "host-a:4242", Duration.ofSeconds(30)); // never renewed, never closed

    assertThatThrownBy(() -> lock.acquire("checkout", "new-run", "host-b:1", Duration.ofSeconds(30)))
        .isInstanceOf(RollbackInProgressException.class)
        .hasMessageContaining("run dead-run by host-a:4242");

    clock.advance(Duration.ofSeconds(30));
    LockLease taken = lock.acquire("checkout", "new-run", "host-b:1", Duration.ofSeconds(30));

    assertThat(taken.holder().runId()).isEqualTo("new-run");
    assertThat(lock.holder("checkout")).hasValueSatisfying(h -> assertThat(h.runId()).isEqualTo("new-run"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("locks")
  void aLeaseThatWasTakenOverCannotBeRenewedOrReleasedByItsOldHolder(String kind, Function<Clock, RollbackLock> factory) {
    TestClock clock = TestClock.create();
    RollbackLock lock = factory.apply(clock);
    LockLease old = lock.acquire("checkout", "slow-run", "a", Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(11));
    lock.acquire("checkout", "new-run", "b", Duration.ofSeconds(10));

    assertThatThrownBy(old::renew)
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("lock of 'checkout' for run slow-run was lost; now held by run new-run");
    old.close();
    assertThat(lock.holder("checkout")).hasValueSatisfying(h -> assertThat(h.runId()).isEqualTo("new-run"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("locks")
  void renewingMovesTheExpiryForward(String kind, Function<Clock, RollbackLock> factory) {
    TestClock clock = TestClock.create();
    RollbackLock lock = factory.apply(clock);
    LockLease lease = lock.acquire("checkout", "r1", "a", Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(20));
    lease.renew();
    clock.advance(Duration.ofSeconds(20));

    assertThatThrownBy(() -> lock.acquire("checkout", "r2", "b", Duration.ofSeconds(30)))
        .isInstanceOf(RollbackInProgressException.class);
    assertThat(lease.holder().expiresAt()).isEqualTo(TestClock.create().instant().plusSeconds(50));
  }

  @Test
  void aFileLockHeldByAJvmThatWasKilledIsRefusedUntilItsTtlThenTakenOver(@TempDir Path dir) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LockHolderProcess.class.getName(),
        dir.toString(), "checkout", "child-run", "5").redirectErrorStream(true).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(dir.resolve("held"))) {
      assertThat(child.isAlive()).as("child alive").isTrue();
      assertThat(System.nanoTime()).as("child took the lock in time").isLessThan(deadline);
      child.waitFor(20, TimeUnit.MILLISECONDS);
    }
    child.destroyForcibly();
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

    RollbackLock now = RollbackLock.directory(dir, Clock.systemUTC());
    assertThatThrownBy(() -> now.acquire("checkout", "my-run", "parent", Duration.ofSeconds(30)))
        .isInstanceOf(RollbackInProgressException.class)
        .hasMessageContaining("run child-run by child-jvm");

    RollbackLock later = RollbackLock.directory(dir, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(6)));
    LockLease lease = later.acquire("checkout", "my-run", "parent", Duration.ofSeconds(30));
    assertThat(lease.holder().runId()).isEqualTo("my-run");
    lease.close();
    assertThat(later.holder("checkout")).isEmpty();
  }

  @Test
  void anUnreadableLockFileFailsWithAnExplanationInsteadOfBeingOverwritten(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("checkout.lock"), "{not json");
    RollbackLock lock = RollbackLock.directory(dir, Clock.systemUTC());

    assertThatThrownBy(() -> lock.acquire("checkout", "r", "me", Duration.ofSeconds(5)))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("is unreadable")
        .hasMessageContaining("if no rollback of 'checkout' is running, delete it");
  }

  @Test
  void aRunWhoseLeaseWasTakenOverCancelsItselfAndCompensates() {
    TestClock clock = TestClock.create();
    RollbackLock lock = RollbackLock.inProcess(clock);
    List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    RollbackPlan plan = RollbackPlan.builder("checkout").currentVersion("v2").target("v1")
        .step(dev.rollback.core.support.Steps.logging("drain", Phase.TRAFFIC_DRAIN, log))
        .step(Step.builder("stuck", Phase.PLATFORM_ROLLBACK).execute(ctx -> {
          clock.advance(Duration.ofMinutes(5)); // the process was frozen past its lease
          lock.acquire("checkout", "intruder", "other-host", Duration.ofMinutes(2));
          ctx.sleep(Duration.ofSeconds(1));
          return StepResult.succeeded();
        }).build())
        .build();

    RollbackResult result = RollbackRunner.builder().clock(clock).sleeper(clock.sleeper()).lock(lock)
        .lockTtl(Duration.ofMinutes(2)).build().run(plan);

    assertThat(result.outcome()).isEqualTo(RunOutcome.CANCELLED);
    assertThat(result.failure()).contains("the lock of checkout was lost").contains("now held by run intruder");
    assertThat(log).containsExactly("execute:drain", "compensate:drain");
    assertThat(lock.holder("checkout")).hasValueSatisfying(h -> assertThat(h.runId()).isEqualTo("intruder"));
  }
}
