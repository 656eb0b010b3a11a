package dev.rollback.k8s;

import dev.rollback.core.VersionProbe;
import java.util.Objects;

/**
 * Reads the running version of a workload: the image tag of its version container (see {@link
 * KubernetesRollback.Builder#container}). Use it as the plan's current-version probe, next to an
 * HTTP probe if you like, so the run compares what Kubernetes runs with what the plan expects
 * before it touches anything.
 *
 * <pre>{@code
 * RollbackPlan.builder("checkout")
 *     .currentVersion(KubernetesVersionProbe.of(checkout))
 *     .currentVersion(VersionProbe.http(URI.create("https://checkout.example.com/version")))
 * }</pre>
 *
 * @since 0.1.0
 */
public final class KubernetesVersionProbe implements VersionProbe {
  private final KubernetesRollback workload;

  private KubernetesVersionProbe(KubernetesRollback workload) {
    this.workload = workload;
  }

  /**
   * @param workload the workload, as configured for its rollback
   * @return a probe of its running version
   */
  public static KubernetesVersionProbe of(KubernetesRollback workload) {
    return new KubernetesVersionProbe(Objects.requireNonNull(workload, "workload must not be null"));
  }

  /**
   * @return the image tag of the version container in the workload's pod template
   * @throws IllegalStateException when the workload does not exist or its version container is ambiguous
   */
  @Override
  public String currentVersion() {
    return workload.currentVersion();
  }

  /** @return e.g. {@code kubernetes deployment/checkout in prod} */
  @Override
  public String source() {
    return "kubernetes " + workload.workload() + " in " + workload.namespace();
  }

  @Override
  public String toString() {
    return "KubernetesVersionProbe[" + workload.workload() + " in " + workload.namespace() + "]";
  }
}
