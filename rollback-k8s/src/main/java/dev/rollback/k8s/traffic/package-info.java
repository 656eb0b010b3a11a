/**
 * Core's {@link dev.rollback.core.traffic.TrafficRouter} on Kubernetes: a blue-green switch of a
 * Service's selector, ingress-nginx canary weights, and Gateway API {@code HTTPRoute} backend
 * weights. Every router waits for the target Deployment's ready capacity before it moves traffic.
 */
@NullMarked
package dev.rollback.k8s.traffic;

import org.jspecify.annotations.NullMarked;
