package dev.rollback.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.metric.PrometheusSource;
import dev.rollback.core.metric.Sample;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalDouble;

/** The Prometheus HTTP API as a metric source: instant and range queries. */
public final class PrometheusMetricSource implements PrometheusSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI baseUri;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param baseUri the server, e.g. http://prometheus:9090
   * @param timeout the query timeout
   */
  public PrometheusMetricSource(URI baseUri, Duration timeout) {
    String s = baseUri.toString();
    this.baseUri = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout.compareTo(Duration.ofSeconds(5)) < 0 ? timeout : Duration.ofSeconds(5)).build();
  }

  @Override
  public URI baseUri() {
    return baseUri;
  }

  @Override
  public Duration timeout() {
    return timeout;
  }

  @Override
  public OptionalDouble read(String query) throws IOException, InterruptedException {
    JsonNode data = call("/api/v1/query", "query=" + enc(query) + "&timeout=" + promDuration(timeout), query);
    String type = data.path("resultType").asText();
    JsonNode result = data.path("result");
    switch (type) {
      case "scalar":
        return number(result.path(1).asText());
      case "vector":
        if (result.size() == 0) {
          return OptionalDouble.empty();
        }
        if (result.size() > 1) {
          throw tooManySeries(query, result);
        }
        return number(result.path(0).path("value").path(1).asText());
      case "matrix":
        throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "Prometheus query '" + query + "' at " + baseUri
            + " returned a range vector (matrix), not one number: wrap it in a function such as rate(...) or avg_over_time(...)");
      default:
        throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "Prometheus query '" + query + "' at " + baseUri
            + " returned a " + type + ", not one number: give an expression that yields a scalar or a single series");
    }
  }

  @Override
  public List<Sample> range(String query, Instant start, Instant end, Duration step) throws IOException, InterruptedException {
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("range end " + end + " is before start " + start);
    }
    if (step.isNegative() || step.isZero()) {
      throw new IllegalArgumentException("range step must be positive, but was " + step);
    }
    String form = "query=" + enc(query) + "&start=" + seconds(start) + "&end=" + seconds(end)
        + "&step=" + seconds(step) + "&timeout=" + promDuration(timeout);
    JsonNode data = call("/api/v1/query_range", form, query);
    JsonNode result = data.path("result");
    if (!"matrix".equals(data.path("resultType").asText())) {
      throw new IOException("Prometheus range query '" + query + "' at " + baseUri + " answered a "
          + data.path("resultType").asText() + " instead of a matrix");
    }
    if (result.size() == 0) {
      return List.of();
    }
    if (result.size() > 1) {
      throw tooManySeries(query, result);
    }
    List<Sample> samples = new ArrayList<>();
    for (JsonNode point : result.path(0).path("values")) {
      Instant at = instant(point.path(0).asDouble());
      OptionalDouble v = number(point.path(1).asText());
      samples.add(Sample.of(at, v));
    }
    return List.copyOf(samples);
  }

  private JsonNode call(String path, String form, String query) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUri + path))
        .timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(form))
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw new IOException("Prometheus at " + baseUri + " did not answer query '" + query + "' within " + timeout, e);
    } catch (IOException e) {
      throw new IOException("Prometheus at " + baseUri + " cannot be reached for query '" + query + "': " + e, e);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IOException("Prometheus at " + baseUri + path + " answered HTTP " + response.statusCode()
          + " with a body that is not JSON: " + abbreviate(response.body()), e);
    }
    String status = body.path("status").asText("");
    if (!"success".equals(status) || response.statusCode() / 100 != 2) {
      String errorType = body.path("errorType").asText("");
      String error = body.path("error").asText("");
      String message = "Prometheus at " + baseUri + " rejected query '" + query + "' (HTTP " + response.statusCode() + ", status "
          + (status.isEmpty() ? "missing" : status) + ")" + (errorType.isEmpty() ? "" : ": " + errorType)
          + (error.isEmpty() ? "" : ": " + error);
      if ("bad_data".equals(errorType) || response.statusCode() == 400 || response.statusCode() == 422) {
        throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, message + "; fix the PromQL in the plan");
      }
      throw new IOException(message);
    }
    return body.path("data");
  }

  private RollbackException tooManySeries(String query, JsonNode result) {
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < Math.min(3, result.size()); i++) {
      JsonNode metric = result.path(i).path("metric");
      StringBuilder sb = new StringBuilder("{");
      Iterator<String> names = metric.fieldNames();
      while (names.hasNext()) {
        String n = names.next();
        sb.append(n).append("=\"").append(metric.path(n).asText()).append('"').append(names.hasNext() ? "," : "");
      }
      labels.add(sb.append('}').toString());
    }
    return new RollbackException(ErrorCode.INVALID_CONFIGURATION, "Prometheus query '" + query + "' at " + baseUri + " returned "
        + result.size() + " series (" + String.join(", ", labels) + (result.size() > 3 ? ", ..." : "")
        + "), but a gate needs one number: aggregate it, e.g. sum(" + query + ")");
  }

  private static OptionalDouble number(String text) {
    double v;
    try {
      v = Double.parseDouble(text.replace("Inf", "Infinity"));
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
    return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  private static Instant instant(double seconds) {
    long whole = (long) Math.floor(seconds);
    return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e9));
  }

  private static String seconds(Instant i) {
    return i.getEpochSecond() + "." + String.format("%03d", i.getNano() / 1_000_000);
  }

  private static String seconds(Duration d) {
    return d.toMillis() / 1000 + "." + String.format("%03d", d.toMillis() % 1000);
  }

  private static String promDuration(Duration d) {
    return Math.max(1, d.toMillis()) + "ms";
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String abbreviate(String s) {
    String t = s.strip();
    return t.length() > 200 ? t.substring(0, 200) + "..." : t;
  }

  @Override
  public String toString() {
    return "Prometheus[" + baseUri + ", timeout " + timeout + "]";
  }
}
