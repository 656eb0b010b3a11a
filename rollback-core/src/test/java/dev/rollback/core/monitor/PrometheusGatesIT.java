package dev.rollback.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackExecution;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.health.MetricSource;
import dev.rollback.core.metric.GateHarness;
import dev.rollback.core.metric.GateResult;
import dev.rollback.core.metric.GateVerdict;
import dev.rollback.core.metric.MetricGate;
import dev.rollback.core.metric.MetricSources;
import dev.rollback.core.metric.PrometheusSource;
import dev.rollback.core.metric.Sample;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Gates and temporary alert rules against a real Prometheus (started by {@code bash
 * scripts/test-services.sh start}: 127.0.0.1:19090, scraping 127.0.0.1:19100 every second, rule
 * files from {@code target/test-services/prometheus/rules/*.yml}). This test serves
 * 127.0.0.1:19100 itself: a request and an error counter in Prometheus text format, whose errors it
 * turns on and off. Real scrapes take real time: the waits are bounded (at most 30 s each).
 *
 * <p>Without Prometheus the test fails when CI=true and is skipped with a message otherwise.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusGatesIT {
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String ERROR_RATE = "sum(rate(rollback_test_errors_total{run=\"" + RUN + "\"}[4s]))"
      + " / sum(rate(rollback_test_requests_total{run=\"" + RUN + "\"}[4s]))";

  private static URI prometheus;
  private static Path rulesDir;
  private static HttpServer service;
  private static final AtomicBoolean errorsFlowing = new AtomicBoolean(true);
  private static final AtomicLong requests = new AtomicLong();
  private static final AtomicLong errors = new AtomicLong();
  private static PrometheusSource source;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void prometheusAndTestService() throws Exception {
    Map<String, String> env = readEnv();
    String url = env.getOrDefault("PROMETHEUS_URL", "http://127.0.0.1:19090");
    prometheus = URI.create(url);
    if (!ready(prometheus)) {
      String why = "Prometheus is not running at " + url + " (looked for target/test-services/prometheus.env): start it with "
          + "`bash scripts/test-services.sh start`";
      if ("true".equals(System.getenv("CI"))) {
        fail(why + ", and CI=true");
      }
      Assumptions.abort("skipped: " + why);
    }
    String dir = env.get("PROMETHEUS_RULES_DIR");
    if (dir == null || !Files.isDirectory(Path.of(dir))) {
      fail("PROMETHEUS_RULES_DIR is not set or not a folder (" + dir + "): restart Prometheus with scripts/test-services.sh");
    }
    rulesDir = Path.of(dir);
    try {
      service = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 19100), 0);
    } catch (IOException e) {
      throw new AssertionError("port 127.0.0.1:19100 (the scrape target of the test Prometheus) is taken: " + e, e);
    }
    service.createContext("/metrics", ex -> {
      long r = requests.addAndGet(10);
      long e = errorsFlowing.get() ? errors.addAndGet(5) : errors.get();
      String body = "# HELP rollback_test_requests_total Requests served.\n# TYPE rollback_test_requests_total counter\n"
          + "rollback_test_requests_total{run=\"" + RUN + "\"} " + r + "\n"
          + "# HELP rollback_test_errors_total Requests that failed.\n# TYPE rollback_test_errors_total counter\n"
          + "rollback_test_errors_total{run=\"" + RUN + "\"} " + e + "\n";
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      ex.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    });
    service.start();
    source = MetricSources.prometheus(prometheus);
  }

  @AfterAll
  static void stopService() {
    if (service != null) {
      service.stop(0);
    }
  }

  private static Map<String, String> readEnv() throws IOException {
    Map<String, String> env = new HashMap<>();
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path f = p.resolve("target/test-services/prometheus.env");
      if (Files.isRegularFile(f)) {
        for (String line : Files.readAllLines(f)) {
          int eq = line.indexOf('=');
          if (eq > 0) {
            env.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
          }
        }
        break;
      }
    }
    for (String k : List.of("PROMETHEUS_URL", "PROMETHEUS_RULES_DIR")) {
      if (System.getenv(k) != null) {
        env.put(k, System.getenv(k));
      }
    }
    return env;
  }

  private static boolean ready(URI base) {
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Polls in real time, at most the given seconds. */
  private static boolean within(int seconds, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(250);
    }
    return condition.getAsBoolean();
  }

  private static OptionalDouble errorRate() {
    try {
      return source.read(ERROR_RATE);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static MetricGate gate() {
    return MetricGate.custom("error-rate").source(source).query(ERROR_RATE).metric("error-rate").max(0.1)
        .count(3).interval(Duration.ofSeconds(1)).build();
  }

  private static RollbackRunner realTime() {
    return RollbackRunner.builder().build();
  }

  private static boolean groupListed(String group) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(prometheus + "/api/v1/rules")).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.body().contains("\"name\":\"" + group + "\"");
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  @Order(1)
  void theErrorRateGateFailsWhileErrorsFlowAndPassesAfterTheyStop() throws Exception {
    assertThat(within(30, () -> errorRate().isPresent()))
        .as("Prometheus has scraped 127.0.0.1:19100 and the error rate has data").isTrue();
    assertThat(errorRate().getAsDouble()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.01));

    GateResult whileFlowing = GateHarness.evaluate(realTime(), gate());

    assertThat(whileFlowing.verdict()).isEqualTo(GateVerdict.FAIL);
    assertThat(whileFlowing.reason()).contains("breached <= 0.1");

    errorsFlowing.set(false);
    AtomicReference<GateResult> after = new AtomicReference<>();
    assertThat(within(30, () -> {
      after.set(GateHarness.evaluate(realTime(), gate()));
      return after.get().passed();
    })).as("the gate passes once the errors stopped; last: %s", after).isTrue();
    assertThat(after.get().samples()).hasSize(3).allSatisfy(s -> assertThat(s.value()).isLessThanOrEqualTo(0.1));

    List<Sample> history = source.range(ERROR_RATE, Instant.now().minusSeconds(60), Instant.now(), Duration.ofSeconds(1));
    assertThat(history).extracting(Sample::value).contains(0.0).anyMatch(v -> v != null && v > 0.4);
  }

  @Test
  @Order(2)
  void theTemporaryRulesAreLoadedDuringTheWindowAndRemovedAfterIt() throws Exception {
    TemporaryAlertRules rules = TemporaryAlertRules.custom(prometheus, rulesDir)
        .errorRate(ERROR_RATE, 0.1)
        .latency("max(scrape_duration_seconds{job=\"rollback-test-service\"})", 0.5)
        .availability("avg(up{job=\"rollback-test-service\"})", 1)
        .forDuration(Duration.ofMinutes(1))
        .incident("INC-IT-" + RUN)
        .build();
    AtomicReference<String> group = new AtomicReference<>();
    AtomicBoolean listedDuringWindow = new AtomicBoolean();
    AtomicBoolean fileDuringWindow = new AtomicBoolean();
    MetricSource watching = q -> {
      if (group.get() == null) {
        try (var files = Files.list(rulesDir)) {
          String name = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("rollback-")).findFirst().orElse("");
          fileDuringWindow.set(!name.isEmpty());
          group.set(name.replace(".yml", ""));
        }
        listedDuringWindow.set(groupListed(group.get()));
      }
      return source.read(q);
    };
    MonitorWindow window = MonitorWindow.custom()
        .gate(MetricGate.custom("error-rate").source(watching).query(ERROR_RATE).max(0.1).noData(dev.rollback.core.metric.NoDataPolicy.PASS).build())
        .duration(Duration.ofSeconds(3)).interval(Duration.ofSeconds(1)).temporaryAlerts(rules).build();

    RollbackResult result = realTime().run(RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9").step(window).build());

    assertThat(result.outcome()).as(String.valueOf(result.warnings())).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(fileDuringWindow).as("the rules file existed during the window").isTrue();
    assertThat(listedDuringWindow).as("group %s was listed in /api/v1/rules during the window", group.get()).isTrue();
    assertThat(group.get()).isEqualTo("rollback-" + result.runId().replaceAll("[^A-Za-z0-9_.-]", "_"));
    assertThat(rulesDir.resolve(group.get() + ".yml")).doesNotExist();
    assertThat(groupListed(group.get())).as("group removed from Prometheus after the window").isFalse();
    assertThat(result.timeline()).extracting(e -> e.message())
        .anyMatch(m -> m.startsWith("temporary alert rules " + group.get() + " loaded"))
        .anyMatch(m -> m.equals("temporary alert rules " + group.get() + " removed"));
  }

  @Test
  @Order(3)
  void theTemporaryRulesAreRemovedWhenTheRunIsCancelled() throws Exception {
    TemporaryAlertRules rules = TemporaryAlertRules.custom(prometheus, rulesDir).errorRate(ERROR_RATE, 0.1).build();
    AtomicReference<RollbackExecution> execution = new AtomicReference<>();
    CountDownLatch set = new CountDownLatch(1);
    AtomicReference<String> seenGroup = new AtomicReference<>();
    MetricSource cancelling = q -> {
      set.await();
      try (var files = Files.list(rulesDir)) {
        seenGroup.set(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("rollback-")).findFirst().orElse(""));
      }
      execution.get().cancel();
      return OptionalDouble.of(0);
    };
    MonitorWindow window = MonitorWindow.custom().gate(MetricGate.custom("x").source(cancelling).query("x").max(1).build())
        .temporaryAlerts(rules).build(); // 30 minutes in real time: only the cancellation ends it

    execution.set(realTime().start(RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9").step(window).build()));
    set.countDown();
    RollbackResult result = execution.get().result().get(60, TimeUnit.SECONDS);

    assertThat(result.outcome()).isEqualTo(RunOutcome.CANCELLED);
    assertThat(seenGroup.get()).startsWith("rollback-").endsWith(".yml");
    assertThat(rulesDir.resolve(seenGroup.get())).doesNotExist();
    assertThat(groupListed(seenGroup.get().replace(".yml", ""))).isFalse();
  }

  @Test
  @Order(4)
  void badQueriesFailWithPrometheusOwnMessage() {
    assertThatThrownBy(() -> source.read("sum(rate(rollback_test_errors_total[1m]"))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("rejected query 'sum(rate(rollback_test_errors_total[1m]'")
        .hasMessageContaining("bad_data")
        .hasMessageContaining("fix the PromQL in the plan");
    assertThatThrownBy(() -> source.read("vector(1) or label_replace(vector(2), \"x\", \"y\", \"\", \"\")"))
        .hasMessageContaining("returned 2 series");
    assertThat(errorRateOf("absent_metric_" + RUN)).isEmpty();
  }

  private static OptionalDouble errorRateOf(String q) {
    try {
      return source.read(q);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
