package dev.rollback.core.health;

import dev.rollback.core.internal.HttpHealthCheck;
import java.net.URI;
import java.time.Duration;

/**
 * Asks a service whether it is healthy. A check that cannot reach the service reports unhealthy
 * with the reason; it throws only for a broken check (bad configuration).
 *
 * @since 0.1.0
 */
public interface HealthCheck {

  /** @return a name for events and reports, e.g. {@code GET https://api/health} */
  String name();

  /**
   * @return what the check saw
   * @throws Exception when the check itself is broken
   */
  HealthObservation check() throws Exception;

  /**
   * An HTTP GET that counts only a 2xx answer as healthy, like {@code curl -sf} (redirects are not
   * followed), with a 2 s connect and a 10 s request timeout.
   *
   * @param uri the health endpoint
   * @return the check
   */
  static HealthCheck http(URI uri) {
    return new HttpHealthCheck(uri, Duration.ofSeconds(2), Duration.ofSeconds(10));
  }

  /**
   * An HTTP check as configured: method, headers (tokens as {@link dev.rollback.core.Secret}),
   * expected status, body and JSON expectations, latency limit, TLS trust and timeouts.
   *
   * <pre>{@code
   * HealthCheck check = HealthCheck.http(HttpCheck.custom(URI.create("https://api.example.com/health"))
   *     .bearerToken(Secret.of(token))
   *     .jsonPointerEquals("/status", "UP")
   *     .maxLatency(Duration.ofMillis(300))
   *     .build());
   * }</pre>
   *
   * @param config the configuration
   * @return the check; each {@link HealthObservation} carries status, total latency, time to first
   *     byte and a short reason
   */
  static HealthCheck http(HttpCheck config) {
    return new HttpHealthCheck(java.util.Objects.requireNonNull(config, "config"));
  }

  /**
   * @param uri the health endpoint
   * @param timeout the request timeout (connect timeout is the smaller of it and 2 s)
   * @return the check
   */
  static HealthCheck http(URI uri, Duration timeout) {
    return new HttpHealthCheck(uri, timeout.compareTo(Duration.ofSeconds(2)) < 0 ? timeout : Duration.ofSeconds(2), timeout);
  }
}
