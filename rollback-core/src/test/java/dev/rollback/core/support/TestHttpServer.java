package dev.rollback.core.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A real HTTP server on 127.0.0.1 whose answers per path a test sets. */
public final class TestHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, int[]> status = new ConcurrentHashMap<>();
  private final Map<String, String> bodies = new ConcurrentHashMap<>();

  public TestHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      String path = ex.getRequestURI().getPath();
      int code = status.getOrDefault(path, new int[] {404})[0];
      byte[] body = bodies.getOrDefault(path, "not found").getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  public TestHttpServer answer(String path, int code, String body) {
    status.put(path, new int[] {code});
    bodies.put(path, body);
    return this;
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
