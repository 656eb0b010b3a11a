package dev.rollback.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollback.core.Phase;
import dev.rollback.core.RetryPolicy;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.Secret;
import dev.rollback.core.Step;
import dev.rollback.core.StepResult;
import dev.rollback.core.StepOutcome;
import dev.rollback.core.StepRecord;
import dev.rollback.core.TimelineEntry;
import dev.rollback.core.decision.Impact;
import dev.rollback.core.decision.Severity;
import dev.rollback.core.event.RollbackEvent;
import dev.rollback.core.internal.JournalCodec;
import dev.rollback.core.journal.JournalEntry;
import dev.rollback.core.journal.RunJournal;
import dev.rollback.core.support.Steps;
import dev.rollback.core.support.TestClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NotificationRunTest {
  private static final String SLACK_PATH = "/services/T1/B1/sl4ckS3CRETpath";
  private static final String HMAC_KEY = "hmac-SECRET-key-0123456789";
  private static final String ROUTING_KEY = "pdROUTINGsecretKEY0123456789";

  private final TestClock clock = TestClock.create();
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private final List<RollbackEvent> events = new CopyOnWriteArrayList<>();
  private final RunJournal journal = RunJournal.inMemory();
  private final CapturingServer server;

  NotificationRunTest() throws IOException {
    server = new CapturingServer();
    server.answer("/v2/enqueue", 202, "{\"status\":\"success\",\"message\":\"Event processed\"}");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RollbackRunner runner() {
    return RollbackRunner.builder()
        .clock(clock)
        .sleeper(d -> {
          if (!d.isZero()) {
            sleeps.add(d);
          }
          clock.advance(d);
        })
        .journal(journal)
        .listener(events::add)
        .build();
  }

  private static Impact impact() {
    return new Impact(30, List.of(), List.of(), true, false, "30% of checkouts fail with 502");
  }

  private RollbackPlan plan(NotificationDispatcher notify) {
    return plan(notify, Duration.ZERO);
  }

  private RollbackPlan plan(NotificationDispatcher notify, Duration watch) {
    return RollbackPlan.builder("checkout-api").currentVersion("v2.4.0").target("v2.3.1")
        .step(IncidentSteps.openIncident(notify).impact(impact()).eta(Duration.ofMinutes(20)).owner("alice").build())
        .step(Steps.noop("undo-deployment", Phase.PLATFORM_ROLLBACK))
        .step(IncidentSteps.progress("notify-validated", Phase.VALIDATE, "v2.3.1 passes its health checks", notify))
        .step(Step.builder("watch", Phase.MONITOR).execute(ctx -> {
          ctx.sleep(watch);
          return StepResult.succeeded();
        }).build())
        .step(IncidentSteps.statusUpdate(notify)
            .whatHappened("v2.4.0 broke checkout; it was rolled back to v2.3.1.")
            .metrics(Map.of("error rate", "0.2% (baseline 0.2%)"))
            .nextStep("post-mortem Monday")
            .build())
        .build();
  }

  @Test
  void aRollbackOpensTheIncidentReportsProgressAndAnnouncesTheResolution() throws Exception {
    NotificationDispatcher notify = NotificationDispatcher.of(
        Notifiers.slack(Secret.of(server.uri(SLACK_PATH).toString())),
        Notifiers.webhook(server.uri("/hook"), Secret.of(HMAC_KEY)),
        Notifiers.pagerDuty(Secret.of(ROUTING_KEY), server.uri("/v2/enqueue")));

    RollbackResult result = runner().run(plan(notify, Duration.ofMinutes(17)));

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(result.warnings()).isEmpty();
    assertThat(result.steps()).extracting(StepRecord::outcome).containsOnly(StepOutcome.SUCCEEDED);
    assertThat(server.requests(SLACK_PATH)).hasSize(3);
    assertThat(server.requests("/hook")).extracting(r -> r.json().get("kind").asText()).containsExactly("OPENED", "PROGRESS", "RESOLVED");

    List<CapturingServer.Request> pd = server.requests("/v2/enqueue");
    assertThat(pd).hasSize(2);
    JsonNode trigger = pd.get(0).json();
    JsonNode resolve = pd.get(1).json();
    assertThat(trigger.get("event_action").asText()).isEqualTo("trigger");
    assertThat(trigger.get("dedup_key").asText()).isEqualTo("INC-20261128-0300-checkout-api");
    assertThat(trigger.at("/payload/severity").asText()).isEqualTo("error");
    assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
    assertThat(resolve.get("dedup_key").asText()).isEqualTo("INC-20261128-0300-checkout-api");

    TimelineEntry opened = only(result, "incident");
    assertThat(opened.stepId()).isEqualTo("open-incident");
    assertThat(result.timeline()).filteredOn(e -> "notify-validated".equals(e.stepId()))
        .extracting(e -> e.facts().get("notifier")).containsExactly("slack", "webhook");
    assertThat(opened.facts()).containsEntry("incident", "INC-20261128-0300-checkout-api").containsEntry("severity", "SEV2")
        .containsEntry("from", "v2.4.0").containsEntry("to", "v2.3.1").containsEntry("owner", "alice").containsEntry("eta", "PT20M");
    assertThat(result.timeline()).filteredOn(e -> "notification".equals(e.facts().get("kind")))
        .hasSize(8)
        .allSatisfy(e -> assertThat(e.facts()).containsEntry("outcome", "delivered").containsEntry("attempts", "1"));
    assertThat(only(result, "status").facts()).containsEntry("incident", "INC-20261128-0300-checkout-api")
        .containsEntry("metric.error rate", "0.2% (baseline 0.2%)").containsEntry("dataLoss", "none")
        .containsEntry("duration", "PT17M").containsEntry("restoredAt", "2026-11-28T03:17:00Z");
    assertThat(server.requests(SLACK_PATH).get(2).text()).contains("*Duration*\\n17 min");
    assertThat(sleeps).containsExactly(Duration.ofMinutes(17));
  }

  @Test
  void aNotifierThatAlwaysFailsDoesNotFailTheRunAndIsRetriedWithBackoffOnTheRunClock() throws Exception {
    server.answer(SLACK_PATH, 500, "internal error at {path}");
    NotificationDispatcher notify = NotificationDispatcher.builder()
        .notifier(Notifiers.slack(Secret.of(server.uri(SLACK_PATH).toString())))
        .notifier(Notifiers.pagerDuty(Secret.of(ROUTING_KEY), CapturingServer.refused("/v2/enqueue")))
        .notifier(Notifiers.webhook(server.uri("/hook"), Secret.of(HMAC_KEY)))
        .retry(RetryPolicy.custom().maxAttempts(3).backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30)).build())
        .build();

    RollbackResult result = runner().run(plan(notify));

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(result.step("open-incident").orElseThrow().outcome()).isEqualTo(StepOutcome.WARNED);
    assertThat(result.step("status-update").orElseThrow().outcome()).isEqualTo(StepOutcome.WARNED);
    assertThat(result.warnings()).anySatisfy(w -> assertThat(w)
        .startsWith("step 'open-incident': incident INC-20261128-0300-checkout-api opened (SEV2, owner alice); notification failed via slack after 3 attempts")
        .contains("Slack webhook answered HTTP 500").contains("delivered via webhook"));
    // slack 3 attempts (1s, 2s) and PagerDuty 3 attempts (1s, 2s) when opened; slack again for progress
    // (PagerDuty skips progress) and for the status update, where PagerDuty fails again.
    assertThat(sleeps).containsExactly(
        secs(1), secs(2), secs(1), secs(2),
        secs(1), secs(2),
        secs(1), secs(2), secs(1), secs(2));
    assertThat(server.requests(SLACK_PATH)).hasSize(9);
    assertThat(server.requests("/hook")).hasSize(3);

    List<TimelineEntry> failures = result.timeline().stream()
        .filter(e -> "notification".equals(e.facts().get("kind")) && "failed".equals(e.facts().get("outcome"))).toList();
    assertThat(failures).extracting(e -> e.facts().get("notifier")).containsExactly("slack", "pagerduty", "slack", "slack", "pagerduty");
    TimelineEntry first = failures.get(0);
    assertThat(first.facts()).containsEntry("attempts", "3").containsEntry("message", "OPENED")
        .containsEntry("incident", "INC-20261128-0300-checkout-api");
    assertThat(first.facts().get("error")).contains("HTTP 500").contains("internal error at ****");
    assertThat(first.at()).isEqualTo(Instant.parse("2026-11-28T03:00:03Z"));
    assertThat(failures.get(1).at()).isEqualTo(Instant.parse("2026-11-28T03:00:06Z"));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-11-28T03:00:15Z"));
    assertThat(failures.get(1).facts().get("error")).contains("could not be reached");

    String everything = JournalCodec.MAPPER.writeValueAsString(result)
        + JournalCodec.MAPPER.writeValueAsString(events) + events
        + JournalCodec.MAPPER.writeValueAsString(journal.read(result.runId()).orElseThrow().entries())
        + journal.read(result.runId()).orElseThrow().entries().stream().map(JournalEntry::toString).toList();
    assertThat(everything).contains("HTTP 500")
        .doesNotContain("sl4ckS3CRETpath").doesNotContain(ROUTING_KEY).doesNotContain(HMAC_KEY);
  }

  @Test
  void aRejectedRequestIsNotRetried() throws Exception {
    server.answer("/v2/enqueue", 400, "{\"status\":\"invalid event\"}");
    NotificationDispatcher notify = NotificationDispatcher.of(Notifiers.pagerDuty(Secret.of(ROUTING_KEY), server.uri("/v2/enqueue")));

    RollbackResult result = runner().run(plan(notify));

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(sleeps).isEmpty();
    assertThat(result.timeline()).filteredOn(e -> "failed".equals(e.facts().get("outcome")))
        .extracting(e -> e.facts().get("attempts")).containsExactly("1", "1");
    assertThat(result.warnings()).anySatisfy(w -> assertThat(w).contains("nobody was notified: tell people by hand"));
  }

  @Test
  void theIncidentIsJournaledSoAResumedRunKeepsIt() throws Exception {
    RollbackResult result = runner().run(plan(NotificationDispatcher.of(Notifiers.log())));

    JournalEntry completed = journal.read(result.runId()).orElseThrow().entries().stream()
        .filter(e -> "open-incident".equals(e.stepId()) && !e.attributes().isEmpty()).findFirst().orElseThrow();
    Incident back = JournalCodec.MAPPER.readValue(completed.attributes().get(Incident.KEY.name()), Incident.class);
    assertThat(back.id()).isEqualTo("INC-20261128-0300-checkout-api");
    assertThat(back.severity()).isEqualTo(Severity.SEV2);
    assertThat(back.eta()).isEqualTo(Duration.ofMinutes(20));
    assertThat(back.impact()).isEqualTo(impact());
    assertThat(back.openedAt()).isEqualTo(Instant.parse("2026-11-28T03:00:00Z"));
    assertThat(back.owner()).isEqualTo("alice");
  }

  @Test
  void aStatusUpdateWithoutAnOpenedIncidentStillGoesOutAndWarns() {
    NotificationDispatcher notify = NotificationDispatcher.of(Notifiers.webhook(server.uri("/hook"), Secret.of(HMAC_KEY)));
    RollbackResult result = runner().run(RollbackPlan.builder("checkout-api").currentVersion("v2.4.0").target("v2.3.1")
        .step(IncidentSteps.statusUpdate(notify).build())
        .build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(result.warnings()).anySatisfy(w -> assertThat(w).contains("add IncidentSteps.openIncident(..) in MOBILIZE"));
    assertThat(server.requests("/hook")).hasSize(1);
  }

  private static TimelineEntry only(RollbackResult result, String kind) {
    List<TimelineEntry> found = result.timeline().stream().filter(e -> kind.equals(e.facts().get("kind"))).toList();
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private static Duration secs(long s) {
    return Duration.ofSeconds(s);
  }
}
