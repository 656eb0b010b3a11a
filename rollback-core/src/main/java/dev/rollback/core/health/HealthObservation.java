package dev.rollback.core.health;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one health check saw.
 *
 * @param check the check's name
 * @param healthy whether it counts as healthy
 * @param status the HTTP status (or another code the check uses; 0 when no answer came)
 * @param latency how long the check took in total (for HTTP: until the whole body was read)
 * @param reason a short reason ("200 OK in 12 ms", "503: unhealthy", "connection refused")
 * @param timeToFirstByte for HTTP, the time until the response headers arrived; null when no answer
 *     came or the check does not measure it
 * @since 0.1.0
 */
public record HealthObservation(
    String check, boolean healthy, int status, Duration latency, String reason, @Nullable Duration timeToFirstByte) {
  /** Checks the components. */
  public HealthObservation {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * An observation without a time to first byte, for checks that do not measure it.
   *
   * @param check the check's name
   * @param healthy whether it counts as healthy
   * @param status the status code, 0 when no answer came
   * @param latency how long the check took
   * @param reason a short reason
   */
  public HealthObservation(String check, boolean healthy, int status, Duration latency, String reason) {
    this(check, healthy, status, latency, reason, null);
  }

  /** @return the time until the response headers arrived, when measured */
  public Optional<Duration> firstByte() {
    return Optional.ofNullable(timeToFirstByte);
  }
}
