package dev.rollback.core.strategy;

import java.util.Map;
import java.util.Objects;

/**
 * Whether a platform reached the target, with what was seen last.
 *
 * @param converged true when the target runs everywhere
 * @param message one line for people ("3/3 replicas updated and available")
 * @param facts details for the report
 * @since 0.1.0
 */
public record Convergence(boolean converged, String message, Map<String, String> facts) {
  /** Checks and copies the components. */
  public Convergence {
    Objects.requireNonNull(message, "message");
    facts = Map.copyOf(facts);
  }

  /**
   * @param message what was seen
   * @return a converged result
   */
  public static Convergence reached(String message) {
    return new Convergence(true, message, Map.of());
  }

  /**
   * @param message what was seen last
   * @return a result that did not converge
   */
  public static Convergence notReached(String message) {
    return new Convergence(false, message, Map.of());
  }
}
