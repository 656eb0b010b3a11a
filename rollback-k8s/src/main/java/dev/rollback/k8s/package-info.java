/**
 * Kubernetes rollbacks on the fabric8 client: Deployment, StatefulSet and DaemonSet history and
 * undo with {@code kubectl}'s semantics, rollout waits, pod verification, traffic through Services,
 * ingress-nginx canaries and Gateway API routes, ConfigMap and Secret rollback, and a Lease lock.
 */
@NullMarked
package dev.rollback.k8s;

import org.jspecify.annotations.NullMarked;
