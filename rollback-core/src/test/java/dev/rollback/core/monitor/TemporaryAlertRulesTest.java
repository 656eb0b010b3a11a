package dev.rollback.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.Phase;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.Step;
import dev.rollback.core.StepResult;
import dev.rollback.core.support.TestClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules file a recovery window installs, and its configuration. */
class TemporaryAlertRulesTest {
  @TempDir Path dir;

  @Test
  void rendersOneGroupPerRunWithForAndLabelsNamingTheIncident() {
    TemporaryAlertRules rules = TemporaryAlertRules.custom(URI.create("http://127.0.0.1:19090"), dir)
        .errorRate("sum(rate(http_errors_total{job=\"checkout\",code=~\"5..\"}[1m])) / sum(rate(http_requests_total{job=\"checkout\"}[1m]))", 0.02)
        .latency("histogram_quantile(0.99, sum by (le) (rate(http_seconds_bucket[5m])))", 0.8)
        .availability("avg(up{job=\"checkout\"})", 1)
        .forDuration(Duration.ofSeconds(90))
        .incident("INC-20261128-0931-checkout")
        .label("team", "payments")
        .build();
    AtomicReference<String> yaml = new AtomicReference<>();
    AtomicReference<Path> file = new AtomicReference<>();
    TestClock clock = TestClock.create();
    RollbackRunner.builder().clock(clock).sleeper(clock.sleeper()).runIds((s, t) -> "run-42").build()
        .run(RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9")
            .step(Step.builder("render", Phase.MONITOR).execute(ctx -> {
              yaml.set(rules.render(ctx));
              file.set(rules.file(ctx));
              return StepResult.succeeded();
            }).build()).build());

    assertThat(file.get()).isEqualTo(dir.resolve("rollback-run-42.yml"));
    assertThat(yaml.get()).isEqualTo(""
        + "# Temporary alert rules written by Rollback for run run-42 of checkout; removed when the monitoring window ends.\n"
        + "groups:\n"
        + "  - name: \"rollback-run-42\"\n"
        + "    rules:\n"
        + "      - alert: \"RollbackRecoveryErrorRate\"\n"
        + "        expr: \"(sum(rate(http_errors_total{job=\\\"checkout\\\",code=~\\\"5..\\\"}[1m])) / sum(rate(http_requests_total{job=\\\"checkout\\\"}[1m]))) > 0.02\"\n"
        + "        for: 90s\n"
        + "        labels:\n"
        + "          severity: \"page\"\n"
        + "          team: \"payments\"\n"
        + "          rollback_run: \"run-42\"\n"
        + "          rollback_service: \"checkout\"\n"
        + "          incident: \"INC-20261128-0931-checkout\"\n"
        + "        annotations:\n"
        + "          summary: \"error rate above 0.02 after the rollback\"\n"
        + "      - alert: \"RollbackRecoveryLatency\"\n"
        + "        expr: \"(histogram_quantile(0.99, sum by (le) (rate(http_seconds_bucket[5m])))) > 0.8\"\n"
        + "        for: 90s\n"
        + "        labels:\n"
        + "          severity: \"page\"\n"
        + "          team: \"payments\"\n"
        + "          rollback_run: \"run-42\"\n"
        + "          rollback_service: \"checkout\"\n"
        + "          incident: \"INC-20261128-0931-checkout\"\n"
        + "        annotations:\n"
        + "          summary: \"latency above 0.8 after the rollback\"\n"
        + "      - alert: \"RollbackRecoveryAvailability\"\n"
        + "        expr: \"(avg(up{job=\\\"checkout\\\"})) < 1.0\"\n"
        + "        for: 90s\n"
        + "        labels:\n"
        + "          severity: \"page\"\n"
        + "          team: \"payments\"\n"
        + "          rollback_run: \"run-42\"\n"
        + "          rollback_service: \"checkout\"\n"
        + "          incident: \"INC-20261128-0931-checkout\"\n"
        + "        annotations:\n"
        + "          summary: \"availability below 1.0 after the rollback\"\n");
  }

  @Test
  void aRefusedReloadRemovesTheFileAgainAndSaysHowToEnableIt() throws Exception {
    try (dev.rollback.core.support.TestHttpServer prometheus = new dev.rollback.core.support.TestHttpServer()) {
      prometheus.answer("/-/reload", 403, "Lifecycle API is not enabled.");
      TemporaryAlertRules rules = TemporaryAlertRules.custom(prometheus.uri("/"), dir).errorRate("x", 0.1).build();
      AtomicReference<Exception> failure = new AtomicReference<>();
      TestClock clock = TestClock.create();
      RollbackRunner.builder().clock(clock).sleeper(clock.sleeper()).build()
          .run(RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9")
              .step(Step.builder("install", Phase.MONITOR).execute(ctx -> {
                try {
                  rules.install(ctx);
                } catch (Exception e) {
                  failure.set(e);
                }
                return StepResult.succeeded();
              }).build()).build());

      assertThat(failure.get()).isInstanceOf(java.io.IOException.class)
          .hasMessageContaining("refused POST /-/reload with HTTP 403: Lifecycle API is not enabled.: start Prometheus with --web.enable-lifecycle");
      try (var files = java.nio.file.Files.list(dir)) {
        assertThat(files).as("the rules file was removed again").isEmpty();
      }
    }
  }

  @Test
  void aMonitorWindowGoesOnWatchingWhenTheRulesCannotBeInstalledAndWarns() throws Exception {
    try (dev.rollback.core.support.TestHttpServer prometheus = new dev.rollback.core.support.TestHttpServer()) {
      prometheus.answer("/-/reload", 500, "error loading rules");
      TemporaryAlertRules rules = TemporaryAlertRules.custom(prometheus.uri("/"), dir).errorRate("x", 0.1).build();
      TestClock clock = TestClock.create();
      MonitorWindow window = MonitorWindow.custom()
          .gate(dev.rollback.core.metric.MetricGate.custom("g").source(q -> java.util.OptionalDouble.of(0)).query("x").max(1).build())
          .duration(Duration.ofMinutes(5)).temporaryAlerts(rules).build();

      dev.rollback.core.RollbackResult result = RollbackRunner.builder().clock(clock).sleeper(clock.sleeper()).build()
          .run(RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9").step(window).build());

      assertThat(result.step("monitor-window").orElseThrow().outcome()).isEqualTo(dev.rollback.core.StepOutcome.WARNED);
      assertThat(result.step("monitor-window").orElseThrow().message())
          .startsWith("temporary alert rules were not installed: Prometheus at ").contains("HTTP 500: error loading rules");
      assertThat(Duration.between(java.time.Instant.parse("2026-11-28T03:00:00Z"), clock.instant())).isEqualTo(Duration.ofMinutes(5));
    }
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(() -> TemporaryAlertRules.custom(URI.create("localhost:9090"), null).forDuration(Duration.ofSeconds(-1))
        .label("__name__", "x").errorRate(" ", 0.1).build())
        .hasMessageContaining("prometheus must be an http(s) address")
        .hasMessageContaining("rulesDirectory must not be null")
        .hasMessageContaining("forDuration must be zero or positive, but was PT-1S")
        .hasMessageContaining("label name must match")
        .hasMessageContaining("expression of RollbackRecoveryErrorRate must not be blank");
    assertThatThrownBy(() -> TemporaryAlertRules.custom(URI.create("http://p:9090"), Path.of("/tmp")).build())
        .hasMessageContaining("no alert rule declared");
  }
}
