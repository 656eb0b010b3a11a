package dev.rollback.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.strategy.Convergence;
import dev.rollback.core.strategy.RollbackRequest;
import dev.rollback.testkit.DetachedStepContext;
import dev.rollback.testkit.ManualClock;
import dev.rollback.testkit.k8s.PodFailure;
import dev.rollback.testkit.k8s.SimulatedDeploymentController;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** kubectl rollout status, on the run's clock, with the simulated controller moving as the run sleeps. */
@EnableKubernetesMockClient(crud = true)
class RolloutWaitTest {
  static {
    Workloads.quietMockServer();
  }

  KubernetesClient client;
  KubernetesMockServer server;

  private final ManualClock clock = ManualClock.create();
  private SimulatedDeploymentController sim;
  private DetachedStepContext ctx;
  private Instant start;

  @BeforeEach
  void deployed() {
    sim = SimulatedDeploymentController.builder(client).clock(clock).watch(false).logSink(Workloads.logsOn(server)).build();
    Workloads.deployedThrough(client, sim, "checkout", 3, "v1.2.9", "v1.3.0");
    ctx = Workloads.context(clock, sim.sleeper(clock), "v1.2.9");
    start = clock.instant();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  /** Re-reading on every poll makes each step of the simulation visible: the progress lines are exact. */
  private KubernetesRollback checkout() {
    return KubernetesRollback.deployment("checkout").client(client).pollInterval(Duration.ofSeconds(1))
        .resyncInterval(Duration.ofSeconds(1)).build();
  }

  private List<Pod> newPods() {
    return client.pods().list().getItems().stream()
        .filter(p -> p.getSpec().getContainers().get(0).getImage().equals(Workloads.image("v1.2.9"))).toList();
  }

  @Test
  void waitsUntilTheRolloutFinishesReportingProgress() throws Exception {
    KubernetesRollback k8s = checkout();
    k8s.rollback(new RollbackRequest("v1.3.0", "v1.2.9", null), ctx);

    Convergence c = k8s.awaitConvergence(Duration.ofMinutes(5), ctx);

    assertThat(c.converged()).as(c.message()).isTrue();
    assertThat(c.message()).isEqualTo("deployment \"checkout\" successfully rolled out (3/3 updated, 3/3 available, v1.2.9)");
    assertThat(c.facts()).containsEntry("version", "v1.2.9").containsEntry("revision", "3").containsEntry("pods", "3")
        .containsEntry("workload", "deployment/checkout").containsEntry("namespace", "test");
    assertThat(ctx.progress()).first().isEqualTo("deployment/checkout: waiting for the controller to observe the change");
    assertThat(ctx.progress()).contains("deployment/checkout: 1/3 updated, 3/3 available", "deployment/checkout: 2/3 updated, 3/3 available");
    assertThat(ctx.progress()).last().isEqualTo("deployment/checkout: 3/3 updated, 3/3 available");
    assertThat(ctx.progress()).doesNotHaveDuplicates();
    assertThat(Duration.between(start, clock.instant())).isPositive().isLessThan(Duration.ofSeconds(30));
    assertThat(client.pods().list().getItems()).hasSize(3).allSatisfy(p ->
        assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo(Workloads.image("v1.2.9")));
  }

  @Test
  void followsTheWatchBetweenResyncs() throws Exception {
    KubernetesRollback k8s = KubernetesRollback.deployment("checkout").client(client).pollInterval(Duration.ofSeconds(1))
        .resyncInterval(Duration.ofHours(1)).build();
    k8s.rollback(new RollbackRequest("v1.3.0", "v1.2.9", null), ctx);

    Convergence c = k8s.awaitConvergence(Duration.ofMinutes(10), ctx);

    assertThat(c.converged()).as("only watch events can tell it the rollout finished before the resync in an hour: " + c.message()).isTrue();
    assertThat(Duration.between(start, clock.instant())).isLessThan(Duration.ofMinutes(10));
  }

  @Test
  void failsFastOnProgressDeadlineExceededWithThePodsReasonsRestartsEventsAndLogTails() throws Exception {
    sim.failImage(Workloads.image("v1.2.9"), PodFailure.crashLoop(
        "Starting checkout v1.2.9", "Exception in thread \"main\" java.lang.IllegalStateException: DB_URL is not set"));
    KubernetesRollback k8s = checkout();
    k8s.rollback(new RollbackRequest("v1.3.0", "v1.2.9", null), ctx);

    Convergence c = k8s.awaitConvergence(Duration.ofMinutes(10), ctx);

    assertThat(c.converged()).isFalse();
    String pod = newPods().get(0).getMetadata().getName();
    assertThat(c.message()).startsWith("deployment \"checkout\" exceeded its progress deadline")
        .endsWith("; " + pod + " not ready: CrashLoopBackOff, last Error (exit 1), " + c.facts().get("pod." + pod + ".restarts") + " restarts");
    assertThat(Duration.between(start, clock.instant())).as("the progress deadline is 60s; the timeout 10m")
        .isGreaterThan(Duration.ofSeconds(60)).isLessThan(Duration.ofSeconds(90));
    assertThat(c.facts()).containsEntry("failingPods", pod)
        .containsEntry("pod." + pod + ".reason", "CrashLoopBackOff")
        .containsEntry("pod." + pod + ".lastTermination", "Error (exit 1)")
        .containsEntry("pod." + pod + ".log", "Starting checkout v1.2.9\nException in thread \"main\" java.lang.IllegalStateException: DB_URL is not set");
    assertThat(Integer.parseInt(c.facts().get("pod." + pod + ".restarts"))).isGreaterThan(30);
    assertThat(c.facts().get("pod." + pod + ".events")).startsWith("Warning BackOff: Back-off restarting failed container app in pod " + pod);
    assertThat(ctx.timeline()).anySatisfy(e -> {
      assertThat(e.message()).startsWith(pod + " not ready: CrashLoopBackOff");
      assertThat(e.facts()).containsKey("pod." + pod + ".log");
    });
    assertThat(client.apps().deployments().withName("checkout").get().getStatus().getAvailableReplicas())
        .as("the old pods keep serving").isEqualTo(3);
  }

  @Test
  void namesAnImageThatCannotBePulledAndReadsNoLogForIt() throws Exception {
    sim.failImage(Workloads.image("v1.2.9"), PodFailure.imagePullBackOff());
    KubernetesRollback k8s = checkout();
    k8s.rollback(new RollbackRequest("v1.3.0", "v1.2.9", null), ctx);

    Convergence c = k8s.awaitConvergence(Duration.ofMinutes(10), ctx);

    String pod = newPods().get(0).getMetadata().getName();
    assertThat(c.converged()).isFalse();
    assertThat(c.facts()).containsEntry("pod." + pod + ".reason", "ImagePullBackOff")
        .containsEntry("pod." + pod + ".message", "Back-off pulling image \"" + Workloads.image("v1.2.9") + "\"")
        .containsEntry("pod." + pod + ".phase", "Pending")
        .containsEntry("pod." + pod + ".restarts", "0")
        .doesNotContainKey("pod." + pod + ".log");
    assertThat(c.facts().get("pod." + pod + ".events")).isEqualTo(
        "Warning Failed: Failed to pull image \"" + Workloads.image("v1.2.9") + "\": rpc error: code = NotFound desc = failed to pull and unpack image \""
            + Workloads.image("v1.2.9") + "\": not found\nWarning BackOff: Back-off pulling image \"" + Workloads.image("v1.2.9") + "\"");
  }

  @Test
  void namesAContainerKilledForMemory() throws Exception {
    sim.failImage(Workloads.image("v1.2.9"), PodFailure.oomKilled("allocating cache: 2048 MiB"));
    KubernetesRollback k8s = checkout();
    k8s.rollback(new RollbackRequest("v1.3.0", "v1.2.9", null), ctx);

    Convergence c = k8s.awaitConvergence(Duration.ofMinutes(10), ctx);

    String pod = newPods().get(0).getMetadata().getName();
    assertThat(c.facts()).containsEntry("pod." + pod + ".lastTermination", "OOMKilled (exit 137)")
        .containsEntry("pod." + pod + ".log", "allocating cache: 2048 MiB");
    assertThat(k8s.verifyPods()).singleElement().satisfies(d -> {
      assertThat(d.ready()).isFalse();
      assertThat(d.reason()).isEqualTo("CrashLoopBackOff");
      assertThat(d.summary()).startsWith(pod + " not ready: CrashLoopBackOff, last OOMKilled (exit 137), ");
    });
  }

  @Test
  void givesUpAtTheTimeoutOnTheRunClock() throws Exception {
    client.apps().deployments().withName("checkout").edit(d -> {
      d.getSpec().setProgressDeadlineSeconds(3600);
      return d;
    });
    sim.settle();
    sim.stall("checkout");
    start = clock.instant();
    KubernetesRollback k8s = checkout();
    k8s.rollback(new RollbackRequest("v1.3.0", "v1.2.9", null), ctx);

    Convergence c = k8s.awaitConvergence(Duration.ofSeconds(30), ctx);

    assertThat(c.converged()).isFalse();
    assertThat(c.message()).isEqualTo("not rolled out within PT30S: waiting for deployment \"checkout\" rollout to finish: "
        + "0 out of 3 new replicas have been updated");
    assertThat(Duration.between(start, clock.instant())).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void stopsWhenTheRunIsCancelled() {
    KubernetesRollback k8s = checkout();
    k8s.rollback(new RollbackRequest("v1.3.0", "v1.2.9", null), ctx);
    ctx.cancelAfterSleeps(2);

    assertThatThrownBy(() -> k8s.awaitConvergence(Duration.ofMinutes(5), ctx))
        .isInstanceOf(RollbackException.class)
        .extracting(e -> ((RollbackException) e).code()).isEqualTo(ErrorCode.CANCELLED);
    assertThat(Duration.between(start, clock.instant())).isEqualTo(Duration.ofSeconds(2));
  }
}
