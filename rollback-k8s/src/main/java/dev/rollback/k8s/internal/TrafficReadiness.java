package dev.rollback.k8s.internal;

import dev.rollback.core.StepContext;
import dev.rollback.k8s.traffic.BackendNotReadyException;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Waits until a backend's Deployment reports ready capacity before a router sends it traffic: the
 * controller has observed the current generation, {@code spec.replicas > 0}, and {@code
 * status.readyReplicas >= spec.replicas}. A Deployment still scaling up is not ready (the bug of
 * argo-rollouts PR #4852, which sent all traffic to a canary with one pod of five).
 *
 * @param client the client
 * @param namespace the namespace of the Deployments
 * @param timeout the longest wait per backend
 * @param pollInterval the time between polls
 */
public record TrafficReadiness(KubernetesClient client, String namespace, Duration timeout, Duration pollInterval) {

  /**
   * Returns once the Deployment is ready; polls through {@link StepContext#await}.
   *
   * @param router the router's name, for messages
   * @param backend the backend name
   * @param deployment the Deployment's name
   * @param ctx the run's context
   * @throws BackendNotReadyException naming what was last seen when the timeout passes
   * @throws InterruptedException when interrupted
   */
  public void awaitReady(String router, String backend, String deployment, StepContext ctx) throws InterruptedException {
    AtomicReference<String> seen = new AtomicReference<>("not polled");
    String what = "ready capacity of deployment " + namespace + "/" + deployment + " (backend " + backend + ")";
    boolean ready = ctx.await(what, () -> {
      Deployment d = client.apps().deployments().inNamespace(namespace).withName(deployment).get();
      String state = describe(d);
      seen.set(state);
      return isReady(d);
    }, timeout, pollInterval);
    if (!ready) {
      throw new BackendNotReadyException(router, backend, namespace + "/" + deployment, timeout, seen.get());
    }
    ctx.record("backend " + backend + " has ready capacity", Map.of("kind", "traffic", "router", router, "backend", backend,
        "deployment", namespace + "/" + deployment, "seen", seen.get()));
  }

  /**
   * @param d a Deployment, or null when it does not exist
   * @return whether it reports ready capacity on its current generation
   */
  public static boolean isReady(@Nullable Deployment d) {
    if (d == null) {
      return false;
    }
    int want = wanted(d);
    DeploymentStatus s = d.getStatus();
    int ready = s == null || s.getReadyReplicas() == null ? 0 : s.getReadyReplicas();
    return want > 0 && ready >= want && observedCurrent(d);
  }

  private static int wanted(Deployment d) {
    return d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
  }

  private static boolean observedCurrent(Deployment d) {
    Long generation = d.getMetadata().getGeneration();
    DeploymentStatus s = d.getStatus();
    Long observed = s == null ? null : s.getObservedGeneration();
    return generation == null || (observed != null && observed >= generation);
  }

  /**
   * @param d a Deployment, or null
   * @return its readiness in words, e.g. {@code readyReplicas=1 of spec.replicas=3, observedGeneration=2 of generation=2}
   */
  public static String describe(@Nullable Deployment d) {
    if (d == null) {
      return "the deployment does not exist";
    }
    DeploymentStatus s = d.getStatus();
    int ready = s == null || s.getReadyReplicas() == null ? 0 : s.getReadyReplicas();
    int want = wanted(d);
    String text = "readyReplicas=" + ready + " of spec.replicas=" + want
        + ", observedGeneration=" + (s == null ? null : s.getObservedGeneration()) + " of generation=" + d.getMetadata().getGeneration();
    return want == 0 ? text + " (scaled to zero)" : text;
  }
}
