package dev.rollback.core.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.support.TestHttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the Prometheus source reads the HTTP API's answers, against a local server that answers like
 * Prometheus (the real one is in PrometheusGatesIT).
 */
class PrometheusMetricSourceTest {
  private final TestHttpServer server;
  private final PrometheusSource source;

  PrometheusMetricSourceTest() throws IOException {
    server = new TestHttpServer();
    source = MetricSources.prometheus(server.uri("/"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void answer(int status, String json) {
    server.answer("/api/v1/query", status, json);
  }

  @Test
  void aSingleSeriesIsItsValue() throws Exception {
    answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1764298800.5,\"0.25\"]}]}}");

    assertThat(source.read("sum(rate(errors[1m]))")).hasValue(0.25);
  }

  @Test
  void aScalarIsItsValue() throws Exception {
    answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1764298800.5,\"3\"]}}");

    assertThat(source.read("scalar(x)")).hasValue(3.0);
  }

  @Test
  void anEmptyVectorAndNanAreNoData() throws Exception {
    answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
    assertThat(source.read("absent_metric")).isEmpty();

    answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"NaN\"]}]}}");
    assertThat(source.read("0/0")).isEmpty();
  }

  @Test
  void severalSeriesFailWithTheirCountAndLabels() {
    answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":{\"instance\":\"a\"},\"value\":[1,\"1\"]},{\"metric\":{\"instance\":\"b\"},\"value\":[1,\"2\"]},"
        + "{\"metric\":{\"instance\":\"c\"},\"value\":[1,\"3\"]},{\"metric\":{\"instance\":\"d\"},\"value\":[1,\"4\"]}]}}");

    assertThatThrownBy(() -> source.read("up"))
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("returned 4 series ({instance=\"a\"}, {instance=\"b\"}, {instance=\"c\"}, ...)")
        .hasMessageContaining("aggregate it, e.g. sum(up)");
  }

  @Test
  void aRejectedQueryCarriesErrorTypeAndError() {
    answer(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error: unexpected end of input\"}");

    assertThatThrownBy(() -> source.read("sum("))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("rejected query 'sum(' (HTTP 400, status error): bad_data: 1:5: parse error: unexpected end of input")
        .hasMessageContaining("fix the PromQL in the plan");
  }

  @Test
  void aServerErrorIsAnIoFailureWithTheBody() {
    answer(503, "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"TSDB not ready\"}");
    assertThatThrownBy(() -> source.read("up")).isInstanceOf(IOException.class)
        .hasMessageContaining("(HTTP 503, status error): unavailable: TSDB not ready");

    answer(502, "<html>bad gateway</html>");
    assertThatThrownBy(() -> source.read("up")).isInstanceOf(IOException.class)
        .hasMessageContaining("answered HTTP 502 with a body that is not JSON: <html>bad gateway</html>");
  }

  @Test
  void anUnreachableServerNamesTheAddress() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    PrometheusSource down = MetricSources.prometheus(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(2));

    assertThatThrownBy(() -> down.read("up")).isInstanceOf(IOException.class)
        .hasMessageContaining("Prometheus at http://127.0.0.1:" + port + " cannot be reached for query 'up'");
  }

  @Test
  void aRangeQueryReturnsTimestampedSamples() throws Exception {
    server.answer("/api/v1/query_range", 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
        + "{\"metric\":{},\"values\":[[1764298800,\"0.1\"],[1764298815.5,\"NaN\"],[1764298830,\"0.3\"]]}]}}");

    assertThat(source.range("x", Instant.ofEpochSecond(1764298800), Instant.ofEpochSecond(1764298830), Duration.ofSeconds(15)))
        .containsExactly(
            new Sample(Instant.ofEpochSecond(1764298800), 0.1),
            new Sample(Instant.ofEpochSecond(1764298815, 500_000_000), null),
            new Sample(Instant.ofEpochSecond(1764298830), 0.3));
  }

  @Test
  void invalidAddressesAndTimeoutsAreReportedTogether() {
    assertThatThrownBy(() -> MetricSources.prometheus(URI.create("prometheus:9090"), Duration.ZERO))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("baseUri must be an http(s) address")
        .hasMessageContaining("timeout must be positive, but was PT0S");
  }
}
