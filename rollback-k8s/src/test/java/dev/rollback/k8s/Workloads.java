package dev.rollback.k8s;

import dev.rollback.core.Sleeper;
import dev.rollback.testkit.DetachedStepContext;
import dev.rollback.testkit.k8s.SimulatedDeploymentController;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Workloads as a user's manifests describe them, and kubectl-like changes to them. */
final class Workloads {
  static final String REPO = "registry.example.com/checkout";
  static final int LOG_LINES = 20;

  /** Held, so that the level sticks: the mock server logs every request at INFO through java.util.logging. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private Workloads() {}

  /** Keeps the mock server's per-request log lines out of the test output. */
  static void quietMockServer() {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  /** A context for calling the strategy directly, as the runner would in the platform step of checkout's run. */
  static DetachedStepContext context(Clock clock, Sleeper sleeper, String toVersion) {
    return DetachedStepContext.builder().runId("run-1").service("checkout").versions("v1.3.0", toVersion)
        .stepId("platform-rollback-kubernetes").clock(clock).sleeper(sleeper).build();
  }

  static String image(String version) {
    return REPO + ":" + version;
  }

  static PodTemplateSpec template(String app, String version) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(Map.of("app", app)).withAnnotations(Map.of("prometheus.io/scrape", "true")).endMetadata()
        .withNewSpec()
        .addNewContainer().withName("app").withImage(image(version)).addNewPort().withContainerPort(8080).endPort().endContainer()
        .endSpec()
        .build();
  }

  static Deployment deployment(String name, String version, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata().withName(name)
        .withAnnotations(new LinkedHashMap<>(Map.of("kubernetes.io/change-cause", "deploy " + version, "team", "payments")))
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withProgressDeadlineSeconds(60)
        .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
        .withTemplate(template(name, version))
        .endSpec()
        .build();
  }

  /** {@code kubectl set image} plus {@code kubectl annotate kubernetes.io/change-cause=...}, in one edit. */
  static void setVersion(KubernetesClient client, String name, String version) {
    client.apps().deployments().withName(name).edit(d -> {
      d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image(version));
      d.getMetadata().getAnnotations().put("kubernetes.io/change-cause", "deploy " + version);
      return d;
    });
  }

  /** Creates a Deployment and rolls it through the versions, settling after each: revisions 1..n. */
  static void deployedThrough(KubernetesClient client, SimulatedDeploymentController sim, String name, int replicas, String... versions) {
    client.apps().deployments().resource(deployment(name, versions[0], replicas)).createOr(NonDeletingOperation::update);
    if (!sim.settle()) {
      throw new IllegalStateException("the first rollout of " + name + " did not settle");
    }
    for (int i = 1; i < versions.length; i++) {
      setVersion(client, name, versions[i]);
      if (!sim.settle()) {
        throw new IllegalStateException("the rollout of " + name + " to " + versions[i] + " did not settle");
      }
    }
  }

  static StatefulSet statefulSet(String name, String version, int replicas) {
    return new StatefulSetBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withServiceName(name)
        .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
        .withTemplate(template(name, version))
        .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
        .endSpec()
        .build();
  }

  static DaemonSet daemonSet(String name, String version) {
    return new DaemonSetBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
        .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
        .withTemplate(template(name, version))
        .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
        .endSpec()
        .build();
  }

  /** Serves simulated container logs where the strategy reads them (current and previous run, 20 lines). */
  static SimulatedDeploymentController.PodLogSink logsOn(KubernetesMockServer server) {
    return (ns, pod, container, lines) -> {
      String body = String.join("\n", lines) + "\n";
      for (String previous : List.of("", "&previous=true")) {
        server.expect().get()
            .withPath("/api/v1/namespaces/" + ns + "/pods/" + pod + "/log?pretty=false&container=" + container + previous
                + "&tailLines=" + LOG_LINES)
            .andReturn(200, body).always();
      }
    };
  }
}
