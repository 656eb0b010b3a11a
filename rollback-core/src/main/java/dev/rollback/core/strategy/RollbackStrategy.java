package dev.rollback.core.strategy;

import dev.rollback.core.StepContext;
import java.time.Duration;

/**
 * Rolls one platform back: a Kubernetes Deployment, a Swarm service, a symlinked release. The
 * runner calls {@link #inspect}, then {@link #rollback}, then {@link #awaitConvergence}, in the
 * {@link dev.rollback.core.Phase#PLATFORM_ROLLBACK} phase.
 *
 * <p>Implementations wait only through the context ({@link StepContext#await}), so waits are
 * bounded, cancellable and compressible in tests.
 *
 * @since 0.1.0
 */
public interface RollbackStrategy {

  /** @return the strategy's name, e.g. {@code kubernetes} */
  String name();

  /**
   * Reads what runs now and what ran before. It changes nothing and does not wait, so it also
   * serves as a {@link dev.rollback.core.VersionProbe} ({@code VersionProbe.platform(strategy)}).
   *
   * @return the platform's state
   * @throws Exception when the platform cannot be read
   */
  PlatformState inspect() throws Exception;

  /**
   * Starts the rollback to {@code request.toVersion()} (or the revision named).
   *
   * @param request what to roll back to
   * @param ctx the run's context
   * @throws Exception when the platform refuses
   */
  void rollback(RollbackRequest request, StepContext ctx) throws Exception;

  /**
   * Waits until the platform runs the target everywhere, or the timeout passes.
   *
   * @param timeout the longest wait
   * @param ctx the run's context
   * @return whether it converged, and what was seen
   * @throws Exception when the platform cannot be read, or reports a failed rollout
   */
  Convergence awaitConvergence(Duration timeout, StepContext ctx) throws Exception;

  /** @return how long {@link #awaitConvergence} may wait by default */
  default Duration convergenceTimeout() {
    return Duration.ofMinutes(10);
  }
}
