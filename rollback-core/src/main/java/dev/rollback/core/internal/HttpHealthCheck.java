package dev.rollback.core.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.health.HealthCheck;
import dev.rollback.core.health.HealthObservation;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** GET a URL; only 2xx is healthy; no redirects; bounded by timeouts. */
public final class HttpHealthCheck implements HealthCheck {
  private final URI uri;
  private final Duration timeout;
  private final HttpClient client;

  /**
   * @param uri the endpoint
   * @param connectTimeout connect timeout
   * @param timeout request timeout
   */
  public HttpHealthCheck(URI uri, Duration connectTimeout, Duration timeout) {
    if (uri == null || uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION,
          "health check URI must be an absolute http(s) URI, but was " + uri + ": give e.g. https://api.example.com/health");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "health check timeout must be positive, but was " + timeout);
    }
    this.uri = uri;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @Override
  public String name() {
    return "GET " + uri;
  }

  @Override
  public HealthObservation check() throws InterruptedException {
    long t0 = System.nanoTime();
    try {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      boolean ok = r.statusCode() / 100 == 2;
      String body = r.body() == null ? "" : r.body().strip();
      if (body.length() > 120) {
        body = body.substring(0, 120) + "...";
      }
      return new HealthObservation(name(), ok, r.statusCode(), took, r.statusCode() + (body.isEmpty() ? "" : ": " + body));
    } catch (HttpTimeoutException e) {
      return new HealthObservation(name(), false, 0, Duration.ofNanos(System.nanoTime() - t0), "no answer within " + timeout);
    } catch (IOException e) {
      return new HealthObservation(name(), false, 0, Duration.ofNanos(System.nanoTime() - t0),
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }

  @Override
  public String toString() {
    return name();
  }
}
