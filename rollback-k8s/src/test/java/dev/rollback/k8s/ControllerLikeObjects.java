package dev.rollback.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A Deployment with three revisions and its ReplicaSets, as the deployment controller of a real
 * cluster would have left them after {@code create} and two rollouts (API-NOTES §8): the
 * Deployment carries {@code deployment.kubernetes.io/revision}; each ReplicaSet a controller owner
 * reference to it, the revision annotation and a {@code pod-template-hash} label; pod templates
 * hold the defaults an API server fills in (so that kubectl, which re-serialises them from Go
 * structs, writes back exactly what it read).
 *
 * <p>Revisions differ in everything an undo must restore: labels, pod-template annotations,
 * image, environment, resources, and a sidecar that only revision 3 has. Annotations cover every
 * branch of kubectl's rule: keys kubectl keeps from the Deployment (revision, last-applied
 * configuration), keys it takes from the ReplicaSet (change cause, an audit note), keys it drops
 * (desired/max replicas, a Deployment-only note). Two ReplicaSets that match the selector but are
 * not controlled by this Deployment carry higher revisions and must be ignored.
 */
final class ControllerLikeObjects {
  static final String NAME = "web";
  static final Map<String, String> SELECTOR = Map.of("app", NAME);
  static final String[] HASHES = {"", "6b8d5c7f94", "7f9c4d6b58", "5d8f7c9b46"};
  static final String LAST_APPLIED_OF_DEPLOYMENT =
      "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":3}}\n";

  private ControllerLikeObjects() {}

  /**
   * Creates the namespace, the Deployment at revision 3 and its ReplicaSets.
   *
   * @param client a client of the mock server
   * @param namespace where
   * @return the Deployment as stored (with its uid)
   */
  static Deployment create(KubernetesClient client, String namespace) {
    if (client.namespaces().withName(namespace).get() == null) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
    }
    Deployment stored = client.apps().deployments().inNamespace(namespace).resource(deployment(namespace)).create();
    for (ReplicaSet rs : replicaSets(stored)) {
      client.apps().replicaSets().inNamespace(namespace).resource(rs).create();
    }
    return stored;
  }

  /**
   * @param namespace where
   * @return the Deployment at revision 3 (template of revision 3, no hash label)
   */
  static Deployment deployment(String namespace) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("deployment.kubernetes.io/revision", "3");
    annotations.put("kubernetes.io/change-cause", "deploy web 1.3.0");
    annotations.put("kubectl.kubernetes.io/last-applied-configuration", LAST_APPLIED_OF_DEPLOYMENT);
    annotations.put("example.com/deployment-only", "dropped by an undo");
    return new DeploymentBuilder()
        .withNewMetadata()
          .withName(NAME)
          .withNamespace(namespace)
          .addToLabels("app", NAME)
          .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
          .withReplicas(3)
          .withNewSelector().withMatchLabels(SELECTOR).endSelector()
          .withNewStrategy()
            .withType("RollingUpdate")
            .withNewRollingUpdate()
              .withMaxSurge(new IntOrString("25%"))
              .withMaxUnavailable(new IntOrString("25%"))
            .endRollingUpdate()
          .endStrategy()
          .withRevisionHistoryLimit(10)
          .withProgressDeadlineSeconds(600)
          .withTemplate(template(3, null))
        .endSpec()
        .build();
  }

  /**
   * @param owner the stored Deployment (its uid is referenced)
   * @return revisions 1–3, owned, and two look-alikes that are not owned by it
   */
  static List<ReplicaSet> replicaSets(Deployment owner) {
    List<ReplicaSet> result = new ArrayList<>();
    String namespace = owner.getMetadata().getNamespace();
    String uid = owner.getMetadata().getUid();
    for (int revision = 1; revision <= 3; revision++) {
      Map<String, String> annotations = new LinkedHashMap<>();
      annotations.put("deployment.kubernetes.io/desired-replicas", "3");
      annotations.put("deployment.kubernetes.io/max-replicas", "4");
      annotations.put("deployment.kubernetes.io/revision", Integer.toString(revision));
      if (revision > 1) {
        annotations.put("kubernetes.io/change-cause", "deploy web 1." + revision + ".0");
      }
      if (revision == 2) {
        annotations.put("example.com/audit", "ticket-42");
        annotations.put("kubectl.kubernetes.io/last-applied-configuration", "{\"stale\":\"the ReplicaSet's copy\"}");
        // Not what a controller writes on this revision; here so that the undo's drop of it is exercised.
        annotations.put("deployment.kubernetes.io/revision-history", "0");
      }
      result.add(replicaSet(namespace, NAME + "-" + HASHES[revision], revision, annotations, HASHES[revision], uid, revision == 3 ? 3 : 0));
    }
    // Same labels, higher revisions, but not controlled by this Deployment: both kubectl and the
    // library must ignore them (fabric8's own undo picked such a ReplicaSet).
    result.add(replicaSet(namespace, NAME + "-orphan", 7, Map.of("deployment.kubernetes.io/revision", "7"), "0rphan", null, 0));
    result.add(replicaSet(namespace, NAME + "-canary-8c7b6a5d4", 8, Map.of("deployment.kubernetes.io/revision", "8"), "8c7b6a5d4",
        "00000000-0000-0000-0000-0000000000ff", 0));
    return result;
  }

  private static ReplicaSet replicaSet(String namespace, String name, int revision, Map<String, String> annotations, String hash,
      @Nullable String ownerUid, int replicas) {
    PodTemplateSpec template = template(Math.min(revision, 3), hash);
    ReplicaSetBuilder b = new ReplicaSetBuilder()
        .withNewMetadata()
          .withName(name)
          .withNamespace(namespace)
          .withLabels(template.getMetadata().getLabels())
          .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
          .withReplicas(replicas)
          .withNewSelector().addToMatchLabels(SELECTOR).addToMatchLabels("pod-template-hash", hash).endSelector()
          .withTemplate(template)
        .endSpec();
    if (ownerUid != null) {
      b.editMetadata()
          .addNewOwnerReference()
            .withApiVersion("apps/v1")
            .withKind("Deployment")
            .withName(ownerUid.endsWith("ff") ? NAME + "-canary" : NAME)
            .withUid(ownerUid)
            .withController(true)
            .withBlockOwnerDeletion(true)
          .endOwnerReference()
          .endMetadata();
    }
    return b.build();
  }

  /**
   * @param revision 1, 2 or 3
   * @param hash the pod-template-hash label, or null for the Deployment's own template
   * @return the pod template of that revision, with an API server's defaults filled in
   */
  static PodTemplateSpec template(int revision, @Nullable String hash) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app", NAME);
    labels.put("release", "1." + revision + ".0");
    if (revision >= 2) {
      labels.put("tier", "frontend");
    }
    if (hash != null) {
      labels.put("pod-template-hash", hash);
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("prometheus.io/scrape", "true");
    annotations.put("checksum/config", "sha256-" + revision);
    if (revision == 3) {
      annotations.put("kubectl.kubernetes.io/restartedAt", "2026-11-28T09:15:00Z");
    }
    List<Container> containers = new ArrayList<>();
    containers.add(new ContainerBuilder()
        .withName(NAME)
        .withImage("registry.example.com/web:1." + revision + ".0")
        .withImagePullPolicy("IfNotPresent")
        .withArgs("--port=8080", "--log-level=" + (revision == 3 ? "debug" : "info"))
        .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
        .addNewEnv().withName("VERSION").withValue("1." + revision + ".0").endEnv()
        .addNewEnv().withName("POOL_SIZE").withValue(Integer.toString(10 * revision)).endEnv()
        .withNewResources()
          .addToRequests("cpu", new Quantity("100m"))
          .addToRequests("memory", new Quantity(revision == 1 ? "128Mi" : "256Mi"))
          .addToLimits("memory", new Quantity(revision == 1 ? "256Mi" : "512Mi"))
        .endResources()
        .withNewReadinessProbe()
          .withNewHttpGet().withPath("/health").withPort(new IntOrString(8080)).withScheme("HTTP").endHttpGet()
          .withTimeoutSeconds(1)
          .withPeriodSeconds(10)
          .withSuccessThreshold(1)
          .withFailureThreshold(3)
        .endReadinessProbe()
        .withTerminationMessagePath("/dev/termination-log")
        .withTerminationMessagePolicy("File")
        .build());
    if (revision == 3) {
      containers.add(new ContainerBuilder()
          .withName("log-shipper")
          .withImage("registry.example.com/log-shipper:2.0")
          .withImagePullPolicy("IfNotPresent")
          .withNewResources().endResources()
          .withTerminationMessagePath("/dev/termination-log")
          .withTerminationMessagePolicy("File")
          .build());
    }
    return new PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(labels).withAnnotations(annotations).endMetadata()
        .withNewSpec()
          .withContainers(containers)
          .withRestartPolicy("Always")
          .withTerminationGracePeriodSeconds(30L)
          .withDnsPolicy("ClusterFirst")
          .withSchedulerName("default-scheduler")
          .withNewSecurityContext().endSecurityContext()
        .endSpec()
        .build();
  }
}
