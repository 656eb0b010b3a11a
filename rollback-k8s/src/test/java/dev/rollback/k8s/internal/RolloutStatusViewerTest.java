package dev.rollback.k8s.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.junit.jupiter.api.Test;

/** kubectl rollout status's conditions, one by one, in kubectl's order. */
class RolloutStatusViewerTest {

  private static DeploymentBuilder deployment(long generation, long observed, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata().withName("checkout").withGeneration(generation).endMetadata()
        .withNewSpec().withReplicas(replicas).endSpec()
        .withNewStatus().withObservedGeneration(observed).endStatus();
  }

  @Test
  void aDeploymentWaitsUntilTheControllerObservedItsGeneration() {
    Deployment d = deployment(5, 4, 3).editStatus().withReplicas(3).withUpdatedReplicas(3).withAvailableReplicas(3).endStatus().build();

    RolloutState s = RolloutStatusViewer.deployment(d);

    assertThat(s.done()).isFalse();
    assertThat(s.observed()).isFalse();
    assertThat(s.message()).isEqualTo("waiting for deployment \"checkout\" spec update to be observed");
  }

  @Test
  void aDeploymentChecksUpdatedThenOldThenAvailableReplicas() {
    assertThat(RolloutStatusViewer.deployment(deployment(5, 5, 3).editStatus().withReplicas(4).withUpdatedReplicas(2)
        .withAvailableReplicas(3).endStatus().build()).message())
        .isEqualTo("waiting for deployment \"checkout\" rollout to finish: 2 out of 3 new replicas have been updated");
    assertThat(RolloutStatusViewer.deployment(deployment(5, 5, 3).editStatus().withReplicas(4).withUpdatedReplicas(3)
        .withAvailableReplicas(3).endStatus().build()).message())
        .isEqualTo("waiting for deployment \"checkout\" rollout to finish: 1 old replicas are pending termination");
    assertThat(RolloutStatusViewer.deployment(deployment(5, 5, 3).editStatus().withReplicas(3).withUpdatedReplicas(3)
        .withAvailableReplicas(2).endStatus().build()).message())
        .isEqualTo("waiting for deployment \"checkout\" rollout to finish: 2 of 3 updated replicas are available");
    RolloutState done = RolloutStatusViewer.deployment(deployment(5, 5, 3).editStatus().withReplicas(3).withUpdatedReplicas(3)
        .withAvailableReplicas(3).endStatus().build());
    assertThat(done.done()).isTrue();
    assertThat(done.fraction()).isEqualTo(1.0);
    assertThat(done.message()).isEqualTo("deployment \"checkout\" successfully rolled out");
  }

  @Test
  void aDeploymentPastItsProgressDeadlineHasFailed() {
    Deployment d = deployment(5, 5, 3).editStatus().withReplicas(4).withUpdatedReplicas(1).withAvailableReplicas(3)
        .addNewCondition().withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
        .withMessage("ReplicaSet \"checkout-abc\" has timed out progressing.").endCondition()
        .endStatus().build();

    RolloutState s = RolloutStatusViewer.deployment(d);

    assertThat(s.failed()).isTrue();
    assertThat(s.done()).isFalse();
    assertThat(s.message()).isEqualTo("deployment \"checkout\" exceeded its progress deadline: ReplicaSet \"checkout-abc\" has timed out progressing.");
  }

  @Test
  void aStatefulSetIsDoneWhenAllAreReadyAndTheRevisionsAgree() {
    StatefulSetBuilder base = new StatefulSetBuilder().withNewMetadata().withName("ledger").withGeneration(2L).endMetadata()
        .withNewSpec().withReplicas(3).endSpec();
    StatefulSet rolling = base.build().toBuilder().withNewStatus().withObservedGeneration(2L).withReadyReplicas(3).withUpdatedReplicas(1)
        .withCurrentRevision("ledger-a").withUpdateRevision("ledger-b").endStatus().build();
    StatefulSet done = base.build().toBuilder().withNewStatus().withObservedGeneration(2L).withReadyReplicas(3).withUpdatedReplicas(3)
        .withCurrentReplicas(3).withCurrentRevision("ledger-b").withUpdateRevision("ledger-b").endStatus().build();

    assertThat(RolloutStatusViewer.statefulSet(rolling).message())
        .isEqualTo("waiting for statefulset \"ledger\" rolling update to complete 1 pods at revision ledger-b");
    assertThat(RolloutStatusViewer.statefulSet(done).done()).isTrue();
    assertThat(RolloutStatusViewer.statefulSet(done).message()).isEqualTo("statefulset \"ledger\" rolling update complete 3 pods at revision ledger-b");
  }

  @Test
  void aPartitionedStatefulSetIsDoneWhenThePodsAboveThePartitionAreUpdated() {
    StatefulSet sts = new StatefulSetBuilder().withNewMetadata().withName("ledger").withGeneration(2L).endMetadata()
        .withNewSpec().withReplicas(5).withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate().withPartition(3)
        .endRollingUpdate().endUpdateStrategy().endSpec()
        .withNewStatus().withObservedGeneration(2L).withReadyReplicas(5).withUpdatedReplicas(2).endStatus().build();

    assertThat(RolloutStatusViewer.statefulSet(sts).done()).isTrue();
    assertThat(RolloutStatusViewer.statefulSet(sts).message()).isEqualTo("partitioned roll out of statefulset \"ledger\" complete: 2 new pods have been updated");
  }

  @Test
  void onDeleteHasNoRolloutToWaitFor() {
    StatefulSet sts = new StatefulSetBuilder().withNewMetadata().withName("ledger").endMetadata()
        .withNewSpec().withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy().endSpec().build();

    assertThatThrownBy(() -> RolloutStatusViewer.statefulSet(sts)).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("statefulset \"ledger\" uses update strategy OnDelete: rollout status is only available for RollingUpdate");
  }

  @Test
  void aDaemonSetWaitsForUpdatedThenAvailablePods() {
    DaemonSet ds = new DaemonSetBuilder().withNewMetadata().withName("agent").withGeneration(3L).endMetadata().withNewSpec().endSpec()
        .withNewStatus().withObservedGeneration(3L).withDesiredNumberScheduled(4).withUpdatedNumberScheduled(4).withNumberAvailable(3)
        .endStatus().build();

    RolloutState s = RolloutStatusViewer.daemonSet(ds);

    assertThat(s.done()).isFalse();
    assertThat(s.message()).isEqualTo("waiting for daemon set \"agent\" rollout to finish: 3 of 4 updated pods are available");
    assertThat(s.counts()).isEqualTo("4/4 updated, 3/4 available");
    assertThat(s.fraction()).isEqualTo(7.0 / 8.0);
  }
}
