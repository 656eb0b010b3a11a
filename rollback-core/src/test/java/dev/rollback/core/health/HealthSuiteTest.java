package dev.rollback.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollback.core.ErrorCode;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.Secret;
import dev.rollback.core.Step;
import dev.rollback.core.StepOutcome;
import dev.rollback.core.TimelineEntry;
import dev.rollback.core.event.RollbackEvent;
import dev.rollback.core.event.StepProgress;
import dev.rollback.core.journal.JournalEntry;
import dev.rollback.core.journal.JournalEntryType;
import dev.rollback.core.journal.RunJournal;
import dev.rollback.core.support.TestClock;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The health suite as a VALIDATE step of a real run: real local HTTP endpoints, a manual clock that
 * only the run's sleeper moves, and the timeline facts the incident report reads.
 */
class HealthSuiteTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TestClock clock = TestClock.create();
  private final RunJournal journal = RunJournal.inMemory();
  private final List<RollbackEvent> events = new CopyOnWriteArrayList<>();
  private final RollbackRunner runner = RollbackRunner.builder().clock(clock).sleeper(clock.sleeper()).journal(journal)
      .listener(events::add).build();
  private HealthTestServer server;

  @BeforeEach
  void start() throws Exception {
    server = HealthTestServer.http();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** An endpoint that answers 503 to the requests the predicate picks (1-based) and 200 otherwise. */
  private URI endpoint(String path, IntPredicate fails) {
    AtomicInteger count = new AtomicInteger();
    server.on(path, ex -> {
      boolean fail = fails.test(count.incrementAndGet());
      HealthTestServer.send(ex, fail ? 503 : 200, "text/plain", fail ? path.substring(1) + " unavailable" : "ok");
    });
    return server.uri(path);
  }

  private RollbackResult run(Step step) {
    RollbackPlan plan = RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9").step(step).build();
    return runner.run(plan);
  }

  private static TimelineEntry suiteEntry(RollbackResult result) {
    List<TimelineEntry> entries = result.timeline().stream().filter(t -> "health-suite".equals(t.facts().get("kind"))).toList();
    assertThat(entries).hasSize(1);
    return entries.get(0);
  }

  private static List<JsonNode> table(TimelineEntry entry) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    JSON.readTree(entry.facts().get("table")).forEach(rows::add);
    return rows;
  }

  private static List<String> fieldNames(JsonNode row) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = row.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  @Test
  void everyEndpointPassingNConsecutiveTimesPassesTheStepAndRecordsTheTable() throws Exception {
    HealthSuite suite = HealthSuite.custom("critical-endpoints")
        .endpoint("auth", HealthCheck.http(endpoint("/auth", n -> false)))
        .endpoint("core-api", HttpCheck.custom(endpoint("/api", n -> false)).bodyContains("ok").build())
        .endpoint("data", HealthCheck.http(endpoint("/data", n -> false)), 5)
        .consecutivePasses(3)
        .interval(Duration.ofSeconds(10))
        .deadline(Duration.ofMinutes(2))
        .build();

    RollbackResult result = run(suite.asStep());

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(result.step("critical-endpoints")).hasValueSatisfying(s -> {
      assertThat(s.phase()).isEqualTo(Phase.VALIDATE);
      assertThat(s.outcome()).isEqualTo(StepOutcome.SUCCEEDED);
    });
    TimelineEntry entry = suiteEntry(result);
    assertThat(entry.stepId()).isEqualTo("critical-endpoints");
    assertThat(entry.facts()).containsOnlyKeys("kind", "suite", "verdict", "table")
        .containsEntry("kind", "health-suite").containsEntry("suite", "critical-endpoints").containsEntry("verdict", "PASS");
    // data needs 5 passes, 10 s apart: four sleeps on the run's clock
    assertThat(entry.at()).isEqualTo(TestClock.create().instant().plus(Duration.ofSeconds(40)));
    List<JsonNode> rows = table(entry);
    assertThat(rows).extracting(r -> r.get("endpoint").asText()).containsExactly("auth", "core-api", "data");
    assertThat(rows).extracting(r -> r.get("required").asInt()).containsExactly(3, 3, 5);
    assertThat(rows).extracting(r -> r.get("passes").asInt()).containsExactly(3, 3, 5);
    for (JsonNode row : rows) {
      assertThat(fieldNames(row)).containsExactly("endpoint", "required", "passes", "status", "latencyMs", "ttfbMs", "reason");
      assertThat(row.get("status").asInt()).isEqualTo(200);
      assertThat(row.get("latencyMs").isIntegralNumber()).isTrue();
      assertThat(row.get("ttfbMs").isIntegralNumber()).isTrue();
      assertThat(row.get("reason").asText()).matches("200 OK in \\d+ ms");
    }
    assertThat(journal.read(result.runId()).orElseThrow().entries()).filteredOn(e -> e.type() == JournalEntryType.TIMELINE)
        .anySatisfy(e -> assertThat(e.facts()).isEqualTo(entry.facts()));
  }

  @Test
  void aFailureResetsTheCountSoTheEndpointNeedsNFreshConsecutivePasses() throws Exception {
    HealthSuite suite = HealthSuite.custom("critical-endpoints")
        .endpoint("core-api", HealthCheck.http(endpoint("/api", n -> n == 3)))
        .consecutivePasses(3)
        .interval(Duration.ofSeconds(5))
        .deadline(Duration.ofMinutes(1))
        .build();

    RollbackResult result = run(suite.asStep());

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    // pass, pass, FAIL (reset), pass, pass, pass: six checks, five sleeps
    assertThat(suiteEntry(result).at()).isEqualTo(TestClock.create().instant().plus(Duration.ofSeconds(25)));
    assertThat(events).filteredOn(StepProgress.class::isInstance).map(e -> ((StepProgress) e).message())
        .contains("core-api: failed after 2 consecutive passes, count reset to 0/3 (503: api unavailable)")
        .containsSubsequence("health suite critical-endpoints: core-api 2/3", "health suite critical-endpoints: core-api 0/3",
            "health suite critical-endpoints: core-api 1/3", "health suite critical-endpoints: core-api 3/3");
    assertThat(table(suiteEntry(result)).get(0).get("passes").asInt()).isEqualTo(3);
  }

  @Test
  void anEndpointThatFailsEveryThirdRequestPassesTwoInARowButNeverThree() throws Exception {
    URI flaky = endpoint("/data", n -> n % 3 == 0);
    HealthSuite two = HealthSuite.custom("two").endpoint("data", HealthCheck.http(flaky)).consecutivePasses(2)
        .interval(Duration.ofSeconds(5)).deadline(Duration.ofSeconds(30)).build();
    HealthSuite three = HealthSuite.custom("three").endpoint("data", HealthCheck.http(flaky)).consecutivePasses(3)
        .interval(Duration.ofSeconds(5)).deadline(Duration.ofSeconds(30)).build();
    RecordingContext ctx = new RecordingContext(clock);

    HealthSuiteResult passed = two.run(ctx);
    HealthSuiteResult failed = three.run(ctx);

    assertThat(passed.passed()).isTrue();
    assertThat(passed.rows().get(0)).satisfies(r -> {
      assertThat(r.attempts()).isEqualTo(2);
      assertThat(r.resets()).isZero();
    });
    assertThat(failed.passed()).isFalse();
    assertThat(failed.verdict()).isEqualTo("FAIL");
    assertThat(failed.elapsed()).isEqualTo(Duration.ofSeconds(30));
    assertThat(failed.rows().get(0)).satisfies(r -> {
      // requests 3..9 at 0, 5, ... 30 s: FAIL pass pass FAIL pass pass FAIL
      assertThat(r.attempts()).isEqualTo(7);
      assertThat(r.resets()).isEqualTo(2);
      assertThat(r.passes()).isZero();
      assertThat(r.last().reason()).isEqualTo("503: data unavailable");
      assertThat(r.passed()).isFalse();
    });
    assertThat(ctx.recorded).isEmpty(); // run() only polls; the step records
  }

  @Test
  void anEndpointThatMissesTheDeadlineFailsTheStepNamingItWithItsLastReason() throws Exception {
    HealthSuite suite = HealthSuite.custom("critical-endpoints")
        .endpoint("auth", HealthCheck.http(endpoint("/auth", n -> false)))
        .endpoint("core-api", HealthCheck.http(endpoint("/api", n -> n % 3 == 0)))
        .endpoint("data", HealthCheck.http(endpoint("/data", n -> true)))
        .consecutivePasses(3)
        .interval(Duration.ofSeconds(10))
        .deadline(Duration.ofMinutes(1))
        .build();

    RollbackResult result = run(suite.asStep());

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.failureMessage()).hasValueSatisfying(f -> assertThat(f)
        .contains("HealthSuiteFailedException: health suite 'critical-endpoints' failed")
        .contains("'core-api' 1/3 (last: 200 OK in")
        .contains("'data' 0/3 (last: 503: data unavailable)")
        .doesNotContain("'auth'"));
    TimelineEntry entry = suiteEntry(result);
    assertThat(entry.facts()).containsEntry("verdict", "FAIL").containsEntry("suite", "critical-endpoints");
    assertThat(entry.message()).startsWith("health suite critical-endpoints: FAIL");
    assertThat(entry.at()).isEqualTo(TestClock.create().instant().plus(Duration.ofMinutes(1)));
    List<JsonNode> rows = table(entry);
    assertThat(rows.get(0).get("passes").asInt()).isEqualTo(3);
    JsonNode data = rows.get(2);
    assertThat(data.get("endpoint").asText()).isEqualTo("data");
    assertThat(data.get("required").asInt()).isEqualTo(3);
    assertThat(data.get("passes").asInt()).isZero();
    assertThat(data.get("status").asInt()).isEqualTo(503);
    assertThat(data.get("reason").asText()).isEqualTo("503: data unavailable");
  }

  @Test
  void anUnreachableEndpointIsReportedWithANullTimeToFirstByte() throws Exception {
    URI gone = server.uri("/health");
    HealthSuite suite = HealthSuite.custom("critical-endpoints")
        .endpoint("auth", HttpCheck.custom(gone).connectTimeout(Duration.ofSeconds(1)).build(), 1)
        .interval(Duration.ofSeconds(5)).deadline(Duration.ofSeconds(5)).build();
    server.close();

    RollbackResult result = run(suite.asStep());

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    JsonNode row = table(suiteEntry(result)).get(0);
    assertThat(row.get("status").asInt()).isZero();
    assertThat(row.get("ttfbMs").isNull()).isTrue();
    assertThat(row.get("reason").asText()).startsWith("connection refused");
  }

  @Test
  void secretHeadersReachTheEndpointButNotTheTimelineOrTheFailure() throws Exception {
    AtomicInteger authorized = new AtomicInteger();
    server.on("/auth", ex -> {
      boolean ok = "Bearer t0p-s3cret".equals(ex.getRequestHeaders().getFirst("Authorization"));
      if (ok) {
        authorized.incrementAndGet();
      }
      HealthTestServer.send(ex, ok ? 200 : 401, "text/plain", ok ? "ok" : "who are you");
    });
    HealthSuite suite = HealthSuite.custom("critical-endpoints")
        .endpoint("auth", HttpCheck.custom(server.uri("/auth")).bearerToken(Secret.of("t0p-s3cret")).build())
        .endpoint("data", HealthCheck.http(endpoint("/data", n -> true)))
        .consecutivePasses(2).interval(Duration.ofSeconds(1)).deadline(Duration.ofSeconds(3)).build();

    RollbackResult result = run(suite.asStep());

    assertThat(authorized).hasValue(2);
    assertThat(result.failureMessage().orElseThrow()).doesNotContain("t0p-s3cret");
    assertThat(suiteEntry(result).toString()).doesNotContain("t0p-s3cret");
    assertThat(suite.toString()).doesNotContain("t0p-s3cret");
    for (JournalEntry e : journal.read(result.runId()).orElseThrow().entries()) {
      assertThat(e.toString()).doesNotContain("t0p-s3cret");
    }
  }

  @Test
  void aCancelledRunStopsPollingAtTheNextWait() throws Exception {
    java.util.concurrent.CountDownLatch polling = new java.util.concurrent.CountDownLatch(1);
    AtomicInteger requests = new AtomicInteger();
    server.on("/down", ex -> {
      requests.incrementAndGet();
      HealthTestServer.send(ex, 503, "text/plain", "down");
    });
    RollbackRunner cancellable = RollbackRunner.builder().clock(clock).sleeper(clock.sleeper()).journal(journal)
        .listener(e -> {
          if (e instanceof StepProgress) {
            polling.countDown();
          }
        }).build();
    HealthSuite suite = HealthSuite.custom("critical-endpoints").endpoint("core-api", HealthCheck.http(server.uri("/down")))
        .interval(Duration.ofSeconds(1)).deadline(Duration.ofDays(365)).build();

    dev.rollback.core.RollbackExecution execution = cancellable.start(
        RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9").step(suite.asStep()).build());
    assertThat(polling.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    execution.cancel();
    RollbackResult result = execution.result().get(30, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(result.outcome()).isEqualTo(RunOutcome.CANCELLED);
    int seen = requests.get();
    Thread.sleep(200);
    assertThat(requests.get()).isEqualTo(seen);
  }

  @Test
  void theStepIsAReadOnlyIdempotentValidateStepWithAPreview() {
    HealthSuite suite = HealthSuite.custom("critical-endpoints")
        .endpoint("auth", HealthCheck.http(URI.create("http://auth.internal/health")))
        .build();
    Step step = suite.asStep();

    assertThat(step.id()).isEqualTo("critical-endpoints");
    assertThat(step.phase()).isEqualTo(Phase.VALIDATE);
    assertThat(step.idempotent()).isTrue();
    assertThat(runner.preview(RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9").step(step).build())
        .toString()).contains("would check auth (GET http://auth.internal/health) 3x in a row, every PT5S, within PT5M");
  }

  @Test
  void aBadSuiteReportsEveryProblemAtOnce() {
    HealthCheck check = HealthCheck.http(URI.create("http://api/health"));
    assertThatThrownBy(() -> HealthSuite.custom(" ")
        .endpoint("auth", check)
        .endpoint("auth", check)
        .endpoint("", check)
        .endpoint("data", (HealthCheck) null)
        .endpoint("api", check, 0)
        .consecutivePasses(5)
        .interval(Duration.ofSeconds(30))
        .deadline(Duration.ofMinutes(1))
        .build())
        .isInstanceOfSatisfying(RollbackException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
          assertThat(e.problems()).containsExactly(
              "suite name must not be blank, but was ' ': name it after what it proves, e.g. 'critical-endpoints'",
              "endpoint 'auth' is declared twice: give each endpoint its own name",
              "endpoint name must not be blank, but was '': e.g. 'auth'",
              "check of endpoint 'data' must not be null: pass HealthCheck.http(uri)",
              "requiredPasses of endpoint 'api' must be at least 1, but was 0",
              "deadline PT1M is too short for 5 consecutive passes every PT30S: it needs at least PT2M; raise the deadline or shorten the interval");
        });
    assertThatThrownBy(() -> HealthSuite.custom("empty").build())
        .hasMessageContaining("suite 'empty' has no endpoints: add at least one with endpoint(name, check)");
  }

  /** A bare context for calling {@link HealthSuite#run} outside a run. */
  private static final class RecordingContext implements dev.rollback.core.StepContext {
    private final TestClock clock;
    final List<String> recorded = new ArrayList<>();

    RecordingContext(TestClock clock) {
      this.clock = clock;
    }

    @Override public String runId() { return "run-1"; }
    @Override public String service() { return "checkout"; }
    @Override public String fromVersion() { return "v1.3.0"; }
    @Override public String toVersion() { return "v1.2.9"; }
    @Override public String stepId() { return "suite"; }
    @Override public int attempt() { return 1; }
    @Override public boolean dryRun() { return false; }
    @Override public <T> java.util.Optional<T> get(dev.rollback.core.Key<T> key) { return java.util.Optional.empty(); }
    @Override public <T> T require(dev.rollback.core.Key<T> key) { throw new IllegalStateException("no " + key); }
    @Override public <T> void put(dev.rollback.core.Key<T> key, T value) {}
    @Override public Secret secret(String name) { throw new IllegalStateException("no secret " + name); }
    @Override public java.time.Clock clock() { return clock; }
    @Override public void sleep(Duration duration) throws InterruptedException { clock.sleeper().sleep(duration); }
    @Override public boolean await(String what, java.util.function.BooleanSupplier condition, Duration timeout, Duration pollInterval) {
      throw new UnsupportedOperationException();
    }
    @Override public boolean cancelled() { return false; }
    @Override public void throwIfCancelled() {}
    @Override public void progress(String message, double fraction) {}
    @Override public void record(String message, Map<String, String> facts) { recorded.add(message); }
    @Override public dev.rollback.core.RunLog log() { throw new UnsupportedOperationException(); }
    @Override public io.micrometer.core.instrument.MeterRegistry meterRegistry() { return new io.micrometer.core.instrument.simple.SimpleMeterRegistry(); }
    @Override public io.micrometer.observation.ObservationRegistry observationRegistry() { return io.micrometer.observation.ObservationRegistry.NOOP; }
  }
}
