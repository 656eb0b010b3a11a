package dev.rollback.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.support.TestClock;
import dev.rollback.core.support.TestHttpServer;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VersionProbeTest {
  private TestHttpServer http;

  @BeforeEach
  void start() throws Exception {
    http = new TestHttpServer();
  }

  @AfterEach
  void stop() {
    http.close();
  }

  @Test
  void readsAPlainTextVersion() throws Exception {
    http.answer("/version", 200, "v1.3.0\n");
    assertThat(VersionProbe.http(http.uri("/version")).currentVersion()).isEqualTo("v1.3.0");
  }

  @Test
  void readsAVersionAtAJsonPointer() throws Exception {
    http.answer("/info", 200, "{\"app\":\"checkout\",\"build\":{\"version\":\"v1.3.0\",\"sha\":\"abc\"}}");
    VersionProbe probe = VersionProbe.httpJson(http.uri("/info"), "/build/version");
    assertThat(probe.currentVersion()).isEqualTo("v1.3.0");
    assertThat(probe.source()).isEqualTo("GET " + http.uri("/info") + " at /build/version");
  }

  @Test
  void failsClearlyOnANon2xxAnswerAMissingPointerOrNonJson() {
    http.answer("/version", 503, "maintenance");
    http.answer("/info", 200, "{\"app\":\"checkout\"}");
    http.answer("/html", 200, "<html>hello</html>");
    assertThatThrownBy(() -> VersionProbe.http(http.uri("/version")).currentVersion())
        .isInstanceOf(IOException.class).hasMessageContaining("answered 503: maintenance");
    assertThatThrownBy(() -> VersionProbe.httpJson(http.uri("/info"), "/version").currentVersion())
        .isInstanceOf(IOException.class).hasMessageContaining("has no version at /version in {\"app\":\"checkout\"}");
    assertThatThrownBy(() -> VersionProbe.httpJson(http.uri("/html"), "/version").currentVersion())
        .isInstanceOf(IOException.class).hasMessageContaining("did not answer JSON: <html>hello</html>");
  }

  @Test
  void rejectsABadUriOrPointerAtOnce() {
    assertThatThrownBy(() -> VersionProbe.http(URI.create("ftp://host/version")))
        .isInstanceOf(RollbackException.class).hasMessageContaining("must be an absolute http(s) URI, but was ftp://host/version");
    assertThatThrownBy(() -> VersionProbe.httpJson(http.uri("/info"), "version"))
        .isInstanceOf(RollbackException.class).hasMessageContaining("JSON pointer 'version' is invalid");
  }

  @Test
  void twoSourcesThatDisagreeStopTheRunBeforeAnythingIsTouchedNamingBoth() {
    http.answer("/version", 200, "v1.3.0");
    AtomicInteger touched = new AtomicInteger();
    VersionProbe platform = new VersionProbe() {
      @Override
      public String currentVersion() {
        return "v1.3.1";
      }

      @Override
      public String source() {
        return "platform kubernetes";
      }
    };
    RollbackPlan plan = RollbackPlan.builder("checkout")
        .currentVersion(VersionProbe.http(http.uri("/version")))
        .confirmCurrentVersion(platform)
        .target("v1.2.9")
        .step(Step.builder("drain", Phase.TRAFFIC_DRAIN).execute(ctx -> {
          touched.incrementAndGet();
          return StepResult.succeeded();
        }).build())
        .build();
    TestClock clock = TestClock.create();

    RollbackResult result = RollbackRunner.builder().clock(clock).sleeper(clock.sleeper()).build().run(plan);

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(touched).hasValue(0);
    assertThat(result.failure())
        .contains("the version sources disagree about what runs")
        .contains("GET " + http.uri("/version") + " says v1.3.0")
        .contains("platform kubernetes says v1.3.1");
  }

  @Test
  void twoSourcesThatAgreeAreRecorded() {
    http.answer("/version", 200, "v1.3.0");
    RollbackPlan plan = RollbackPlan.builder("checkout")
        .currentVersion(VersionProbe.http(http.uri("/version")))
        .confirmCurrentVersion(VersionProbe.fixed("v1.3.0"))
        .target("v1.2.9")
        .step(Step.builder("drain", Phase.TRAFFIC_DRAIN).execute(ctx -> StepResult.succeeded()).build())
        .build();

    RollbackResult result = RollbackRunner.create().run(plan);

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(result.timeline()).anySatisfy(t -> assertThat(t.message()).isEqualTo("v1.3.0 confirmed by 2 sources"));
  }
}
