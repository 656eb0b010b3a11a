package dev.rollback.core.health;

import java.time.Duration;
import java.util.Objects;

/**
 * What one health check saw.
 *
 * @param check the check's name
 * @param healthy whether it counts as healthy
 * @param status the HTTP status (or another code the check uses; 0 when no answer came)
 * @param latency how long the check took
 * @param reason a short reason ("200 OK", "503: unhealthy", "connection refused")
 * @since 0.1.0
 */
public record HealthObservation(String check, boolean healthy, int status, Duration latency, String reason) {
  /** Checks the components. */
  public HealthObservation {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(reason, "reason");
  }
}
