package dev.rollback.benchmarks.k8s;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.jspecify.annotations.Nullable;

/**
 * A Deployment at revision 3 with its three ReplicaSets, as the deployment controller leaves them
 * (API-NOTES §8): revision annotations, controller owner references, {@code pod-template-hash}
 * labels, pod templates with an API server's defaults. Revision 2 runs image {@code …:1.2.0}.
 */
final class BenchObjects {
  private BenchObjects() {}

  static void namespace(KubernetesClient client, String namespace) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
  }

  /**
   * Creates the Deployment {@code name} in {@code namespace} and its ReplicaSets: 4 requests.
   *
   * @return the stored Deployment
   */
  static Deployment create(KubernetesClient client, String namespace, String name) {
    Deployment d = new DeploymentBuilder()
        .withNewMetadata()
          .withName(name).withNamespace(namespace).addToLabels("app", name)
          .addToAnnotations("deployment.kubernetes.io/revision", "3")
          .addToAnnotations("kubernetes.io/change-cause", "deploy " + name + " 1.3.0")
        .endMetadata()
        .withNewSpec()
          .withReplicas(3)
          .withNewSelector().addToMatchLabels("app", name).endSelector()
          .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
            .withMaxSurge(new IntOrString("25%")).withMaxUnavailable(new IntOrString("25%")).endRollingUpdate().endStrategy()
          .withRevisionHistoryLimit(10)
          .withProgressDeadlineSeconds(600)
          .withTemplate(template(name, 3, null))
        .endSpec()
        .build();
    Deployment stored = client.apps().deployments().inNamespace(namespace).resource(d).create();
    for (int revision = 1; revision <= 3; revision++) {
      String hash = Integer.toHexString((name + "/" + revision).hashCode() & 0x7fffffff);
      client.apps().replicaSets().inNamespace(namespace).resource(new ReplicaSetBuilder()
          .withNewMetadata()
            .withName(name + "-" + hash).withNamespace(namespace)
            .withLabels(template(name, revision, hash).getMetadata().getLabels())
            .addToAnnotations("deployment.kubernetes.io/revision", Integer.toString(revision))
            .addToAnnotations("deployment.kubernetes.io/desired-replicas", "3")
            .addToAnnotations("deployment.kubernetes.io/max-replicas", "4")
            .addToAnnotations("kubernetes.io/change-cause", "deploy " + name + " 1." + revision + ".0")
            .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName(name)
              .withUid(stored.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).endOwnerReference()
          .endMetadata()
          .withNewSpec()
            .withReplicas(revision == 3 ? 3 : 0)
            .withNewSelector().addToMatchLabels("app", name).addToMatchLabels("pod-template-hash", hash).endSelector()
            .withTemplate(template(name, revision, hash))
          .endSpec()
          .build()).create();
    }
    return stored;
  }

  /** @return the image of revision {@code revision} */
  static String image(int revision) {
    return "registry.example.com/app:1." + revision + ".0";
  }

  private static PodTemplateSpec template(String name, int revision, @Nullable String hash) {
    PodTemplateSpecBuilder b = new PodTemplateSpecBuilder()
        .withNewMetadata()
          .addToLabels("app", name)
          .addToAnnotations("prometheus.io/scrape", "true")
          .addToAnnotations("checksum/config", "sha256-" + revision)
        .endMetadata()
        .withNewSpec()
          .addNewContainer()
            .withName("app")
            .withImage(image(revision))
            .withImagePullPolicy("IfNotPresent")
            .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
            .addNewEnv().withName("VERSION").withValue("1." + revision + ".0").endEnv()
            .withNewResources()
              .addToRequests("cpu", new Quantity("100m"))
              .addToRequests("memory", new Quantity("256Mi"))
              .addToLimits("memory", new Quantity("512Mi"))
            .endResources()
            .withNewReadinessProbe()
              .withNewHttpGet().withPath("/health").withPort(new IntOrString(8080)).withScheme("HTTP").endHttpGet()
              .withTimeoutSeconds(1).withPeriodSeconds(10).withSuccessThreshold(1).withFailureThreshold(3)
            .endReadinessProbe()
            .withTerminationMessagePath("/dev/termination-log")
            .withTerminationMessagePolicy("File")
          .endContainer()
          .withRestartPolicy("Always")
          .withTerminationGracePeriodSeconds(30L)
          .withDnsPolicy("ClusterFirst")
          .withSchedulerName("default-scheduler")
          .withNewSecurityContext().endSecurityContext()
        .endSpec();
    if (hash != null) {
      b.editMetadata().addToLabels("pod-template-hash", hash).endMetadata();
    }
    return b.build();
  }
}
