package dev.rollback.k8s.traffic;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import java.time.Duration;

/**
 * A traffic router was asked to send traffic to a backend whose Deployment never reported ready
 * capacity ({@code status.readyReplicas >= spec.replicas > 0}, on the current generation) within
 * the router's readiness timeout. Traffic was not moved.
 *
 * @since 0.1.0
 */
public final class BackendNotReadyException extends RollbackException {
  private static final long serialVersionUID = 1L;

  private final String router;
  private final String backend;
  private final String deployment;
  private final String lastSeen;

  /**
   * @param router the router's name, e.g. {@code service prod/checkout}
   * @param backend the backend that was to receive traffic
   * @param deployment the Deployment behind it, {@code namespace/name}
   * @param timeout how long the router waited
   * @param lastSeen what the last poll saw, e.g. {@code readyReplicas=1 of spec.replicas=3}
   */
  public BackendNotReadyException(String router, String backend, String deployment, Duration timeout, String lastSeen) {
    super(ErrorCode.VALIDATION_FAILED, router + ": backend '" + backend + "' (deployment " + deployment
        + ") did not report ready capacity within " + timeout + "; last seen: " + lastSeen
        + "; traffic was not moved. Check the Deployment's pods (kubectl rollout status deployment/"
        + deployment.substring(deployment.indexOf('/') + 1) + "), or raise readinessTimeout");
    this.router = router;
    this.backend = backend;
    this.deployment = deployment;
    this.lastSeen = lastSeen;
  }

  /** @return the router's name */
  public String router() {
    return router;
  }

  /** @return the backend that was to receive traffic */
  public String backend() {
    return backend;
  }

  /** @return the Deployment behind it, {@code namespace/name} */
  public String deployment() {
    return deployment;
  }

  /** @return what the last readiness poll saw */
  public String lastSeen() {
    return lastSeen;
  }
}
