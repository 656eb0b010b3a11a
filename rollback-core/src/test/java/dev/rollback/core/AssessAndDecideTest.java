package dev.rollback.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.decision.Assessor;
import dev.rollback.core.decision.DatabaseFacts;
import dev.rollback.core.decision.Impact;
import dev.rollback.core.health.HealthCheck;
import dev.rollback.core.journal.JournalEntryType;
import dev.rollback.core.journal.RunJournal;
import dev.rollback.core.release.ReleaseLedger;
import dev.rollback.core.release.ReleaseOutcome;
import dev.rollback.core.release.ReleaseRecord;
import dev.rollback.core.support.TestClock;
import dev.rollback.core.support.TestHttpServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The assess step end to end: a real HTTP health endpoint, a metric source, the ledger, the decision. */
class AssessAndDecideTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-11-28T03:00:00Z"));
  private final RunJournal journal = RunJournal.inMemory();
  private final RollbackRunner runner = RollbackRunner.builder().clock(clock).sleeper(clock.sleeper()).journal(journal).build();
  private final ReleaseLedger ledger = ReleaseLedger.inMemory();
  private final AtomicInteger rolledBack = new AtomicInteger();
  private TestHttpServer http;

  @BeforeEach
  void start() throws Exception {
    http = new TestHttpServer();
    ledger.record(new ReleaseRecord("checkout", "v1.2.9", Instant.parse("2026-11-20T00:00:00Z"), Instant.parse("2026-11-27T02:00:00Z"),
        ReleaseOutcome.STABLE, List.of()));
    ledger.deployed("checkout", "v1.3.0", Instant.parse("2026-11-28T02:18:00Z"));
  }

  @AfterEach
  void stop() {
    http.close();
  }

  private RollbackPlan plan(Assessor assessor) {
    return RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9").ledger(ledger)
        .assess(assessor)
        .step(Step.builder("rollback", Phase.PLATFORM_ROLLBACK).execute(ctx -> {
          rolledBack.incrementAndGet();
          return StepResult.succeeded();
        }).build())
        .build();
  }

  @Test
  void anUnhealthyServiceWithAStableTargetIsRolledBackAndTheDecisionIsRecorded() {
    http.answer("/health", 503, "db pool exhausted");
    Assessor assessor = Assessor.custom()
        .health(HealthCheck.http(http.uri("/health")))
        .errorRate(q -> OptionalDouble.of(0.083), "rate(errors[5m])")
        .baselineErrorRate(0.002)
        .affectedSystems("checkout")
        .impact(new Impact(35, List.of("checkout"), List.of(), true, false, "35% of checkouts fail"))
        .build();

    RollbackResult result = runner.run(plan(assessor));

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(rolledBack).hasValue(1);
    assertThat(result.steps()).extracting(StepRecord::stepId).containsExactly("assess", "verify-target", "rollback");
    assertThat(result.timeline()).anySatisfy(t -> {
      assertThat(t.message()).isEqualTo("decision: ROLLBACK");
      assertThat(t.facts().get("rationale"))
          .contains("health check fails (GET " + http.uri("/health") + " answered 503: db pool exhausted)")
          .contains("error rate of 8.30% is above the threshold of 5.00% (baseline 0.20%)")
          .contains("it has run for 42 minutes")
          .contains("v1.2.9 was stable in production");
      assertThat(t.facts()).containsEntry("rule", "failing-with-stable-target").containsEntry("errorRate", "8.30%");
    });
    assertThat(result.timeline()).anySatisfy(t -> assertThat(t.message()).isEqualTo("severity SEV2: 35% of checkouts fail"));
    assertThat(journal.read(result.runId()).orElseThrow().entries())
        .anySatisfy(e -> {
          assertThat(e.type()).isEqualTo(JournalEntryType.TIMELINE);
          assertThat(e.data().get("message")).isEqualTo("decision: ROLLBACK");
        });
  }

  @Test
  void aHealthyServiceAtBaselineEndsAsNoActionWithoutTouchingAnything() {
    http.answer("/health", 200, "ok");
    RollbackResult result = runner.run(plan(Assessor.custom()
        .health(HealthCheck.http(http.uri("/health")))
        .errorRate(q -> OptionalDouble.of(0.001), "rate(errors[5m])")
        .build()));

    assertThat(result.outcome()).isEqualTo(RunOutcome.NO_ACTION);
    assertThat(rolledBack).hasValue(0);
    assertThat(result.failure()).contains("decided NO_ACTION").contains("looks healthy");
    assertThat(result.step("rollback")).hasValueSatisfying(s -> assertThat(s.outcome()).isEqualTo(StepOutcome.NOT_RUN));
    assertThat(result.compensations()).isEmpty();
  }

  @Test
  void onlyA2xxCountsAsHealthyLikeCurlSf() {
    http.answer("/health", 302, "");
    RollbackResult result = runner.run(plan(Assessor.custom().health(HealthCheck.http(http.uri("/health"))).build()));

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(result.step("assess").orElseThrow().facts().get("health")).startsWith("unhealthy (302");
  }

  @Test
  void irreversibleMigrationsEndTheRunAsForwardFix() {
    http.answer("/health", 500, "boom");
    RollbackResult result = runner.run(plan(Assessor.custom()
        .health(HealthCheck.http(http.uri("/health")))
        .migrations((from, to) -> new DatabaseFacts(2, 1, 0, List.of("V17__split_name: no undo script")))
        .build()));

    assertThat(result.outcome()).isEqualTo(RunOutcome.FORWARD_FIX);
    assertThat(rolledBack).hasValue(0);
    assertThat(result.failure()).contains("V17__split_name: no undo script").contains("fix forward");
  }

  @Test
  void anUnreachableHealthEndpointCountsAsUnhealthyWithTheReason() {
    http.close(); // nothing listens on that port any more
    RollbackResult result = runner.run(plan(Assessor.custom().health(HealthCheck.http(http.uri("/health"), Duration.ofSeconds(2))).build()));

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(result.step("assess").orElseThrow().facts().get("health")).startsWith("unhealthy (").contains("ConnectException");
  }

  @Test
  void metricsWithoutDataAreRecordedAsSuchNotAsZero() {
    http.answer("/health", 200, "ok");
    RollbackResult result = runner.run(plan(Assessor.custom()
        .health(HealthCheck.http(http.uri("/health")))
        .errorRate(q -> OptionalDouble.empty(), "rate(errors[5m])")
        .build()));

    assertThat(result.timeline()).anySatisfy(t -> assertThat(t.message()).isEqualTo("error rate: no data for rate(errors[5m])"));
    assertThat(result.step("assess").orElseThrow().facts()).doesNotContainKey("errorRate");
  }
}
