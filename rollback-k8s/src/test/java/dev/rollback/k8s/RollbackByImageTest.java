package dev.rollback.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.strategy.Convergence;
import dev.rollback.core.strategy.RollbackRequest;
import dev.rollback.testkit.DetachedStepContext;
import dev.rollback.testkit.ManualClock;
import dev.rollback.testkit.k8s.SimulatedDeploymentController;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** When revisionHistoryLimit dropped the target's ReplicaSet, the rollback sets the image tag instead. */
@EnableKubernetesMockClient(crud = true)
class RollbackByImageTest {
  static {
    Workloads.quietMockServer();
  }

  KubernetesClient client;
  KubernetesMockServer server;

  private final ManualClock clock = ManualClock.create();
  private SimulatedDeploymentController sim;
  private DetachedStepContext ctx;

  @BeforeEach
  void historyOfOne() {
    sim = SimulatedDeploymentController.builder(client).clock(clock).watch(false).build();
    Deployment d = Workloads.deployment("checkout", "v1.2.8", 2);
    d.getSpec().setRevisionHistoryLimit(1);
    d.getSpec().getTemplate().getSpec().getContainers().add(
        new ContainerBuilder().withName("sidecar").withImage("registry.example.com/checkout-sidecar:v1.2.8").build());
    client.apps().deployments().resource(d).createOr(NonDeletingOperation::update);
    assertThat(sim.settle()).isTrue();
    for (String v : new String[] {"v1.2.9", "v1.3.0"}) {
      Workloads.setVersion(client, "checkout", v);
      assertThat(sim.settle()).isTrue();
    }
    ctx = Workloads.context(clock, sim.sleeper(clock), "v1.2.8");
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private Deployment live() {
    return client.apps().deployments().withName("checkout").get();
  }

  @Test
  void setsTheVersionContainersImageTagWhenTheRevisionIsGone() throws Exception {
    KubernetesRollback k8s = KubernetesRollback.deployment("checkout").client(client).container("app")
        .pollInterval(Duration.ofSeconds(1)).resyncInterval(Duration.ofSeconds(1)).build();
    assertThat(k8s.history()).extracting(WorkloadRevision::version).as("revision 1 is beyond the limit").containsExactly("v1.2.9", "v1.3.0");

    k8s.rollback(new RollbackRequest("v1.3.0", "v1.2.8", null), ctx);

    Deployment after = live();
    assertThat(after.getSpec().getTemplate().getSpec().getContainers()).extracting(c -> c.getName() + "=" + c.getImage())
        .containsExactly("app=" + Workloads.image("v1.2.8"), "sidecar=registry.example.com/checkout-sidecar:v1.2.8");
    assertThat(after.getMetadata().getAnnotations()).containsEntry("kubernetes.io/change-cause",
        "rollback to v1.2.8 by image: no revision of deployment/checkout runs it any more");
    assertThat(ctx.timeline()).singleElement().satisfies(e -> {
      assertThat(e.message()).startsWith("rolled back deployment/checkout in test to v1.2.8 by image (app=" + Workloads.image("v1.2.8") + ")");
      assertThat(e.message()).endsWith("revisions: 2 (v1.2.9), 3 (v1.3.0, current)");
      assertThat(e.facts()).containsEntry("method", "image").containsEntry("fromRevision", "3");
    });
    Convergence c = k8s.awaitConvergence(Duration.ofMinutes(5), ctx);
    assertThat(c.converged()).as(c.message()).isTrue();
    assertThat(c.facts()).containsEntry("revision", "4").containsEntry("version", "v1.2.8");
    assertThat(k8s.history()).last().satisfies(r -> {
      assertThat(r.revision()).isEqualTo(4);
      assertThat(r.changeCause()).isEqualTo("rollback to v1.2.8 by image: no revision of deployment/checkout runs it any more");
    });
  }

  @Test
  void setsTheTagOnEveryContainerGivenARepository() {
    KubernetesRollback k8s = KubernetesRollback.deployment("checkout").client(client).container("app")
        .image("sidecar", "registry.example.com/checkout-sidecar").image("app", "mirror.example.com/checkout").build();

    UndoResult r = k8s.undoByImage("v1.2.8", ctx);

    assertThat(r.method()).isEqualTo(UndoResult.BY_IMAGE);
    assertThat(r.images()).containsEntry("app", "mirror.example.com/checkout:v1.2.8")
        .containsEntry("sidecar", "registry.example.com/checkout-sidecar:v1.2.8");
    assertThat(live().getSpec().getTemplate().getSpec().getContainers()).extracting(c -> c.getImage())
        .containsExactly("mirror.example.com/checkout:v1.2.8", "registry.example.com/checkout-sidecar:v1.2.8");
  }

  @Test
  void aRepositoryForAContainerThePodDoesNotHaveIsRefusedBeforeAnythingChanges() {
    String before = live().getMetadata().getResourceVersion();
    KubernetesRollback k8s = KubernetesRollback.deployment("checkout").client(client).container("app")
        .image("envoy", "envoyproxy/envoy").build();

    assertThatThrownBy(() -> k8s.undoByImage("v1.2.8", ctx))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("image repository given for container 'envoy', but deployment/checkout in namespace test has containers [app, sidecar]");
    assertThat(live().getMetadata().getResourceVersion()).isEqualTo(before);
  }

  @Test
  void aVersionThatCannotBeATagIsRefused() {
    KubernetesRollback k8s = KubernetesRollback.deployment("checkout").client(client).container("app").build();

    assertThatThrownBy(() -> k8s.rollback(new RollbackRequest("v1.3.0", "release/1.2.8", null), ctx))
        .hasMessageStartingWith("version 'release/1.2.8' cannot be an image tag");
  }

  @Test
  void theBuilderRefusesARepositoryWithATag() {
    assertThatThrownBy(() -> KubernetesRollback.deployment("checkout").client(client).image("app", "registry.example.com/checkout:v1").build())
        .hasMessageContaining("image repository for container 'app' must be a repository without tag or digest, but was 'registry.example.com/checkout:v1'");
  }
}
