package dev.rollback.core.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/** A real HTTP(S) server on 127.0.0.1 with handlers per path, for the health tests. */
final class HealthTestServer implements AutoCloseable {
  private final HttpServer server;
  private final String scheme;

  private HealthTestServer(HttpServer server, String scheme) {
    this.server = server;
    this.scheme = scheme;
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "health-test-server");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  static HealthTestServer http() throws IOException {
    return new HealthTestServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), "http");
  }

  static HealthTestServer https(SSLContext ssl) throws IOException {
    HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.setHttpsConfigurator(new HttpsConfigurator(ssl));
    return new HealthTestServer(s, "https");
  }

  HealthTestServer on(String path, HttpHandler handler) {
    server.createContext(path, handler);
    return this;
  }

  HealthTestServer answer(String path, int status, String contentType, String body) {
    return on(path, ex -> send(ex, status, contentType, body));
  }

  static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", contentType);
    boolean head = "HEAD".equals(ex.getRequestMethod());
    ex.sendResponseHeaders(status, head || bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      if (!head) {
        out.write(bytes);
      }
    }
  }

  URI uri(String path) {
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
