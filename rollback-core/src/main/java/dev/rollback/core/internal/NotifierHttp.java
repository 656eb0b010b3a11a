package dev.rollback.core.internal;

import dev.rollback.core.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * POSTs a notifier's JSON with bounded connect and request timeouts; only a 2xx answer counts as
 * delivered. Failures become {@link NotifierHttpException}s whose messages name the target, the
 * status and an excerpt of the answer, with the given secret values masked.
 */
final class NotifierHttp {
  /** How long to wait for a connection. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** How long to wait for the whole answer. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final int EXCERPT = 300;

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(CONNECT_TIMEOUT)
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();

  private final String target;
  private final List<String> masked;

  /**
   * @param target what is called, for messages ("Slack webhook"); never a secret
   * @param secrets values to mask in any message
   */
  NotifierHttp(String target, List<Secret> secrets) {
    this.target = target;
    this.masked = secrets.stream().map(Secret::reveal).toList();
  }

  /**
   * @param uri where to
   * @param body the exact bytes to send
   * @param headers extra headers
   * @return the 2xx answer's body
   * @throws NotifierHttpException when not delivered
   * @throws InterruptedException when interrupted
   */
  String post(URI uri, byte[] body, Map<String, String> headers) throws NotifierHttpException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json; charset=utf-8")
        .header("User-Agent", "rollback-notifier")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    HttpResponse<String> response;
    try {
      response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      throw new NotifierHttpException(target + " did not accept a connection within " + CONNECT_TIMEOUT + ": check the network path", 0, true);
    } catch (HttpTimeoutException e) {
      throw new NotifierHttpException(target + " did not answer within " + REQUEST_TIMEOUT, 0, true);
    } catch (IOException e) {
      throw new NotifierHttpException(target + " could not be reached (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + mask(e.getMessage())) + ")", 0, true);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return response.body();
    }
    boolean retryable = status >= 500 || status == 408 || status == 429;
    throw new NotifierHttpException(target + " answered HTTP " + status + " (" + (retryable ? "will retry" : "not retried: fix the request or the credentials")
        + "): " + excerpt(response.body()), status, retryable);
  }

  /**
   * @param text any text
   * @return it with the secrets masked
   */
  String mask(String text) {
    String out = text;
    for (String v : masked) {
      out = out.replace(v, Secret.REDACTED);
    }
    return out;
  }

  private String excerpt(String body) {
    String flat = mask(body).replaceAll("\\s+", " ").trim();
    if (flat.isEmpty()) {
      return "(empty body)";
    }
    return flat.length() <= EXCERPT ? flat : flat.substring(0, EXCERPT) + "…";
  }
}
