package dev.rollback.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.TimelineEntry;
import dev.rollback.core.strategy.PlatformState;
import dev.rollback.core.strategy.Revision;
import dev.rollback.core.strategy.RollbackRequest;
import dev.rollback.testkit.DetachedStepContext;
import dev.rollback.testkit.ManualClock;
import dev.rollback.testkit.k8s.SimulatedDeploymentController;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** kubectl rollout history and undo, against the CRUD mock server and the simulated controller. */
@EnableKubernetesMockClient(crud = true)
class DeploymentUndoTest {
  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  static {
    Workloads.quietMockServer();
  }

  KubernetesClient client;
  KubernetesMockServer server;

  private final ManualClock clock = ManualClock.create();
  private SimulatedDeploymentController sim;
  private DetachedStepContext ctx;

  @BeforeEach
  void threeRevisions() {
    sim = SimulatedDeploymentController.builder(client).clock(clock).watch(false).build();
    Workloads.deployedThrough(client, sim, "checkout", 3, "v1.2.8", "v1.2.9", "v1.3.0");
    ctx = Workloads.context(clock, sim.sleeper(clock), "v1.2.9");
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private KubernetesRollback.Builder checkout() {
    return KubernetesRollback.deployment("checkout").client(client);
  }

  private Deployment live() {
    return client.apps().deployments().withName("checkout").get();
  }

  private ReplicaSet replicaSetOfRevision(String revision) {
    return client.apps().replicaSets().list().getItems().stream()
        .filter(rs -> revision.equals(rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision")))
        .findFirst().orElseThrow();
  }

  private static String image(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  @Test
  void listsTheHistoryKubectlRolloutHistoryListsOldestFirst() {
    List<WorkloadRevision> history = checkout().build().history();

    assertThat(history).extracting(WorkloadRevision::revision).containsExactly(1L, 2L, 3L);
    assertThat(history).extracting(WorkloadRevision::version).containsExactly("v1.2.8", "v1.2.9", "v1.3.0");
    assertThat(history).extracting(WorkloadRevision::changeCause).containsExactly("deploy v1.2.8", "deploy v1.2.9", "deploy v1.3.0");
    assertThat(history).extracting(WorkloadRevision::current).containsExactly(false, false, true);
    assertThat(history.get(1).images()).containsExactly(Map.entry("app", Workloads.image("v1.2.9")));
    assertThat(history.get(1).source()).isEqualTo(replicaSetOfRevision("2").getMetadata().getName());
  }

  @Test
  void inspectReportsTheImageTagOfTheRunningTemplateAndTheEarlierRevisionsNewestFirst() {
    PlatformState state = checkout().build().inspect();

    assertThat(state.currentVersion()).isEqualTo("v1.3.0");
    assertThat(state.history()).extracting(Revision::id).containsExactly("2", "1");
    assertThat(state.history()).extracting(Revision::version).containsExactly("v1.2.9", "v1.2.8");
    assertThat(state.history().get(0).details()).containsEntry("changeCause", "deploy v1.2.9")
        .containsEntry("images", Workloads.image("v1.2.9"));
  }

  @Test
  void undoesToPreviousRevisionWhenNoneGiven() {
    UndoResult r = checkout().build().undo(0, ctx);

    assertThat(r.changed()).isTrue();
    assertThat(r.fromRevision()).isEqualTo(3);
    assertThat(r.toRevision()).isEqualTo(2);
    assertThat(image(live())).isEqualTo(Workloads.image("v1.2.9"));
    sim.reconcile();
    assertThat(live().getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "4");
    ReplicaSet reused = replicaSetOfRevision("4");
    assertThat(reused.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(Workloads.image("v1.2.9"));
    assertThat(reused.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision-history", "2");
    assertThat(checkout().build().history()).extracting(WorkloadRevision::revision).containsExactly(1L, 3L, 4L);
  }

  @Test
  void undoesToTheRevisionGiven() {
    UndoResult r = checkout().build().undo(1, ctx);

    assertThat(r.toRevision()).isEqualTo(1);
    assertThat(image(live())).isEqualTo(Workloads.image("v1.2.8"));
    assertThat(live().getMetadata().getAnnotations()).containsEntry("kubernetes.io/change-cause", "deploy v1.2.8");
  }

  @Test
  void rollsBackToTheNewestRevisionThatRunsTheTargetVersion() {
    KubernetesRollback k8s = checkout().build();

    k8s.rollback(new RollbackRequest("v1.3.0", "v1.2.8", null), ctx);

    assertThat(image(live())).isEqualTo(Workloads.image("v1.2.8"));
    assertThat(ctx.timelineMessages()).contains("rolled back deployment/checkout in test from revision 3 to revision 1 (v1.2.8)");
  }

  @Test
  void aRevisionNamedByTheRequestWinsOverTheVersion() {
    checkout().build().rollback(new RollbackRequest("v1.3.0", "v1.2.9", "1"), ctx);

    assertThat(image(live())).isEqualTo(Workloads.image("v1.2.8"));
  }

  @Test
  void undoToTheCurrentRevisionIsANoOpWithAMessage() {
    Deployment before = live();

    UndoResult r = checkout().build().undo(3, ctx);

    assertThat(r.changed()).isFalse();
    assertThat(r.message()).isEqualTo("skipped rollback of deployment/checkout (current template already matches revision 3, v1.3.0)");
    assertThat(live().getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(ctx.timelineMessages()).containsExactly(r.message());
  }

  @Test
  void rollingBackToTheVersionAlreadyRunningChangesNothing() {
    Deployment before = live();

    checkout().build().rollback(new RollbackRequest("v1.3.0", "v1.3.0", null), ctx);

    assertThat(live().getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(ctx.timelineMessages()).containsExactly("deployment/checkout already runs v1.3.0 (revision 3): nothing to undo");
  }

  @Test
  void aMissingRevisionFailsListingTheRevisionsThatExist() {
    Deployment before = live();

    assertThatThrownBy(() -> checkout().build().undo(7, ctx))
        .isInstanceOf(RollbackException.class)
        .hasMessage("unable to find revision 7 of deployment/checkout in namespace test; revisions: "
            + "1 (v1.2.8), 2 (v1.2.9), 3 (v1.3.0, current)")
        .extracting(e -> ((RollbackException) e).code()).isEqualTo(ErrorCode.VERSION_REJECTED);
    assertThat(live().getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
  }

  @Test
  void aVersionWithoutRevisionFailsWhenRollbackByImageIsOff() {
    assertThatThrownBy(() -> checkout().rollbackByImage(false).build().rollback(new RollbackRequest("v1.3.0", "v1.1.0", null), ctx))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("no revision of deployment/checkout in namespace test runs v1.1.0; revisions: 1 (v1.2.8), 2 (v1.2.9), 3 (v1.3.0, current)");
  }

  @Test
  void aPausedDeploymentIsRefusedWithAHint() {
    client.apps().deployments().withName("checkout").rolling().pause();
    Deployment before = live();

    assertThatThrownBy(() -> checkout().build().undo(0, ctx))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("deployment/checkout in namespace test is paused")
        .hasMessageContaining("kubectl rollout resume deployment/checkout -n test")
        .hasMessageContaining("resumeIfPaused(true)");
    assertThat(image(live())).isEqualTo(image(before));
  }

  @Test
  void aPausedDeploymentIsResumedInTheSamePatchWhenAsked() {
    client.apps().deployments().withName("checkout").rolling().pause();

    UndoResult r = checkout().resumeIfPaused(true).build().undo(0, ctx);

    assertThat(r.resumed()).isTrue();
    assertThat(live().getSpec().getPaused()).isFalse();
    assertThat(image(live())).isEqualTo(Workloads.image("v1.2.9"));
  }

  @Test
  void theDeploymentAfterTheUndoIsWhatKubectlWouldMakeFieldByField() {
    String lastApplied = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"checkout\"},"
        + "\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"" + Workloads.image("v1.3.0") + "\"}]}}}}";
    client.apps().deployments().withName("checkout").edit(d -> {
      d.getMetadata().getAnnotations().put(LAST_APPLIED, lastApplied);
      d.getMetadata().getAnnotations().put("deployment.kubernetes.io/desired-replicas", "3");
      return d;
    });
    ReplicaSet target = replicaSetOfRevision("2");
    Deployment before = live();

    UndoResult r = checkout().build().undo(2, ctx);

    Deployment after = live();
    // the template: the ReplicaSet's, without pod-template-hash
    Map<String, String> expectedLabels = new LinkedHashMap<>(target.getSpec().getTemplate().getMetadata().getLabels());
    assertThat(expectedLabels).containsKey("pod-template-hash");
    expectedLabels.remove("pod-template-hash");
    assertThat(after.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(expectedLabels).isEqualTo(Map.of("app", "checkout"));
    assertThat(after.getSpec().getTemplate().getMetadata().getAnnotations()).isEqualTo(Map.of("prometheus.io/scrape", "true"));
    assertThat(after.getSpec().getTemplate().getSpec()).isEqualTo(target.getSpec().getTemplate().getSpec());
    // the annotations: the ReplicaSet's, except the controller's own, which keep the Deployment's values
    assertThat(target.getMetadata().getAnnotations()).containsKeys("deployment.kubernetes.io/revision",
        "deployment.kubernetes.io/desired-replicas", "deployment.kubernetes.io/max-replicas");
    assertThat(after.getMetadata().getAnnotations()).isEqualTo(Map.of(
        LAST_APPLIED, lastApplied,
        "deployment.kubernetes.io/revision", "3",
        "deployment.kubernetes.io/desired-replicas", "3",
        "kubernetes.io/change-cause", "deploy v1.2.9",
        "team", "payments"));
    // nothing else moved
    assertThat(after.getSpec().getReplicas()).isEqualTo(before.getSpec().getReplicas());
    assertThat(after.getSpec().getSelector()).isEqualTo(before.getSpec().getSelector());
    assertThat(after.getMetadata().getLabels()).isEqualTo(before.getMetadata().getLabels());
    assertThat(after.getMetadata().getGeneration()).isEqualTo(before.getMetadata().getGeneration() + 1);
    // the stale last-applied-configuration is a recorded hazard
    assertThat(r.lastAppliedConfigurationStale()).isTrue();
    assertThat(ctx.timeline()).filteredOn(e -> "stale-last-applied-configuration".equals(e.facts().get("hazard")))
        .singleElement()
        .extracting(TimelineEntry::message).asString()
        .contains("keeps a stale kubectl.kubernetes.io/last-applied-configuration", "next kubectl apply");
  }

  @Test
  void updatesTheLastAppliedConfigurationToTheRestoredTemplateWhenAsked() {
    String lastApplied = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"checkout\"},"
        + "\"spec\":{\"replicas\":3,\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"" + Workloads.image("v1.3.0") + "\"}]}}}}";
    client.apps().deployments().withName("checkout").edit(d -> {
      d.getMetadata().getAnnotations().put(LAST_APPLIED, lastApplied);
      return d;
    });

    UndoResult r = checkout().updateLastAppliedConfiguration(true).build().undo(2, ctx);

    String updated = live().getMetadata().getAnnotations().get(LAST_APPLIED);
    assertThat(updated).contains(Workloads.image("v1.2.9")).doesNotContain("v1.3.0").doesNotContain("pod-template-hash")
        .contains("\"replicas\":3").contains("\"name\":\"checkout\"");
    assertThat(r.lastAppliedConfigurationStale()).isFalse();
    assertThat(ctx.timeline()).noneMatch(e -> e.facts().containsKey("hazard"));
  }

  @Test
  void replicaSetsThatMatchTheLabelsButAreNotOwnedAreNotHistory() {
    ReplicaSet rev2 = replicaSetOfRevision("2");
    client.apps().replicaSets().resource(new ReplicaSetBuilder()
        .withNewMetadata().withName("impostor").withLabels(rev2.getMetadata().getLabels())
        .withAnnotations(Map.of("deployment.kubernetes.io/revision", "99")).endMetadata()
        .withNewSpec().withReplicas(0).withSelector(rev2.getSpec().getSelector())
        .withTemplate(Workloads.template("checkout", "v0.0.1-evil")).endSpec()
        .build()).create();

    checkout().build().undo(0, ctx);

    assertThat(checkout().build().history()).extracting(WorkloadRevision::revision).containsExactly(1L, 2L, 3L);
    assertThat(image(live())).isEqualTo(Workloads.image("v1.2.9"));
  }

  @Test
  void theBuilderReportsEveryProblemAtOnce() {
    assertThatThrownBy(() -> KubernetesRollback.deployment("Checkout!").namespace("Prod").toRevision(-1).logLines(-2).build())
        .isInstanceOf(RollbackException.class)
        .satisfies(e -> assertThat(((RollbackException) e).problems()).hasSize(5))
        .hasMessageContaining("deployment name must be a DNS subdomain name")
        .hasMessageContaining("but was 'Checkout!'")
        .hasMessageContaining("namespace must be a DNS label")
        .hasMessageContaining("toRevision must be 0 (by version) or a revision number, but was -1")
        .hasMessageContaining("logLines must be between 0 and 1000, but was -2")
        .hasMessageContaining("client must be set");
  }

  @Test
  void theVersionContainerMustBeNamedWhenThePodHasSeveral() {
    client.apps().deployments().withName("checkout").edit(d -> {
      d.getSpec().getTemplate().getSpec().getContainers().add(
          new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("envoy").withImage("envoyproxy/envoy:v1.31").build());
      return d;
    });

    assertThatThrownBy(() -> checkout().build().currentVersion())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("deployment/checkout in namespace test has containers [app, envoy]: name the one whose image tag is the version with container(..)");
    assertThat(checkout().container("app").build().currentVersion()).isEqualTo("v1.3.0");
    assertThat(checkout().container("envoy").build().currentVersion()).isEqualTo("v1.31");
  }

  @Test
  void theVersionProbeReadsTheRunningImageTag() {
    KubernetesVersionProbe probe = KubernetesVersionProbe.of(checkout().build());

    assertThat(probe.currentVersion()).isEqualTo("v1.3.0");
    assertThat(probe.source()).isEqualTo("kubernetes deployment/checkout in test");
    Workloads.setVersion(client, "checkout", "v1.3.1");
    assertThat(probe.currentVersion()).isEqualTo("v1.3.1");
  }

  @Test
  void theSimulatedControllerKeepsTheReplicaSetsLikeTheRealOne() {
    List<ReplicaSet> sets = client.apps().replicaSets().list().getItems().stream()
        .sorted(Comparator.comparing(rs -> rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"))).toList();

    assertThat(sets).hasSize(3);
    assertThat(sets).allSatisfy(rs -> {
      assertThat(rs.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
        assertThat(o.getController()).isTrue();
        assertThat(o.getUid()).isEqualTo(live().getMetadata().getUid());
      });
      assertThat(rs.getMetadata().getLabels()).containsKey("pod-template-hash");
      assertThat(rs.getSpec().getSelector().getMatchLabels()).containsEntry("pod-template-hash", rs.getMetadata().getLabels().get("pod-template-hash"));
    });
    assertThat(sets).extracting(rs -> rs.getSpec().getReplicas()).containsExactly(0, 0, 3);
    assertThat(client.pods().list().getItems()).hasSize(3)
        .allSatisfy(p -> assertThat(p.getMetadata().getName()).startsWith(sets.get(2).getMetadata().getName() + "-"));
    assertThat(live().getStatus().getUpdatedReplicas()).isEqualTo(3);
    assertThat(live().getStatus().getAvailableReplicas()).isEqualTo(3);
  }
}
