package dev.rollback.core.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.rollback.core.health.MetricSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The latency sampler against a local server with an artificial delay. */
class HttpLatencySamplerTest {
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/slow", ex -> {
      int n = requests.incrementAndGet();
      try {
        Thread.sleep(n % 10 == 0 ? 200 : 20); // every tenth request is slow
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  void percentilesReflectTheDelayAndTheSlowTail() throws Exception {
    MetricSource sampler = MetricSources.latency(uri("/slow"), 10);

    double p50 = sampler.read("p50").orElseThrow();
    double p99 = sampler.read("p99").orElseThrow();

    assertThat(p50).isBetween(20.0, 190.0);
    assertThat(p99).isGreaterThanOrEqualTo(200.0);
    assertThat(sampler.read("p95").orElseThrow()).isGreaterThanOrEqualTo(p50);
    assertThat(requests.get()).as("10 sequential requests per read").isEqualTo(30);
  }

  @Test
  void aLatencyGateFailsAgainstTheSlowTail() {
    MetricGate gate = MetricGate.custom("latency").source(MetricSources.latency(uri("/slow"), 10)).query("p99").metric("latency-p99")
        .max(150).build();

    GateResult r = GateHarness.evaluate(GateHarness.runner(dev.rollback.core.support.TestClock.create()), gate);

    assertThat(r.verdict()).isEqualTo(GateVerdict.FAIL);
    assertThat(r.metric()).isEqualTo("latency-p99");
  }

  @Test
  void anEndpointThatCannotBeReachedFailsTheRead() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    MetricSource sampler = MetricSources.latency(URI.create("http://127.0.0.1:" + port + "/"), 3);

    assertThatThrownBy(() -> sampler.read("p50")).isInstanceOf(IOException.class).hasMessageContaining("all 3 requests to");
  }

  @Test
  void badSettingsAreReportedTogether() {
    assertThatThrownBy(() -> MetricSources.latency(URI.create("ftp://x"), 0))
        .hasMessageContaining("endpoint must be an http(s) address")
        .hasMessageContaining("requests must be between 1 and 10000, but was 0");
  }
}
