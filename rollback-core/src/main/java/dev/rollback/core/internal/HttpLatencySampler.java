package dev.rollback.core.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.health.MetricSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * Sequential GET requests to an endpoint; answers a percentile (nearest rank), the max or the mean of
 * their latencies in milliseconds. Requests that fail to complete are left out.
 */
public final class HttpLatencySampler implements MetricSource {
  private final URI endpoint;
  private final int requests;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param endpoint the endpoint
   * @param requests requests per read
   * @param timeout timeout per request
   */
  public HttpLatencySampler(URI endpoint, int requests, Duration timeout) {
    this.endpoint = endpoint;
    this.requests = requests;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @Override
  public OptionalDouble read(String query) throws IOException, InterruptedException {
    String q = query == null ? "" : query.strip();
    double percentile;
    switch (q) {
      case "p50":
        percentile = 50;
        break;
      case "p95":
        percentile = 95;
        break;
      case "p99":
        percentile = 99;
        break;
      case "max":
        percentile = 100;
        break;
      case "mean":
        percentile = -1;
        break;
      default:
        throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "latency query '" + query + "' is unknown: use p50, p95, p99, max or mean");
    }
    double[] millis = new double[requests];
    int ok = 0;
    IOException last = null;
    HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout).GET().build();
    for (int i = 0; i < requests; i++) {
      long start = System.nanoTime();
      try {
        http.send(request, HttpResponse.BodyHandlers.discarding());
        millis[ok++] = (System.nanoTime() - start) / 1e6;
      } catch (IOException e) {
        last = e;
      }
    }
    if (ok == 0) {
      throw new IOException("all " + requests + " requests to " + endpoint + " failed; last: " + last, last);
    }
    double[] done = Arrays.copyOf(millis, ok);
    Arrays.sort(done);
    if (percentile < 0) {
      return OptionalDouble.of(Arrays.stream(done).average().orElseThrow());
    }
    int rank = (int) Math.ceil(percentile / 100.0 * ok);
    return OptionalDouble.of(done[Math.max(0, rank - 1)]);
  }

  @Override
  public String toString() {
    return "Latency[GET " + endpoint + " x" + requests + "]";
  }
}
