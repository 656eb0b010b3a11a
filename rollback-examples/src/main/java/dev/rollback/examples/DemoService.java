package dev.rollback.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * A small HTTP service on 127.0.0.1 that serves {@code /version}, {@code /health} and {@code
 * /metrics/error-rate}, the way the services a rollback acts on do. Versions listed as bad answer
 * {@code /health} with 503 and fail 38% of requests.
 */
public final class DemoService implements AutoCloseable {
  private final HttpServer server;
  private final Set<String> badVersions;
  private volatile String running;

  /**
   * @param running the version it starts with
   * @param badVersions versions whose health check fails
   * @throws IOException when no port can be bound
   */
  public DemoService(String running, Set<String> badVersions) throws IOException {
    this.running = running;
    this.badVersions = Set.copyOf(badVersions);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/version", ex -> answer(ex, 200, this.running));
    server.createContext("/metrics/error-rate", ex ->
        answer(ex, 200, this.badVersions.contains(this.running) ? "0.38" : "0.002"));
    server.createContext("/health", ex -> {
      boolean bad = this.badVersions.contains(this.running);
      answer(ex, bad ? 503 : 200, bad ? "unhealthy: 38% of checkouts fail" : "ok");
    });
    server.start();
  }

  private static void answer(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** @return the base URI, e.g. {@code http://127.0.0.1:41234} */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** @return the version it serves now */
  public String running() {
    return running;
  }

  /**
   * Switches the served version, as a release switch would.
   *
   * @param version the version to serve
   */
  public void deploy(String version) {
    this.running = version;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
