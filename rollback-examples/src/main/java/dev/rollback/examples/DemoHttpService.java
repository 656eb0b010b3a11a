package dev.rollback.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's service, run as its own JVM: it serves the release that {@code <root>/current}
 * points to when it starts. {@code /version} answers the release's VERSION file; a release with a
 * {@code BAD} file fails every other request to {@code /health} with 500 and reports a 50% error
 * rate on {@code /metrics/error-rate}. It uses the JDK only, so the demo can start it with nothing
 * but the examples' classes on its class path.
 */
public final class DemoHttpService {
  private DemoHttpService() {}

  /**
   * @param args the release root and the port
   * @throws IOException when the release cannot be read or the port bound
   */
  public static void main(String[] args) throws IOException {
    Path current = Path.of(args[0]).resolve("current");
    String version = Files.readString(current.resolve("VERSION"), StandardCharsets.UTF_8).strip();
    boolean bad = Files.exists(current.resolve("BAD"));
    AtomicLong requests = new AtomicLong();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[1])), 0);
    server.createContext("/version", ex -> answer(ex, 200, version));
    server.createContext("/health", ex -> {
      boolean fail = bad && requests.incrementAndGet() % 2 == 1;
      answer(ex, fail ? 500 : 200, fail ? "unhealthy: half of the checkouts fail on " + version : "ok");
    });
    server.createContext("/metrics/error-rate", ex -> answer(ex, 200, bad ? "0.5" : "0.002"));
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
}
