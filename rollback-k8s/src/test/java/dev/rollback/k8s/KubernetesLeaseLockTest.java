package dev.rollback.k8s;

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
import dev.rollback.testkit.ManualClock;
import dev.rollback.testkit.ManualSleeper;
import dev.rollback.testkit.RecordingJournal;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.rollback.k8s.testing.PatientMockClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Lease lock against fabric8's CRUD mock server, on a manual clock. */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = PatientMockClient.class)
class KubernetesLeaseLockTest {
  private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
  private static final Duration TTL = Duration.ofSeconds(30);

  KubernetesClient client;

  private final ManualClock clock = ManualClock.startingAt(T0);
  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @AfterEach
  void stopThreads() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private KubernetesLeaseLock lock() {
    return KubernetesLeaseLock.create(client, "test", clock);
  }

  private Lease lease(String service) {
    return client.leases().inNamespace("test").withName(KubernetesLeaseLock.leaseName(service)).get();
  }

  @Test
  void acquireWritesAKubernetesLeaseNamingTheRunAndItsTerms() {
    LockLease lease = lock().acquire("checkout", "run-1", "ci@host-a", TTL);

    Lease l = lease("checkout");
    assertThat(l.getMetadata().getName()).isEqualTo("rollback-checkout");
    assertThat(l.getSpec().getHolderIdentity()).isEqualTo("run-1");
    assertThat(l.getSpec().getLeaseDurationSeconds()).isEqualTo(30);
    assertThat(l.getSpec().getAcquireTime().toInstant()).isEqualTo(T0);
    assertThat(l.getSpec().getRenewTime().toInstant()).isEqualTo(T0);
    assertThat(l.getSpec().getLeaseTransitions()).isZero();
    assertThat(l.getMetadata().getAnnotations()).containsEntry("rollback.dev/service", "checkout")
        .containsEntry("rollback.dev/run-id", "run-1").containsEntry("rollback.dev/owner", "ci@host-a")
        .containsKey("rollback.dev/lease-token");
    assertThat(lease.holder()).isEqualTo(new LockHolder("checkout", "run-1", "ci@host-a", T0, T0.plus(TTL)));
    assertThat(lock().holder("checkout")).contains(lease.holder());
    assertThat(lock().holder("payments")).isEmpty();
  }

  @Test
  void twoThreadsRaceForTheLeaseAndExactlyOneWinsTheOtherIsToldWhoHoldsIt() throws Exception {
    CyclicBarrier start = new CyclicBarrier(2);
    List<Future<LockLease>> attempts = new ArrayList<>();
    for (String run : List.of("run-a", "run-b")) {
      attempts.add(pool.submit(() -> {
        start.await(10, TimeUnit.SECONDS);
        return lock().acquire("checkout", run, "owner-of-" + run, TTL);
      }));
    }
    List<LockLease> won = new ArrayList<>();
    List<RollbackInProgressException> lost = new ArrayList<>();
    for (Future<LockLease> f : attempts) {
      try {
        won.add(f.get(30, TimeUnit.SECONDS));
      } catch (java.util.concurrent.ExecutionException e) {
        lost.add((RollbackInProgressException) e.getCause());
      }
    }

    assertThat(won).hasSize(1);
    assertThat(lost).hasSize(1);
    String winner = won.get(0).holder().runId();
    assertThat(lost.get(0).holderRunId()).isEqualTo(winner);
    assertThat(lost.get(0).holderOwner()).isEqualTo("owner-of-" + winner);
    assertThat(lost.get(0).getMessage()).contains("a rollback of 'checkout' is already in progress: run " + winner + " by owner-of-" + winner);
    assertThat(lease("checkout").getSpec().getHolderIdentity()).isEqualTo(winner);
  }

  @Test
  void twoRunnersOnOneServiceTheSecondIsRefusedWhileTheFirstRunsAndTheLeaseIsFreeAfterwards() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    Step holdOn = Step.builder("hold-on", Phase.PLATFORM_ROLLBACK).execute(ctx -> {
      inside.countDown();
      assertThat(finish.await(30, TimeUnit.SECONDS)).isTrue();
      return StepResult.succeeded("done");
    }).build();
    RollbackPlan first = RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9").step(holdOn).build();
    RollbackPlan second = RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9")
        .step(Step.builder("never", Phase.PLATFORM_ROLLBACK).execute(ctx -> StepResult.succeeded("ran")).build()).build();
    RollbackRunner a = runner("runner-a");
    RollbackRunner b = runner("runner-b");

    CompletableFuture<RollbackResult> running = a.start(first).result();
    assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
    String holder = lease("checkout").getSpec().getHolderIdentity();

    assertThatThrownBy(() -> b.run(second)).isInstanceOf(RollbackInProgressException.class)
        .satisfies(e -> assertThat(((RollbackInProgressException) e).holderRunId()).isEqualTo(holder))
        .hasMessageContaining("run " + holder + " by runner-a");
    finish.countDown();
    RollbackResult result = running.get(30, TimeUnit.SECONDS);

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(result.runId()).isEqualTo(holder);
    assertThat(lock().holder("checkout")).isEmpty();
    assertThat(b.run(second).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
  }

  @Test
  void renewKeepsTheLeaseAndAHolderThatStopsRenewingIsTakenOverWhenItsLeaseEnds() {
    KubernetesLeaseLock lock = lock();
    LockLease first = lock.acquire("checkout", "run-1", "host-a", TTL);

    clock.advance(Duration.ofSeconds(20));
    first.renew();
    assertThat(first.holder().expiresAt()).isEqualTo(T0.plusSeconds(50));
    clock.advance(Duration.ofSeconds(20));
    // 40 s after the start the first lease would have ended without the renewal.
    assertThatThrownBy(() -> lock.acquire("checkout", "run-2", "host-b", TTL)).isInstanceOf(RollbackInProgressException.class)
        .hasMessageContaining("run run-1 by host-a").hasMessageContaining("lease until " + T0.plusSeconds(50));

    clock.advance(Duration.ofSeconds(10)); // 50 s: run-1 stopped renewing, its lease ends now
    LockLease second = lock.acquire("checkout", "run-2", "host-b", TTL);

    assertThat(second.holder()).isEqualTo(new LockHolder("checkout", "run-2", "host-b", T0.plusSeconds(50), T0.plusSeconds(80)));
    assertThat(lease("checkout").getSpec().getLeaseTransitions()).isEqualTo(1);
    assertThatThrownBy(first::renew).isInstanceOf(RollbackException.class)
        .satisfies(e -> assertThat(((RollbackException) e).code()).isEqualTo(ErrorCode.LOCK_FAILURE))
        .hasMessage("lock of 'checkout' for run run-1 was lost; now held by run run-2 of host-b");
    first.close(); // the old holder's release must not free the new holder's lock
    assertThat(lock.holder("checkout")).hasValueSatisfying(h -> assertThat(h.runId()).isEqualTo("run-2"));
  }

  @Test
  void releaseFreesTheLockForTheNextRunAtOnceAndCountsTheTransition() {
    KubernetesLeaseLock lock = lock();
    LockLease first = lock.acquire("checkout", "run-1", "host-a", TTL);

    first.close();
    first.close();

    assertThat(lock.holder("checkout")).isEmpty();
    assertThat(lease("checkout").getSpec().getHolderIdentity()).isNull();
    assertThat(lease("checkout").getMetadata().getAnnotations()).doesNotContainKeys("rollback.dev/run-id", "rollback.dev/lease-token");
    assertThatThrownBy(first::renew).hasMessageContaining("was lost (the lease was closed)");
    LockLease next = lock.acquire("checkout", "run-2", "host-b", TTL);
    assertThat(next.holder().runId()).isEqualTo("run-2");
    assertThat(lease("checkout").getSpec().getLeaseTransitions()).isEqualTo(1);
  }

  @Test
  void theSameRunMayTakeItsOwnLeaseAgainWhenResumedAndOtherServicesAreIndependent() {
    KubernetesLeaseLock lock = lock();
    lock.acquire("checkout", "run-1", "host-a", TTL);

    LockLease resumed = lock.acquire("checkout", "run-1", "host-c", TTL);
    LockLease other = lock.acquire("Payments_API", "run-9", "host-a", TTL);

    assertThat(resumed.holder().owner()).isEqualTo("host-c");
    assertThat(lease("checkout").getSpec().getLeaseTransitions()).isZero();
    assertThat(other.holder().service()).isEqualTo("Payments_API");
    assertThat(KubernetesLeaseLock.leaseName("Payments_API")).matches("rollback-payments-api-[0-9a-f]{8}")
        .isNotEqualTo(KubernetesLeaseLock.leaseName("payments-api"));
  }

  @Test
  void aLeaseThatStoppedUpdatingIsRereadAfterAConflictInsteadOfOverwritten() {
    KubernetesLeaseLock lock = lock();
    LockLease first = lock.acquire("checkout", "run-1", "host-a", TTL);
    Lease stale = lease("checkout");
    clock.advance(Duration.ofSeconds(5));
    first.renew(); // moves the resourceVersion on

    stale.getSpec().setHolderIdentity("intruder");
    assertThatThrownBy(() -> client.leases().inNamespace("test").resource(stale).update())
        .isInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class)
        .satisfies(e -> assertThat(((io.fabric8.kubernetes.client.KubernetesClientException) e).getCode()).isEqualTo(409));
    assertThat(lock.holder("checkout")).hasValueSatisfying(h -> assertThat(h.runId()).isEqualTo("run-1"));
  }

  @Test
  void badArgumentsAreNamed() {
    assertThatThrownBy(() -> KubernetesLeaseLock.create(client, "Prod", clock)).hasMessageContaining("namespace must be a DNS label, but was 'Prod'");
    assertThatThrownBy(() -> lock().acquire("checkout", "run-1", "me", Duration.ZERO))
        .hasMessageContaining("lock ttl must be positive, but was PT0S");
  }

  private RollbackRunner runner(String owner) {
    return RollbackRunner.builder().clock(clock).sleeper(new ManualSleeper(clock)).journal(new RecordingJournal())
        .lock(lock()).owner(owner).build();
  }
}
