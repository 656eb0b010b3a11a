package dev.rollback.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.TimelineEntry;
import dev.rollback.core.event.StepProgress;
import dev.rollback.testkit.ManualClock;
import dev.rollback.testkit.RecordingListener;
import dev.rollback.testkit.k8s.PodFailure;
import dev.rollback.testkit.k8s.SimulatedDeploymentController;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A whole plan with the Kubernetes strategy, run by the real runner on a manual clock. */
@EnableKubernetesMockClient(crud = true)
class KubernetesRollbackPlanTest {
  static {
    Workloads.quietMockServer();
  }

  KubernetesClient client;
  KubernetesMockServer server;

  private final ManualClock clock = ManualClock.create();
  private final RecordingListener listener = new RecordingListener();
  private SimulatedDeploymentController sim;
  private KubernetesRollback checkout;

  @BeforeEach
  void deployed() {
    sim = SimulatedDeploymentController.builder(client).clock(clock).logSink(Workloads.logsOn(server)).build();
    Workloads.deployedThrough(client, sim, "checkout", 3, "v1.2.8", "v1.2.9", "v1.3.0");
    checkout = KubernetesRollback.deployment("checkout").client(client).container("app")
        .rolloutTimeout(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).resyncInterval(Duration.ofSeconds(1)).build();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private RollbackResult run(String target) {
    RollbackPlan plan = RollbackPlan.builder("checkout")
        .currentVersion(KubernetesVersionProbe.of(checkout))
        .target(target)
        .strategy(checkout)
        .build();
    return RollbackRunner.builder().clock(clock).sleeper(sim.sleeper(clock)).listener(listener).build().run(plan);
  }

  @Test
  void rollsTheDeploymentBackAndWaitsForTheRollout() {
    RollbackResult r = run("v1.2.9");

    assertThat(r.outcome()).as(r.failureMessage().orElse("")).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(r.fromVersion()).isEqualTo("v1.3.0");
    assertThat(checkout.currentVersion()).isEqualTo("v1.2.9");
    assertThat(r.step("platform-rollback-kubernetes").orElseThrow().facts())
        .containsEntry("from", "v1.3.0").containsEntry("to", "v1.2.9").containsEntry("revision", "4").containsEntry("pods", "3");
    assertThat(r.timeline()).extracting(TimelineEntry::message)
        .contains("kubernetes runs v1.3.0 before the rollback", "rolled back deployment/checkout in test from revision 3 to revision 2 (v1.2.9)");
    assertThat(listener.eventsOf(StepProgress.class)).extracting(StepProgress::message)
        .contains("deployment/checkout: 3/3 updated, 3/3 available");
    assertThat(client.pods().list().getItems()).hasSize(3).allSatisfy(p ->
        assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo(Workloads.image("v1.2.9")));
  }

  @Test
  void aRollbackToACrashingVersionFailsWithThePodsStoryInTheTimeline() {
    sim.failImage(Workloads.image("v1.2.8"), PodFailure.crashLoop("panic: config key payments.url missing"));

    RollbackResult r = run("v1.2.8");

    assertThat(r.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(r.failureMessage()).hasValueSatisfying(m -> assertThat(m)
        .contains("kubernetes did not converge on v1.2.8", "exceeded its progress deadline", "not ready: CrashLoopBackOff"));
    assertThat(r.timeline()).anySatisfy(e -> {
      assertThat(e.message()).contains("not ready: CrashLoopBackOff, last Error (exit 1)");
      assertThat(e.facts()).anySatisfy((k, v) -> {
        assertThat(k).endsWith(".log");
        assertThat(v).isEqualTo("panic: config key payments.url missing");
      });
    });
  }
}
