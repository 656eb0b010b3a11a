package dev.rollback.core.internal;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.VersionProbe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Reads the running version over HTTP, from the plain body or a JSON pointer. */
public final class HttpVersionProbe implements VersionProbe {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final URI uri;
  private final @Nullable JsonPointer pointer;
  private final HttpClient client;

  /**
   * @param uri the endpoint
   * @param jsonPointer a JSON pointer, or null for a plain-text body
   */
  public HttpVersionProbe(URI uri, @Nullable String jsonPointer) {
    if (uri == null || uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION,
          "version probe URI must be an absolute http(s) URI, but was " + uri + ": give e.g. https://api.example.com/version");
    }
    this.uri = uri;
    try {
      this.pointer = jsonPointer == null ? null : JsonPointer.compile(jsonPointer);
    } catch (IllegalArgumentException e) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION,
          "version probe JSON pointer '" + jsonPointer + "' is invalid (" + e.getMessage() + "): give e.g. \"/version\"");
    }
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @Override
  public String currentVersion() throws IOException, InterruptedException {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
    String body = r.body() == null ? "" : r.body();
    if (r.statusCode() / 100 != 2) {
      throw new IOException(source() + " answered " + r.statusCode() + ": " + excerpt(body));
    }
    if (pointer == null) {
      String v = body.strip();
      if (v.isEmpty()) {
        throw new IOException(source() + " answered " + r.statusCode() + " with an empty body");
      }
      return v;
    }
    JsonNode node;
    try {
      node = JournalCodec.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IOException(source() + " did not answer JSON: " + excerpt(body), e);
    }
    JsonNode at = node.at(pointer);
    if (at.isMissingNode() || at.isNull() || at.isContainerNode() || at.asText().isBlank()) {
      throw new IOException(source() + " has no version at " + pointer + " in " + excerpt(body));
    }
    return at.asText().strip();
  }

  private static String excerpt(String body) {
    String b = body.strip();
    return b.length() > 200 ? b.substring(0, 200) + "..." : b;
  }

  @Override
  public String source() {
    return "GET " + uri + (pointer == null ? "" : " at " + pointer);
  }

  @Override
  public String toString() {
    return source();
  }
}
