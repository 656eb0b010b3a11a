/**
 * A stand-in for the Kubernetes controllers that fabric8's CRUD mock server lacks: {@link
 * dev.rollback.testkit.k8s.SimulatedDeploymentController} turns Deployments into ReplicaSets and
 * Pods, StatefulSets and DaemonSets into ControllerRevisions, and moves their status forward on
 * simulated time, so undo and rollout waits can be tested end to end. It needs the fabric8 {@code
 * kubernetes-client-api} on the class path (an optional dependency of the testkit).
 */
@NullMarked
package dev.rollback.testkit.k8s;

import org.jspecify.annotations.NullMarked;
