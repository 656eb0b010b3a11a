package dev.rollback.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollback.core.Secret;
import dev.rollback.core.health.HealthCheck;
import dev.rollback.core.health.HealthObservation;
import dev.rollback.core.health.HttpCheck;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP health check as configured by an {@link HttpCheck}: sends one request, measures the time
 * to the response headers (first byte) and to the end of the body, and judges status, body, JSON
 * pointers and latency, in that order. The first expectation that fails gives the reason.
 */
public final class HttpHealthCheck implements HealthCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int EXCERPT = 120;

  private final HttpCheck config;
  private final HttpClient client;

  /**
   * The simple check behind {@link HealthCheck#http(URI)}: GET, only 2xx is healthy, no redirects.
   *
   * @param uri the endpoint
   * @param connectTimeout connect timeout
   * @param timeout request timeout
   */
  public HttpHealthCheck(URI uri, Duration connectTimeout, Duration timeout) {
    this(HttpCheck.custom(uri).connectTimeout(connectTimeout).timeout(timeout).build());
  }

  /**
   * @param config what to ask and what counts as healthy
   */
  public HttpHealthCheck(HttpCheck config) {
    this.config = config;
    HttpClient.Builder b = HttpClient.newBuilder()
        .connectTimeout(config.connectTimeout())
        .followRedirects(config.followRedirects() ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER);
    config.sslContext().ifPresent(b::sslContext);
    this.client = b.build();
  }

  /** @return the configuration */
  public HttpCheck config() {
    return config;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public HealthObservation check() throws InterruptedException {
    HttpRequest request = request();
    AtomicLong headersAt = new AtomicLong();
    long t0 = System.nanoTime();
    HttpResponse.BodyHandler<byte[]> handler = info -> {
      headersAt.set(System.nanoTime());
      return HttpResponse.BodySubscribers.ofByteArray();
    };
    CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, handler);
    HttpResponse<byte[]> response;
    try {
      response = future.get(config.timeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      long h = headersAt.get();
      return new HealthObservation(name(), false, 0, since(t0), h == 0
          ? "no answer within " + config.timeout()
          : "body not complete within " + config.timeout() + " (headers after " + Duration.ofNanos(h - t0).toMillis() + " ms)",
          h == 0 ? null : Duration.ofNanos(h - t0));
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      long h = headersAt.get();
      return new HealthObservation(name(), false, 0, since(t0), describe(e.getCause() == null ? e : e.getCause()),
          h == 0 ? null : Duration.ofNanos(h - t0));
    }
    Duration total = since(t0);
    long h = headersAt.get();
    Duration ttfb = Duration.ofNanos((h == 0 ? System.nanoTime() : h) - t0);
    return judge(response, total, ttfb);
  }

  private HttpRequest request() {
    HttpRequest.Builder rb = HttpRequest.newBuilder(config.uri()).timeout(config.timeout());
    for (Map.Entry<String, Object> h : config.headers().entrySet()) {
      Object v = h.getValue();
      rb.header(h.getKey(), v instanceof Secret s ? s.reveal() : String.valueOf(v));
    }
    switch (config.method()) {
      case HEAD:
        rb.method("HEAD", HttpRequest.BodyPublishers.noBody());
        break;
      case POST:
        config.contentType().ifPresent(ct -> rb.header("Content-Type", ct));
        rb.POST(config.body().map(b -> HttpRequest.BodyPublishers.ofString(b, StandardCharsets.UTF_8))
            .orElse(HttpRequest.BodyPublishers.noBody()));
        break;
      default:
        rb.GET();
    }
    return rb.build();
  }

  private HealthObservation judge(HttpResponse<byte[]> r, Duration total, Duration ttfb) {
    int status = r.statusCode();
    String body = r.body() == null ? "" : new String(r.body(), charset(r));
    if (!config.statusExpected(status)) {
      String excerpt = excerpt(body);
      String reason = excerpt.isEmpty() ? statusLine(status) : status + ": " + excerpt;
      if (!config.defaultStatusExpectation() || excerpt.isEmpty()) {
        reason += " (expected " + config.expectedStatusText() + ")";
      }
      return unhealthy(status, total, ttfb, reason);
    }
    for (String text : config.bodyContains()) {
      if (!body.contains(text)) {
        String excerpt = excerpt(body);
        return unhealthy(status, total, ttfb, "expected body to contain '" + text + "'"
            + (excerpt.isEmpty() ? ", but it was empty" : ", but it was '" + excerpt(excerpt, 60) + "'"));
      }
    }
    if (!config.jsonPointerEquals().isEmpty()) {
      JsonNode root;
      try {
        root = JSON.readTree(body);
      } catch (JsonProcessingException e) {
        return unhealthy(status, total, ttfb, "expected a JSON body, but it was '" + excerpt(excerpt(body), 60) + "'");
      }
      if (root == null || root.isMissingNode()) {
        return unhealthy(status, total, ttfb, "expected a JSON body, but it was empty");
      }
      for (Map.Entry<String, String> p : config.jsonPointerEquals().entrySet()) {
        JsonNode node = root.at(p.getKey());
        if (node.isMissingNode()) {
          return unhealthy(status, total, ttfb, "expected " + p.getKey() + " to be '" + p.getValue() + "', but the body has no value there");
        }
        String actual = node.isTextual() ? node.textValue() : node.toString();
        if (!actual.equals(p.getValue())) {
          return unhealthy(status, total, ttfb, "expected " + p.getKey() + " to be '" + p.getValue() + "', but was '" + excerpt(actual, 60) + "'");
        }
      }
    }
    if (config.maxLatency().isPresent() && total.compareTo(config.maxLatency().get()) > 0) {
      return unhealthy(status, total, ttfb, statusLine(status) + " in " + total.toMillis() + " ms, slower than the maximum of "
          + config.maxLatency().get().toMillis() + " ms");
    }
    return new HealthObservation(name(), true, status, total, statusLine(status) + " in " + total.toMillis() + " ms", ttfb);
  }

  private HealthObservation unhealthy(int status, Duration total, Duration ttfb, String reason) {
    return new HealthObservation(name(), false, status, total, reason, ttfb);
  }

  /** One short line for a failure to get an answer: TLS, refused, timeout, unknown host. */
  private String describe(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SSLException) {
        return "TLS: " + oneLine(c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage())
            .replaceAll("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error): ", "");
      }
    }
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof HttpConnectTimeoutException) {
        return "no connection within " + config.connectTimeout();
      }
      if (c instanceof HttpTimeoutException) {
        return "no answer within " + config.timeout();
      }
      if (c instanceof ConnectException) {
        return "connection refused (ConnectException" + (c.getMessage() == null ? "" : ": " + oneLine(c.getMessage())) + ")";
      }
      if (c instanceof UnknownHostException) {
        return "unknown host " + config.uri().getHost();
      }
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + oneLine(t.getMessage()));
  }

  private static Duration since(long t0) {
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  private static Charset charset(HttpResponse<?> r) {
    String ct = r.headers().firstValue("Content-Type").orElse("");
    for (String part : ct.split(";")) {
      String p = part.trim();
      if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
        try {
          return Charset.forName(p.substring(8).replace("\"", "").trim());
        } catch (RuntimeException e) {
          return StandardCharsets.UTF_8;
        }
      }
    }
    return StandardCharsets.UTF_8;
  }

  private static String excerpt(String body) {
    return excerpt(oneLine(body.strip()), EXCERPT);
  }

  private static String excerpt(String s, int max) {
    return s.length() > max ? s.substring(0, max) + "..." : s;
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }

  private static String statusLine(int status) {
    String phrase = phrase(status);
    return phrase.isEmpty() ? String.valueOf(status) : status + " " + phrase;
  }

  private static String phrase(int status) {
    switch (status) {
      case 200: return "OK";
      case 201: return "Created";
      case 202: return "Accepted";
      case 204: return "No Content";
      case 301: return "Moved Permanently";
      case 302: return "Found";
      case 303: return "See Other";
      case 304: return "Not Modified";
      case 307: return "Temporary Redirect";
      case 308: return "Permanent Redirect";
      case 400: return "Bad Request";
      case 401: return "Unauthorized";
      case 403: return "Forbidden";
      case 404: return "Not Found";
      case 405: return "Method Not Allowed";
      case 408: return "Request Timeout";
      case 429: return "Too Many Requests";
      case 500: return "Internal Server Error";
      case 502: return "Bad Gateway";
      case 503: return "Service Unavailable";
      case 504: return "Gateway Timeout";
      default: return "";
    }
  }

  @Override
  public String toString() {
    return config.toString();
  }
}
