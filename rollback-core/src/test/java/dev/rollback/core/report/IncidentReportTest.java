package dev.rollback.core.report;

import static dev.rollback.core.report.ReportFixture.at;
import static dev.rollback.core.report.ReportFixture.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.journal.JournalEntryType;
import dev.rollback.core.journal.RunJournal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IncidentReportTest {
  private final IncidentReport report = IncidentReport.fromJournal(ReportFixture.journal(), ReportFixture.RUN_ID, ReportFixture.notes());

  @Test
  void readsTheRunFromTheJournalAlone() {
    assertThat(report.incidentId()).isEqualTo("INC-20261128-0931-checkout-api");
    assertThat(report.service()).isEqualTo("checkout-api");
    assertThat(report.fromVersion()).isEqualTo("v1.3.0");
    assertThat(report.toVersion()).isEqualTo("v1.2.9");
    assertThat(report.startedAt()).isEqualTo(at("09:31:00"));
    assertThat(report.endedAt()).isEqualTo(at("09:55:35"));
    assertThat(report.duration()).isEqualTo(Duration.ofMinutes(24).plusSeconds(35));
    assertThat(report.outcome()).isEqualTo("FAILED");
    assertThat(report.finished()).isTrue();
    assertThat(report.severity()).contains("SEV2");
    assertThat(report.decision().verdict()).isEqualTo("ROLLBACK");
    assertThat(report.decision().evidence()).containsOnlyKeys("errorRate", "baselineErrorRate", "threshold", "sinceDeploy");
    assertThat(report.impact().usersAffectedPercent()).isEqualTo(35.0);
    assertThat(report.impact().dataLoss()).isFalse();
  }

  @Test
  void takesTheRollbackMomentFromTheCompletionOfThePlatformRollback() {
    assertThat(report.rollbackAt()).isEqualTo(at("09:39:10"));
    assertThat(report.timeToRollback()).contains(Duration.ofMinutes(8).plusSeconds(10));
    assertThat(report.impactDuration()).isEqualTo(Duration.ofMinutes(8).plusSeconds(10));
  }

  @Test
  void reportsAResumedRunFully() {
    assertThat(report.timeline()).extracting(ReportEvent::type).contains("RUN_RESUMED");
    ReportStepSummary k8s = report.steps().stream().filter(s -> s.stepId().equals("k8s-rollback")).findFirst().orElseThrow();
    assertThat(k8s.attempts()).isEqualTo(2);
    assertThat(k8s.startedAt()).isEqualTo(at("09:32:51"));
    assertThat(k8s.endedAt()).isEqualTo(at("09:39:10"));
    assertThat(k8s.outcome()).isEqualTo("SUCCEEDED");
  }

  @Test
  void buildsOnePhaseBandPerPhaseFromTheStepsThatRan() {
    assertThat(report.phases()).extracting(ReportPhaseBand::phase).containsExactly("ASSESS", "MOBILIZE", "PRECHECK", "TRAFFIC_DRAIN",
        "PLATFORM_ROLLBACK", "EDGE", "VALIDATE", "TRAFFIC_RESTORE");
    ReportPhaseBand drain = report.phases().get(3);
    assertThat(drain.start()).isEqualTo(at("09:32:11"));
    assertThat(drain.end()).isEqualTo(at("09:32:50"));
    assertThat(report.steps()).filteredOn(s -> s.outcome().equals("NOT_RUN")).extracting(ReportStepSummary::stepId)
        .containsExactly("watch", "announce", "incident-report", "cleanup");
  }

  @Test
  void givesEveryKeyActionATimestampedTimelineLine() {
    List<String> types = report.timeline().stream().map(ReportEvent::type).distinct().toList();
    assertThat(types).contains("RUN_STARTED", "TIMELINE", "STEP_STARTED", "STEP_COMPLETED", "RUN_RESUMED", "STEP_FAILED",
        "OPERATOR_DECISION", "RUN_ABORTING", "STEP_COMPENSATED", "RUN_FINISHED");
    assertThat(report.timeline()).extracting(ReportEvent::message)
        .contains("bob decided ABORT for step restore-traffic (approval): errors climb at 50 %; keep the maintenance page until the pool fix is out",
            "step drain-blue compensation FAILED: HAProxy runtime API at 10.0.0.5:9999 refused the connection", "traffic at 10 %");
  }

  @Test
  void keepsGateSamplesAndHealthTables() {
    assertThat(report.gates()).extracting(ReportGate::name).containsExactly("error-rate", "latency-p99", "restore-50pct");
    assertThat(report.gates().get(2).samples()).extracting(ReportSample::value).containsExactly(0.008, null, 0.052, 0.071);
    assertThat(report.healthSuites()).singleElement().satisfies(s -> {
      assertThat(s.name()).isEqualTo("critical-endpoints");
      assertThat(s.rows()).extracting(ReportHealthRow::endpoint).containsExactly("auth", "core-api", "data-retrieval");
      assertThat(s.rows().get(2).passes()).isEqualTo("4");
    });
  }

  @Test
  void addsAutomaticActionItemsAfterTheOperatorsOwn() {
    assertThat(report.actionItems()).first().isEqualTo(new ActionItem("Add a pool-size check to the release pipeline", ActionItem.Source.OPERATOR));
    assertThat(report.actionItems()).extracting(ActionItem::text).anySatisfy(t -> assertThat(t).startsWith("Undo the effect of step 'drain-blue' by hand"))
        .anySatisfy(t -> assertThat(t).startsWith("Tell people by hand what notifier 'pagerduty' failed"))
        .anySatisfy(t -> assertThat(t).startsWith("Look into gate 'restore-50pct' (error-rate): it ended FAIL"))
        .anySatisfy(t -> assertThat(t).startsWith("Look into the warning of step 'purge-cdn'"))
        .anySatisfy(t -> assertThat(t).startsWith("Check the state of checkout-api: the run ended FAILED"))
        .anySatisfy(t -> assertThat(t).startsWith("Write the root cause and lessons learned of INC-20261128-0931-checkout-api"));
  }

  @Test
  void showsPlaceholdersForWhatTheOperatorHasNotWritten() {
    IncidentReport bare = IncidentReport.fromJournal(ReportFixture.journal(), ReportFixture.RUN_ID, ReportNotes.none());

    assertThat(bare.toMarkdown()).contains("## Root cause\n\n_Root cause: to be written by the incident owner_\n",
        "## Lessons learned\n\n_Lessons learned: to be written by the incident owner_\n");
    assertThat(bare.toHtml()).contains("<p class=\"placeholder\">Root cause: to be written by the incident owner</p>");
    assertThat(report.toMarkdown()).contains("## Root cause\n\nv1.3.0 shipped a database connection pool of size 1 (a test setting), so checkout requests\n");
  }

  @Test
  void escapesMarkupInJournalTextForMarkdownAndHtml() {
    String md = report.toMarkdown();
    String html = report.toHtml();

    assertThat(md).doesNotContain("<script>").contains("/checkout/&lt;script&gt;alert(1)&lt;/script&gt; \\| x was rejected");
    assertThat(html).doesNotContain("<script>").contains("/checkout/&lt;script&gt;alert(1)&lt;/script&gt; | x was rejected");
  }

  @Test
  void writesJsonInTheDocumentedSchema() throws Exception {
    JsonNode json = new ObjectMapper().readTree(report.toJson());
    List<String> fields = new ArrayList<>();
    json.fieldNames().forEachRemaining(fields::add);

    assertThat(fields).containsExactly("schemaVersion", "runId", "incidentId", "incidentRecorded", "service", "fromVersion", "toVersion",
        "owner", "targetReason", "severity", "outcome", "finished", "failure", "startedAt", "endedAt", "durationMillis", "rollbackAt",
        "timeToRollbackMillis", "incident", "decision", "impact", "phases", "steps", "timeline", "gates", "healthSuites", "rootCause",
        "lessonsLearned", "actionItems", "problems");
    assertThat(json.get("schemaVersion").asInt()).isEqualTo(IncidentReport.SCHEMA_VERSION).isEqualTo(1);
    assertThat(json.get("rollbackAt").asText()).isEqualTo("2026-11-28T09:39:10Z");
    assertThat(json.get("durationMillis").asLong()).isEqualTo(1_475_000L);
    assertThat(json.at("/gates/2/samples/1/value").isNull()).isTrue();
    assertThat(json.at("/gates/2/samples/3/value").asDouble()).isEqualTo(0.071);
    assertThat(json.at("/steps/4/compensation/outcome").asText()).isEqualTo("FAILED");
    assertThat(json.get("lessonsLearned").isNull()).isTrue();
  }

  @Test
  void saysNoMetricSamplesWereRecordedInsteadOfDrawingAnEmptyChart() {
    RunJournal journal = RunJournal.inMemory();
    ReportFixture.writer(journal, "run-quiet")
        .started("10:00:00", "[\"assess\",\"k8s-rollback\"]", "[\"ASSESS\",\"PLATFORM_ROLLBACK\"]")
        .step("10:00:01", "10:00:05", "assess", 1, "SUCCEEDED", "roll back")
        .step("10:00:06", "10:02:00", "k8s-rollback", 1, "SUCCEEDED", "done")
        .timeline("10:02:01", "k8s-rollback", "gate without samples", map("kind", "gate", "gate", "error-rate", "metric", "error-rate",
            "verdict", "NODATA"))
        .entry("10:02:02", JournalEntryType.RUN_FINISHED, null, 0, map("outcome", "SUCCEEDED"), Map.of())
        .close();

    IncidentReport quiet = IncidentReport.fromJournal(journal, "run-quiet", ReportNotes.none());

    assertThat(quiet.toHtml()).doesNotContain("<svg").contains("<p class=\"no-samples\">No metric samples recorded");
    assertThat(quiet.incidentId()).isEqualTo("no-incident-id-run-quiet");
    assertThat(quiet.toMarkdown()).contains("| Incident | _no incident id recorded_ |", "_No samples recorded._");
    assertThat(quiet.actionItems()).extracting(ActionItem::text).contains("Look into gate 'error-rate' (error-rate): it ended NODATA");
  }

  @Test
  void reportsARunInProgressUpToItsLastEntry() {
    RunJournal journal = RunJournal.inMemory();
    ReportFixture.writer(journal, "run-open")
        .started("10:00:00", "[\"k8s-rollback\",\"validate\"]", "[\"PLATFORM_ROLLBACK\",\"VALIDATE\"]")
        .step("10:00:01", "10:03:00", "k8s-rollback", 1, "SUCCEEDED", "done")
        .entry("10:03:01", JournalEntryType.STEP_STARTED, "validate", 1, Map.of(), Map.of())
        .close();

    IncidentReport open = IncidentReport.fromJournal(journal, "run-open", ReportNotes.none());

    assertThat(open.outcome()).isEqualTo("IN_PROGRESS");
    assertThat(open.finished()).isFalse();
    assertThat(open.endedAt()).isEqualTo(at("10:03:01"));
    assertThat(open.steps().get(1).outcome()).isEqualTo("RUNNING");
    assertThat(open.phases()).last().satisfies(b -> assertThat(b.end()).isEqualTo(at("10:03:01")));
    assertThat(open.toMarkdown()).contains("> **In progress:**");
  }

  @Test
  void neverFailsOnMissingOrUnreadableFactsButListsThemAsProblems() {
    RunJournal journal = RunJournal.inMemory();
    ReportFixture.writer(journal, "run-odd")
        .entry("10:00:00", JournalEntryType.STEP_STARTED, "mystery", 1, Map.of(), Map.of())
        .timeline("10:00:01", "mystery", "gate with junk", map("kind", "gate", "samples", "not json"))
        .timeline("10:00:02", "mystery", "suite with junk", map("kind", "health-suite", "table", "{\"a\":1}"))
        .timeline("10:00:03", "mystery", "impact with junk", map("kind", "impact", "usersAffectedPercent", "lots"))
        .timeline("10:00:04", "mystery", "incident without id", map("kind", "incident"))
        .timeline("10:00:05", "mystery", "something new", map("kind", "future-kind", "x", "y"))
        .timeline("10:00:06", null, "no facts at all", Map.of())
        .close();

    IncidentReport odd = IncidentReport.fromJournal(journal, "run-odd", ReportNotes.none());

    assertThat(odd.problems()).hasSize(5).anySatisfy(p -> assertThat(p).contains("does not start with RUN_STARTED"))
        .anySatisfy(p -> assertThat(p).contains("gate 'gate': samples are not readable JSON"));
    assertThat(odd.service()).isEmpty();
    assertThat(odd.timeline()).hasSize(7);
    assertThat(odd.toMarkdown()).contains("## Problems reading the journal", "| Service | _not recorded_ |");
    assertThat(odd.toJson()).contains("\"problems\": [");
    assertThat(odd.toHtml()).contains("No metric samples recorded");
  }

  @Test
  void failsWithRunNotFoundForAnUnknownRun() {
    assertThatThrownBy(() -> IncidentReport.fromJournal(RunJournal.inMemory(), "run-nope", ReportNotes.none()))
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RUN_NOT_FOUND))
        .hasMessageContaining("no journal of run 'run-nope'");
  }

  @Test
  void rejectsBlankNotes() {
    assertThatThrownBy(() -> ReportNotes.none().withRootCause(" "))
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessage("root cause must not be blank, but was ' ': leave it out to show the placeholder");
  }
}
