package dev.rollback.k8s.internal;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import org.jspecify.annotations.Nullable;

/**
 * {@code kubectl rollout status}'s status viewers (k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go),
 * condition for condition.
 */
public final class RolloutStatusViewer {
  /** The reason of the {@code Progressing} condition when a Deployment stopped progressing. */
  public static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";

  private RolloutStatusViewer() {}

  /**
   * @param d a Deployment as read now
   * @return its rollout state
   */
  public static RolloutState deployment(Deployment d) {
    String name = d.getMetadata().getName();
    DeploymentStatus s = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    int updated = nz(s.getUpdatedReplicas());
    int available = nz(s.getAvailableReplicas());
    long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
    long observed = s.getObservedGeneration() == null ? 0 : s.getObservedGeneration();
    if (generation > observed) {
      return new RolloutState(false, false, "waiting for deployment \"" + name + "\" spec update to be observed", updated, available, desired);
    }
    DeploymentCondition progressing = null;
    if (s.getConditions() != null) {
      for (DeploymentCondition c : s.getConditions()) {
        if ("Progressing".equals(c.getType())) {
          progressing = c;
        }
      }
    }
    if (progressing != null && PROGRESS_DEADLINE_EXCEEDED.equals(progressing.getReason())) {
      return new RolloutState(false, true, "deployment \"" + name + "\" exceeded its progress deadline"
          + (progressing.getMessage() == null ? "" : ": " + progressing.getMessage()), updated, available, desired);
    }
    if (updated < desired) {
      return new RolloutState(false, false, "waiting for deployment \"" + name + "\" rollout to finish: " + updated + " out of " + desired
          + " new replicas have been updated", updated, available, desired);
    }
    int replicas = nz(s.getReplicas());
    if (replicas > updated) {
      return new RolloutState(false, false, "waiting for deployment \"" + name + "\" rollout to finish: " + (replicas - updated)
          + " old replicas are pending termination", updated, available, desired);
    }
    if (available < updated) {
      return new RolloutState(false, false, "waiting for deployment \"" + name + "\" rollout to finish: " + available + " of " + updated
          + " updated replicas are available", updated, available, desired);
    }
    return new RolloutState(true, false, "deployment \"" + name + "\" successfully rolled out", updated, available, desired);
  }

  /**
   * @param sts a StatefulSet as read now
   * @return its rollout state
   * @throws IllegalStateException for the OnDelete update strategy, which has no rollout to watch
   */
  public static RolloutState statefulSet(StatefulSet sts) {
    String name = sts.getMetadata().getName();
    String strategy = sts.getSpec().getUpdateStrategy() == null ? null : sts.getSpec().getUpdateStrategy().getType();
    if (strategy != null && !"RollingUpdate".equals(strategy)) {
      throw new IllegalStateException("statefulset \"" + name + "\" uses update strategy " + strategy
          + ": rollout status is only available for RollingUpdate; delete its pods to roll it back, then check them");
    }
    StatefulSetStatus s = sts.getStatus() == null ? new StatefulSetStatus() : sts.getStatus();
    int desired = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
    int updated = nz(s.getUpdatedReplicas());
    int ready = nz(s.getReadyReplicas());
    long generation = sts.getMetadata().getGeneration() == null ? 0 : sts.getMetadata().getGeneration();
    long observed = s.getObservedGeneration() == null ? 0 : s.getObservedGeneration();
    if (observed == 0 || generation > observed) {
      return new RolloutState(false, false, "waiting for statefulset \"" + name + "\" spec update to be observed", updated, ready, desired);
    }
    if (ready < desired) {
      return new RolloutState(false, false, "waiting for " + (desired - ready) + " pods of statefulset \"" + name + "\" to be ready",
          updated, ready, desired);
    }
    Integer partition = sts.getSpec().getUpdateStrategy() == null || sts.getSpec().getUpdateStrategy().getRollingUpdate() == null
        ? null : sts.getSpec().getUpdateStrategy().getRollingUpdate().getPartition();
    if (partition != null && partition > 0) {
      if (updated < desired - partition) {
        return new RolloutState(false, false, "waiting for partitioned roll out of statefulset \"" + name + "\" to finish: " + updated
            + " out of " + (desired - partition) + " new pods have been updated", updated, ready, desired);
      }
      return new RolloutState(true, false, "partitioned roll out of statefulset \"" + name + "\" complete: " + updated
          + " new pods have been updated", updated, ready, desired);
    }
    if (s.getUpdateRevision() == null || !s.getUpdateRevision().equals(s.getCurrentRevision())) {
      return new RolloutState(false, false, "waiting for statefulset \"" + name + "\" rolling update to complete " + updated
          + " pods at revision " + s.getUpdateRevision(), updated, ready, desired);
    }
    return new RolloutState(true, false, "statefulset \"" + name + "\" rolling update complete " + nz(s.getCurrentReplicas())
        + " pods at revision " + s.getCurrentRevision(), updated, ready, desired);
  }

  /**
   * @param ds a DaemonSet as read now
   * @return its rollout state
   * @throws IllegalStateException for the OnDelete update strategy
   */
  public static RolloutState daemonSet(DaemonSet ds) {
    String name = ds.getMetadata().getName();
    String strategy = ds.getSpec().getUpdateStrategy() == null ? null : ds.getSpec().getUpdateStrategy().getType();
    if (strategy != null && !"RollingUpdate".equals(strategy)) {
      throw new IllegalStateException("daemonset \"" + name + "\" uses update strategy " + strategy
          + ": rollout status is only available for RollingUpdate; delete its pods to roll it back, then check them");
    }
    DaemonSetStatus s = ds.getStatus() == null ? new DaemonSetStatus() : ds.getStatus();
    int desired = nz(s.getDesiredNumberScheduled());
    int updated = nz(s.getUpdatedNumberScheduled());
    int available = nz(s.getNumberAvailable());
    long generation = ds.getMetadata().getGeneration() == null ? 0 : ds.getMetadata().getGeneration();
    long observed = s.getObservedGeneration() == null ? 0 : s.getObservedGeneration();
    if (generation > observed) {
      return new RolloutState(false, false, "waiting for daemon set \"" + name + "\" spec update to be observed", updated, available, desired);
    }
    if (updated < desired) {
      return new RolloutState(false, false, "waiting for daemon set \"" + name + "\" rollout to finish: " + updated + " out of " + desired
          + " new pods have been updated", updated, available, desired);
    }
    if (available < desired) {
      return new RolloutState(false, false, "waiting for daemon set \"" + name + "\" rollout to finish: " + available + " of " + desired
          + " updated pods are available", updated, available, desired);
    }
    return new RolloutState(true, false, "daemon set \"" + name + "\" successfully rolled out", updated, available, desired);
  }

  private static int nz(@Nullable Integer i) {
    return i == null ? 0 : i;
  }
}
