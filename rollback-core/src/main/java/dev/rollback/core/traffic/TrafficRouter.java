package dev.rollback.core.traffic;

import dev.rollback.core.StepContext;

/**
 * Moves user traffic between backends: a load balancer's servers, a Kubernetes Service's colours,
 * an ingress canary, a Gateway API route. Implemented by platform modules ({@code rollback-traffic},
 * {@code rollback-k8s}); steps and runbooks use it to drain, switch and restore gradually.
 *
 * <p>Contract for implementations:
 *
 * <ul>
 *   <li>never send traffic to a backend without ready capacity: before {@link #apply} gives a
 *       backend a weight above zero, wait through {@link StepContext#await} (bounded, cancellable)
 *       until it reports ready capacity, or throw naming the backend and what was seen;
 *   <li>{@link #apply} is idempotent: applying the split that is already in place changes nothing;
 *   <li>a router that can only route all-or-nothing (a Service selector) says so through {@link
 *       #supportsPartialWeights()} and refuses a split with two non-zero weights.
 * </ul>
 *
 * @since 0.1.0
 */
public interface TrafficRouter {

  /** @return what this router steers, for messages, e.g. {@code service prod/checkout} */
  String name();

  /**
   * Reads the split in place now.
   *
   * @return the current weights
   * @throws Exception when the router cannot be read
   */
  TrafficSplit current() throws Exception;

  /**
   * Puts a split in place, after the backends it sends traffic to have ready capacity.
   *
   * @param split the weights to apply
   * @param ctx the run's context (waits, timeline)
   * @throws Exception when a backend never became ready, or the router refused
   */
  void apply(TrafficSplit split, StepContext ctx) throws Exception;

  /** @return false when only one backend at a time can receive traffic (blue-green switch) */
  default boolean supportsPartialWeights() {
    return true;
  }

  /**
   * Sends all traffic to one backend (a blue-green switch).
   *
   * @param backend the backend to receive everything
   * @param ctx the run's context
   * @throws Exception as {@link #apply}
   */
  default void switchTo(String backend, StepContext ctx) throws Exception {
    apply(current().allTo(backend), ctx);
  }

  /**
   * Takes a backend out of rotation; its share goes to the others in proportion.
   *
   * @param backend the backend to drain
   * @param ctx the run's context
   * @throws Exception as {@link #apply}
   */
  default void drain(String backend, StepContext ctx) throws Exception {
    apply(current().withWeight(backend, 0), ctx);
  }
}
