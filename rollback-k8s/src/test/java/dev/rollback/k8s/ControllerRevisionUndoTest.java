package dev.rollback.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.RollbackException;
import dev.rollback.core.strategy.Convergence;
import dev.rollback.core.strategy.RollbackRequest;
import dev.rollback.testkit.DetachedStepContext;
import dev.rollback.testkit.ManualClock;
import dev.rollback.testkit.k8s.SimulatedDeploymentController;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.runtime.RawExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** StatefulSet and DaemonSet undo through their ControllerRevisions, as kubectl rollout undo does it. */
@EnableKubernetesMockClient(crud = true)
class ControllerRevisionUndoTest {
  static {
    Workloads.quietMockServer();
  }

  KubernetesClient client;
  KubernetesMockServer server;

  private final ManualClock clock = ManualClock.create();
  private SimulatedDeploymentController sim;

  @BeforeEach
  void simulator() {
    sim = SimulatedDeploymentController.builder(client).clock(clock).watch(false).build();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private void statefulSetThrough(String... versions) {
    client.apps().statefulSets().resource(Workloads.statefulSet("ledger", versions[0], 3)).createOr(NonDeletingOperation::update);
    assertThat(sim.settle()).isTrue();
    for (int i = 1; i < versions.length; i++) {
      String image = Workloads.image(versions[i]);
      client.apps().statefulSets().withName("ledger").edit(s -> {
        s.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
        return s;
      });
      assertThat(sim.settle()).isTrue();
    }
  }

  private void daemonSetThrough(String... versions) {
    client.apps().daemonSets().resource(Workloads.daemonSet("agent", versions[0])).createOr(NonDeletingOperation::update);
    assertThat(sim.settle()).isTrue();
    for (int i = 1; i < versions.length; i++) {
      String image = Workloads.image(versions[i]);
      client.apps().daemonSets().withName("agent").edit(s -> {
        s.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
        return s;
      });
      assertThat(sim.settle()).isTrue();
    }
  }

  private ControllerRevision revision(long n) {
    return client.apps().controllerRevisions().list().getItems().stream().filter(cr -> cr.getRevision() == n).findFirst().orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> templateData(ControllerRevision cr) {
    Object raw = cr.getData() instanceof RawExtension r ? r.getValue() : cr.getData();
    Map<String, Object> data = client.getKubernetesSerialization().convertValue(raw, Map.class);
    return (Map<String, Object>) ((Map<String, Object>) data.get("spec")).get("template");
  }

  @Test
  void undoesAStatefulSetToThePreviousControllerRevisionAndWaitsForIt() throws Exception {
    statefulSetThrough("v1.2.8", "v1.2.9", "v1.3.0");
    KubernetesRollback ledger = KubernetesRollback.statefulSet("ledger").client(client).pollInterval(Duration.ofSeconds(1))
        .resyncInterval(Duration.ofSeconds(1)).build();
    DetachedStepContext ctx = Workloads.context(clock, sim.sleeper(clock), "v1.2.9");
    assertThat(ledger.history()).extracting(WorkloadRevision::version).containsExactly("v1.2.8", "v1.2.9", "v1.3.0");
    ControllerRevision second = revision(2);
    assertThat(templateData(second)).containsEntry("$patch", "replace");

    UndoResult r = ledger.undo(0, ctx);

    assertThat(r.toRevision()).isEqualTo(2);
    assertThat(r.fromRevision()).isEqualTo(3);
    StatefulSet after = client.apps().statefulSets().withName("ledger").get();
    assertThat(after.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(Workloads.image("v1.2.9"));
    Map<?, ?> restored = client.getKubernetesSerialization().convertValue(after.getSpec().getTemplate(), Map.class);
    assertThat(restored).isEqualTo(withoutPatchDirective(templateData(second)));
    Convergence c = ledger.awaitConvergence(Duration.ofMinutes(5), ctx);
    assertThat(c.converged()).as(c.message()).isTrue();
    assertThat(c.message()).startsWith("statefulset \"ledger\" rolling update complete 3 pods at revision " + second.getMetadata().getName());
    assertThat(ctx.progress()).contains("statefulset/ledger: 3/3 updated, 3/3 available");
    assertThat(revision(4).getMetadata().getName()).as("the controller reuses the revision and bumps it").isEqualTo(second.getMetadata().getName());
    assertThat(ledger.history()).extracting(WorkloadRevision::revision).containsExactly(1L, 3L, 4L);
  }

  @Test
  void undoesADaemonSetToTheRevisionGivenAndWaitsForIt() throws Exception {
    daemonSetThrough("v1.2.8", "v1.2.9", "v1.3.0");
    KubernetesRollback agent = KubernetesRollback.daemonSet("agent").client(client).pollInterval(Duration.ofSeconds(1))
        .resyncInterval(Duration.ofSeconds(1)).build();
    DetachedStepContext ctx = Workloads.context(clock, sim.sleeper(clock), "v1.2.8");

    UndoResult r = agent.undo(1, ctx);

    assertThat(r.toRevision()).isEqualTo(1);
    DaemonSet after = client.apps().daemonSets().withName("agent").get();
    assertThat(after.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(Workloads.image("v1.2.8"));
    Convergence c = agent.awaitConvergence(Duration.ofMinutes(5), ctx);
    assertThat(c.converged()).as(c.message()).isTrue();
    assertThat(c.message()).isEqualTo("daemon set \"agent\" successfully rolled out (3/3 updated, 3/3 available, v1.2.8)");
    assertThat(ctx.progress()).contains("daemonset/agent: 1/3 updated, 2/3 available");
  }

  @Test
  void rollsAStatefulSetBackToTheRevisionOfTheTargetVersion() {
    statefulSetThrough("v1.2.8", "v1.2.9", "v1.3.0");
    DetachedStepContext ctx = Workloads.context(clock, sim.sleeper(clock), "v1.2.8");

    KubernetesRollback.statefulSet("ledger").client(client).build().rollback(new RollbackRequest("v1.3.0", "v1.2.8", null), ctx);

    assertThat(client.apps().statefulSets().withName("ledger").get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(Workloads.image("v1.2.8"));
    assertThat(ctx.timelineMessages()).containsExactly("rolled back statefulset/ledger in test from revision 3 to revision 1 (v1.2.8)");
  }

  @Test
  void aMissingControllerRevisionFailsListingTheOnesThatExist() {
    daemonSetThrough("v1.2.9", "v1.3.0");
    DetachedStepContext ctx = Workloads.context(clock, sim.sleeper(clock), "v1.2.9");

    assertThatThrownBy(() -> KubernetesRollback.daemonSet("agent").client(client).build().undo(5, ctx))
        .isInstanceOf(RollbackException.class)
        .hasMessage("unable to find revision 5 of daemonset/agent in namespace test; revisions: 1 (v1.2.9), 2 (v1.3.0, current)");
  }

  @Test
  void undoOfAStatefulSetToItsCurrentRevisionIsANoOp() {
    statefulSetThrough("v1.2.9", "v1.3.0");
    String before = client.apps().statefulSets().withName("ledger").get().getMetadata().getResourceVersion();
    DetachedStepContext ctx = Workloads.context(clock, sim.sleeper(clock), "v1.3.0");

    UndoResult r = KubernetesRollback.statefulSet("ledger").client(client).build().undo(2, ctx);

    assertThat(r.changed()).isFalse();
    assertThat(r.message()).isEqualTo("skipped rollback of statefulset/ledger (current template already matches revision 2, v1.3.0)");
    assertThat(client.apps().statefulSets().withName("ledger").get().getMetadata().getResourceVersion()).isEqualTo(before);
  }

  @Test
  void aStatefulSetWithOneRevisionHasNoPreviousOne() {
    statefulSetThrough("v1.3.0");
    DetachedStepContext ctx = Workloads.context(clock, sim.sleeper(clock), "v1.2.9");

    assertThatThrownBy(() -> KubernetesRollback.statefulSet("ledger").client(client).build().undo(0, ctx))
        .isInstanceOf(RollbackException.class)
        .hasMessage("no previous revision of statefulset/ledger in namespace test to roll back to; revisions: 1 (v1.3.0, current)");
  }

  private static Map<String, Object> withoutPatchDirective(Map<String, Object> template) {
    Map<String, Object> copy = new java.util.LinkedHashMap<>(template);
    copy.remove("$patch");
    return copy;
  }
}
