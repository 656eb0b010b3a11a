package dev.rollback.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP health check against a real local HTTP server. */
class HttpHealthCheckTest {
  private HealthTestServer server;

  @BeforeEach
  void start() throws Exception {
    server = HealthTestServer.http();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpCheck.Builder check(String path) {
    return HttpCheck.custom(server.uri(path));
  }

  private static HealthObservation observe(HttpCheck.Builder b) throws Exception {
    return HealthCheck.http(b.build()).check();
  }

  // ---- status ----

  @Test
  void a2xxAnswerIsHealthyWithStatusLatencyAndAShortReason() throws Exception {
    server.answer("/health", 200, "text/plain", "ok");

    HealthObservation o = observe(check("/health"));

    assertThat(o.healthy()).isTrue();
    assertThat(o.status()).isEqualTo(200);
    assertThat(o.reason()).matches("200 OK in \\d+ ms");
    assertThat(o.check()).isEqualTo("GET " + server.uri("/health"));
    assertThat(o.timeToFirstByte()).isNotNull();
    assertThat(o.timeToFirstByte()).isLessThanOrEqualTo(o.latency());
  }

  @Test
  void byDefaultOnlyA2xxIsHealthyAndTheReasonShowsStatusAndBody() throws Exception {
    server.answer("/health", 503, "text/plain", "db pool exhausted\n");
    server.answer("/empty", 500, "text/plain", "");

    HealthObservation o = observe(check("/health"));
    HealthObservation empty = observe(check("/empty"));

    assertThat(o.healthy()).isFalse();
    assertThat(o.status()).isEqualTo(503);
    assertThat(o.reason()).isEqualTo("503: db pool exhausted");
    assertThat(empty.reason()).isEqualTo("500 Internal Server Error (expected 2xx)");
  }

  @Test
  void anExpectedStatusSetOrRangeReplacesTheDefault() throws Exception {
    server.answer("/accepted", 202, "text/plain", "queued");
    server.answer("/teapot", 418, "text/plain", "short and stout");

    assertThat(observe(check("/accepted").expectStatus(200, 204)).reason()).isEqualTo("202: queued (expected 200, 204)");
    assertThat(observe(check("/accepted").expectStatus(200, 202)).healthy()).isTrue();
    assertThat(observe(check("/teapot").expectStatusRange(400, 499)).healthy()).isTrue();
    assertThat(observe(check("/teapot").expectStatusRange(400, 417).expectStatus(200)).reason())
        .isEqualTo("418: short and stout (expected 400-417, 200)");
    assertThat(observe(check("/accepted").expectStatusRange(200, 299)).healthy()).isTrue();
  }

  @Test
  void redirectsAreNotFollowedUnlessAsked() throws Exception {
    server.answer("/target", 200, "text/plain", "here");
    server.on("/moved", ex -> {
      ex.getResponseHeaders().set("Location", "/target");
      ex.sendResponseHeaders(302, -1);
      ex.close();
    });

    HealthObservation notFollowed = observe(check("/moved"));
    HealthObservation followed = observe(check("/moved").followRedirects(true));

    assertThat(notFollowed.healthy()).isFalse();
    assertThat(notFollowed.reason()).isEqualTo("302 Found (expected 2xx)");
    assertThat(followed.healthy()).isTrue();
    assertThat(followed.status()).isEqualTo(200);
  }

  @Test
  void theSimpleFactoryKeepsItsCurlSfBehaviour() throws Exception {
    server.answer("/ok", 204, "text/plain", "");
    server.on("/moved", ex -> {
      ex.getResponseHeaders().set("Location", "/ok");
      ex.sendResponseHeaders(301, -1);
      ex.close();
    });

    assertThat(HealthCheck.http(server.uri("/ok")).check().healthy()).isTrue();
    assertThat(HealthCheck.http(server.uri("/moved"), Duration.ofSeconds(1)).check().healthy()).isFalse();
    assertThat(HealthCheck.http(server.uri("/ok")).name()).isEqualTo("GET " + server.uri("/ok"));
  }

  // ---- body ----

  @Test
  void aBodyThatLacksTheExpectedTextIsUnhealthy() throws Exception {
    server.answer("/health", 200, "text/plain", "status: degraded");

    HealthObservation missing = observe(check("/health").bodyContains("ok"));
    HealthObservation present = observe(check("/health").bodyContains("degraded"));

    assertThat(missing.healthy()).isFalse();
    assertThat(missing.status()).isEqualTo(200);
    assertThat(missing.reason()).isEqualTo("expected body to contain 'ok', but it was 'status: degraded'");
    assertThat(present.healthy()).isTrue();
  }

  @Test
  void theBodyIsDecodedWithTheCharsetOfTheAnswer() throws Exception {
    server.on("/latin", ex -> {
      byte[] bytes = "état: prêt".getBytes(StandardCharsets.ISO_8859_1);
      ex.getResponseHeaders().set("Content-Type", "text/plain; charset=ISO-8859-1");
      ex.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    });

    assertThat(observe(check("/latin").bodyContains("prêt")).healthy()).isTrue();
  }

  // ---- JSON pointer ----

  @Test
  void aJsonPointerMustEqualTheExpectedValue() throws Exception {
    server.answer("/health", 200, "application/json",
        "{\"status\":\"UP\",\"checks\":[{\"name\":\"db\",\"up\":true,\"pool\":8}]}");

    assertThat(observe(check("/health").jsonPointerEquals("/status", "UP")).healthy()).isTrue();
    assertThat(observe(check("/health").jsonPointerEquals("/checks/0/up", "true").jsonPointerEquals("/checks/0/pool", "8")).healthy())
        .isTrue();

    HealthObservation wrong = observe(check("/health").jsonPointerEquals("/checks/0/up", "false"));
    assertThat(wrong.healthy()).isFalse();
    assertThat(wrong.reason()).isEqualTo("expected /checks/0/up to be 'false', but was 'true'");

    HealthObservation absent = observe(check("/health").jsonPointerEquals("/db/status", "UP"));
    assertThat(absent.reason()).isEqualTo("expected /db/status to be 'UP', but the body has no value there");
  }

  @Test
  void aBodyThatIsNotJsonFailsAJsonPointerCheck() throws Exception {
    server.answer("/health", 200, "text/html", "<html>login</html>");

    HealthObservation o = observe(check("/health").jsonPointerEquals("/status", "UP"));

    assertThat(o.healthy()).isFalse();
    assertThat(o.reason()).isEqualTo("expected a JSON body, but it was '<html>login</html>'");
  }

  // ---- latency ----

  @Test
  void anAnswerSlowerThanTheMaximumLatencyIsUnhealthyWithItsLatency() throws Exception {
    server.on("/slow", ex -> {
      pause(400);
      HealthTestServer.send(ex, 200, "text/plain", "ok");
    });

    HealthObservation slow = observe(check("/slow").maxLatency(Duration.ofMillis(100)));
    HealthObservation relaxed = observe(check("/slow").maxLatency(Duration.ofSeconds(5)));

    assertThat(slow.healthy()).isFalse();
    assertThat(slow.status()).isEqualTo(200);
    assertThat(slow.latency()).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    assertThat(slow.reason()).matches("200 OK in \\d+ ms, slower than the maximum of 100 ms");
    assertThat(relaxed.healthy()).isTrue();
  }

  @Test
  void timeToFirstByteIsWhenTheHeadersArrivedAndLatencyIsWhenTheBodyEnded() throws Exception {
    server.on("/stream", ex -> {
      ex.getResponseHeaders().set("Content-Type", "text/plain");
      ex.sendResponseHeaders(200, 0); // chunked: headers go out now
      try (OutputStream out = ex.getResponseBody()) {
        out.flush();
        pause(500);
        out.write("ok".getBytes(StandardCharsets.UTF_8));
      }
    });

    HealthObservation o = observe(check("/stream").bodyContains("ok"));

    assertThat(o.healthy()).isTrue();
    assertThat(o.timeToFirstByte()).isLessThan(Duration.ofMillis(300));
    assertThat(o.latency()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    assertThat(o.latency().minus(o.timeToFirstByte())).isGreaterThanOrEqualTo(Duration.ofMillis(400));
  }

  @Test
  void noAnswerWithinTheTimeoutIsUnhealthyWithTheTimeout() throws Exception {
    server.on("/hang", ex -> {
      pause(2_000);
      HealthTestServer.send(ex, 200, "text/plain", "late");
    });

    HealthObservation o = observe(check("/hang").timeout(Duration.ofMillis(300)));

    assertThat(o.healthy()).isFalse();
    assertThat(o.status()).isZero();
    assertThat(o.reason()).isEqualTo("no answer within PT0.3S");
    assertThat(o.timeToFirstByte()).isNull();
    assertThat(o.latency()).isLessThan(Duration.ofMillis(1_900));
  }

  @Test
  void aBodyThatStopsHalfwayIsBoundedByTheTimeoutToo() throws Exception {
    server.on("/trickle", ex -> {
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        out.write("o".getBytes(StandardCharsets.UTF_8));
        out.flush();
        pause(2_000);
        out.write("k".getBytes(StandardCharsets.UTF_8));
      }
    });

    HealthObservation o = observe(check("/trickle").timeout(Duration.ofMillis(400)));

    assertThat(o.healthy()).isFalse();
    assertThat(o.reason()).startsWith("body not complete within PT0.4S (headers after ");
    assertThat(o.timeToFirstByte()).isNotNull();
  }

  @Test
  void aPortWhereNothingListensIsUnhealthyAsConnectionRefused() throws Exception {
    URI gone = server.uri("/health");
    server.close();

    HealthObservation o = HealthCheck.http(HttpCheck.custom(gone).connectTimeout(Duration.ofSeconds(1)).build()).check();

    assertThat(o.healthy()).isFalse();
    assertThat(o.status()).isZero();
    assertThat(o.reason()).startsWith("connection refused");
  }

  // ---- method and headers ----

  @Test
  void headAndPostAreSentAsConfigured() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    server.on("/probe", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      seen.set(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Content-Type") + " " + body);
      HealthTestServer.send(ex, 200, "application/json", "{\"ok\":true}");
    });

    assertThat(observe(check("/probe").method(HttpCheck.Method.HEAD)).healthy()).isTrue();
    assertThat(seen.get()).isEqualTo("HEAD null ");
    HealthObservation post = observe(check("/probe").post("application/json", "{\"query\":\"{ health }\"}").jsonPointerEquals("/ok", "true"));
    assertThat(post.healthy()).isTrue();
    assertThat(post.check()).startsWith("POST ");
    assertThat(seen.get()).isEqualTo("POST application/json {\"query\":\"{ health }\"}");
  }

  @Test
  void aSecretHeaderIsSentButNeverShown() throws Exception {
    AtomicReference<String> auth = new AtomicReference<>();
    AtomicReference<String> tenant = new AtomicReference<>();
    server.on("/private", ex -> {
      auth.set(ex.getRequestHeaders().getFirst("Authorization"));
      tenant.set(ex.getRequestHeaders().getFirst("X-Api-Key"));
      boolean ok = "Bearer s3cr3t-t0ken".equals(auth.get());
      HealthTestServer.send(ex, ok ? 200 : 401, "text/plain", ok ? "ok" : "bad token");
    });
    HttpCheck config = check("/private").bearerToken(Secret.of("s3cr3t-t0ken")).header("X-Api-Key", Secret.of("k3y-v4lue"))
        .header("X-Request-Source", "rollback").build();
    HealthCheck check = HealthCheck.http(config);

    HealthObservation o = check.check();

    assertThat(o.healthy()).isTrue();
    assertThat(auth.get()).isEqualTo("Bearer s3cr3t-t0ken");
    assertThat(tenant.get()).isEqualTo("k3y-v4lue");
    for (String shown : new String[] {o.toString(), o.reason(), o.check(), check.toString(), check.name(), config.toString(),
        config.headers().toString()}) {
      assertThat(shown).doesNotContain("s3cr3t").doesNotContain("k3y-v4lue");
    }
    assertThat(config.toString()).contains("Authorization=****").contains("X-Request-Source=rollback");
  }

  // ---- configuration ----

  @Test
  void aBadConfigurationReportsEveryProblemAtOnce() {
    assertThatThrownBy(() -> HttpCheck.custom(URI.create("ftp://files/health"))
        .timeout(Duration.ZERO)
        .expectStatus(99)
        .header("Host", "evil")
        .bodyContains("")
        .jsonPointerEquals("status", "UP")
        .trustCertificate(java.nio.file.Path.of("/nonexistent/ca.pem"))
        .insecureSkipTlsVerification()
        .build())
        .isInstanceOfSatisfying(RollbackException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
          assertThat(e.problems()).hasSize(7);
          assertThat(e.getMessage())
              .contains("absolute http(s) URI, but was ftp://files/health")
              .contains("timeout must be positive, but was PT0S")
              .contains("expected status must be in 100..599, but was 99")
              .contains("header 'Host' is set by the HTTP client itself")
              .contains("bodyContains text must not be empty")
              .contains("JSON pointer must be empty or start with '/', but was 'status'")
              .contains("choose one of trustCertificate, trustStore and insecureSkipTlsVerification, but 2 were set");
        });
  }

  @Test
  void aMissingCertificateFileIsReportedWithTheOtherProblems() {
    assertThatThrownBy(() -> HttpCheck.custom(URI.create("http://api/health")).expectStatus()
        .trustCertificate(java.nio.file.Path.of("/nonexistent/ca.pem")).build())
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.problems()).containsExactly(
            "expectStatus needs at least one status code, but got none: e.g. expectStatus(200, 204)",
            "TLS options were set but the URI http://api/health is plain http: use https or drop the TLS option",
            "trustCertificate /nonexistent/ca.pem does not exist or cannot be read: give a PEM or DER certificate file"));
  }

  @Test
  void aHeadCheckCannotExpectABodyAndMaxLatencyMustFitTheTimeout() {
    assertThatThrownBy(() -> HttpCheck.custom(URI.create("http://api/health")).method(HttpCheck.Method.HEAD).bodyContains("ok")
        .timeout(Duration.ofSeconds(1)).maxLatency(Duration.ofSeconds(2)).build())
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.problems()).containsExactly(
            "a HEAD check gets no body, so bodyContains/jsonPointerEquals cannot hold: use GET",
            "maxLatency PT2S is longer than the timeout PT1S: raise the timeout or lower maxLatency"));
  }

  @Test
  void aSecretHeaderWithALineBreakIsRejectedWithoutShowingIt() {
    assertThatThrownBy(() -> HttpCheck.custom(URI.create("http://api/health")).header("Authorization", Secret.of("Bearer a\r\nX: y")).build())
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.getMessage())
            .contains("header 'Authorization' must not contain line breaks (value redacted)")
            .doesNotContain("Bearer a"));
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis); // the server's handler, not the code under test
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
