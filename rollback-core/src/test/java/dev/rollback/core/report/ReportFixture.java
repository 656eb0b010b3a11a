package dev.rollback.core.report;

import dev.rollback.core.journal.JournalEntry;
import dev.rollback.core.journal.JournalEntryType;
import dev.rollback.core.journal.JournalWriter;
import dev.rollback.core.journal.RunJournal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A fixed journal, written by hand with fixed instants: checkout-api rolled back from v1.3.0 to
 * v1.2.9. The run crashes during the platform rollback and is resumed; the gate of the gradual
 * traffic restore fails, an operator aborts, and the completed steps are compensated (one
 * compensation fails). It holds a decision, an impact, an incident, notifications, three gates with
 * samples (one with a gap), a health-suite table, an unknown timeline kind and a step message with
 * {@code <script>} in it.
 */
final class ReportFixture {
  static final String RUN_ID = "run-20261128-0931-checkout-api";

  private final String runId;
  private final JournalWriter writer;
  private long seq;

  private ReportFixture(RunJournal journal, String runId) {
    this.runId = runId;
    this.writer = journal.open(runId);
  }

  static Instant at(String hhmmss) {
    return Instant.parse("2026-11-28T" + hhmmss + "Z");
  }

  /** @return a journal holding the fixed run under {@link #RUN_ID} */
  static RunJournal journal() {
    RunJournal journal = RunJournal.inMemory();
    ReportFixture f = new ReportFixture(journal, RUN_ID);
    f.writeFixedRun();
    return journal;
  }

  /** @return the notes used for the golden files */
  static ReportNotes notes() {
    return ReportNotes.none()
        .withRootCause("v1.3.0 shipped a database connection pool of size 1 (a test setting), so checkout requests\nqueued and timed out under load.")
        .withActionItem("Add a pool-size check to the release pipeline");
  }

  /** Starts writing another run by hand (for the lenient and in-progress cases). */
  static ReportFixture writer(RunJournal journal, String runId) {
    return new ReportFixture(journal, runId);
  }

  ReportFixture entry(String at, JournalEntryType type, String stepId, int attempt, Map<String, String> data, Map<String, String> facts) {
    writer.append(new JournalEntry(++seq, at(at), runId, type, stepId, attempt, data, facts, Map.of()));
    return this;
  }

  ReportFixture started(String at, String stepsJson, String phasesJson) {
    return entry(at, JournalEntryType.RUN_STARTED, null, 0, map("service", "checkout-api", "from", "v1.3.0", "to", "v1.2.9",
        "owner", "alice", "steps", stepsJson, "phases", phasesJson,
        "targetReason", "v1.2.9 is the newest tag that ran in production for 6 days without incident"), Map.of());
  }

  ReportFixture step(String start, String end, String id, int attempt, String status, String message) {
    entry(start, JournalEntryType.STEP_STARTED, id, attempt, Map.of(), Map.of());
    return entry(end, JournalEntryType.STEP_COMPLETED, id, attempt, map("status", status, "message", message), Map.of());
  }

  ReportFixture timeline(String at, String stepId, String message, Map<String, String> facts) {
    return entry(at, JournalEntryType.TIMELINE, stepId, 0, map("message", message), facts);
  }

  ReportFixture compensated(String at, String id, String outcome, String message) {
    return entry(at, JournalEntryType.STEP_COMPENSATED, id, 1, map("outcome", outcome, "message", message), Map.of());
  }

  private void writeFixedRun() {
    started("09:31:00",
        "[\"assess\",\"open-incident\",\"verify-target\",\"maintenance-on\",\"drain-blue\",\"k8s-rollback\",\"purge-cdn\","
            + "\"validate-health\",\"restore-traffic\",\"watch\",\"announce\",\"incident-report\",\"cleanup\"]",
        "[\"ASSESS\",\"MOBILIZE\",\"PRECHECK\",\"TRAFFIC_DRAIN\",\"TRAFFIC_DRAIN\",\"PLATFORM_ROLLBACK\",\"EDGE\",\"VALIDATE\","
            + "\"TRAFFIC_RESTORE\",\"MONITOR\",\"COMMUNICATE\",\"REPORT\",\"CLEANUP\"]");
    timeline("09:31:00", null, "target v1.2.9: v1.2.9 is the newest tag that ran in production for 6 days without incident",
        map("kind", "target", "from", "v1.3.0", "to", "v1.2.9", "source", "http https://checkout.example.com/version"));
    entry("09:31:01", JournalEntryType.STEP_STARTED, "assess", 1, Map.of(), Map.of());
    timeline("09:31:20", "assess", "decision: ROLLBACK", map("kind", "decision", "verdict", "ROLLBACK", "rule", "error-rate-above-threshold",
        "rationale", "error rate 12.4 % is above the threshold of 5 % (baseline 0.4 %) since the deploy of v1.3.0 38 minutes ago;"
            + " the target is stable and no migration blocks a rollback",
        "errorRate", "0.124", "baselineErrorRate", "0.004", "threshold", "0.05", "sinceDeploy", "PT38M", "severity", "SEV2"));
    timeline("09:31:20", "assess", "severity SEV2: checkout fails for about a third of users",
        map("kind", "impact", "severity", "SEV2", "usersAffectedPercent", "35.0", "businessFunctions", "checkout, order history",
            "criticalFunctions", "checkout", "revenueLoss", "true", "dataLoss", "false",
            "description", "Checkout fails for about a third of users with HTTP 500 since the deploy of v1.3.0."));
    entry("09:31:21", JournalEntryType.STEP_COMPLETED, "assess", 1,
        map("status", "SUCCEEDED", "message", "decided to roll back: error rate 12.4 % is above the threshold of 5 %"), Map.of());
    entry("09:31:22", JournalEntryType.STEP_STARTED, "open-incident", 1, Map.of(), Map.of());
    timeline("09:31:30", "open-incident", "incident INC-20261128-0931-checkout-api opened",
        map("kind", "incident", "incident", "INC-20261128-0931-checkout-api", "severity", "SEV2", "from", "v1.3.0", "to", "v1.2.9",
            "owner", "alice", "eta", "2026-11-28T10:00:00Z"));
    timeline("09:31:32", "open-incident", "slack: incident opened", map("kind", "notification", "notifier", "slack", "outcome", "DELIVERED",
        "attempts", "1"));
    timeline("09:31:40", "open-incident", "pagerduty: paging failed", map("kind", "notification", "notifier", "pagerduty", "outcome", "FAILED",
        "attempts", "3", "error", "HTTP 503 from events.pagerduty.com"));
    entry("09:31:41", JournalEntryType.STEP_COMPLETED, "open-incident", 1,
        map("status", "SUCCEEDED", "message", "incident INC-20261128-0931-checkout-api opened"), Map.of());
    step("09:31:42", "09:32:10", "verify-target", 1, "SUCCEEDED", "v1.2.9 exists, is reachable and ran 6 days in production");
    step("09:32:11", "09:32:30", "maintenance-on", 1, "SUCCEEDED", "maintenance page on");
    step("09:32:31", "09:32:50", "drain-blue", 1, "SUCCEEDED", "blue drained (0 active sessions)");
    entry("09:32:51", JournalEntryType.STEP_STARTED, "k8s-rollback", 1, Map.of(), Map.of());
    // the runner's process dies here; the run is resumed from the journal
    entry("09:36:00", JournalEntryType.RUN_RESUMED, null, 0, map("owner", "alice"), Map.of());
    entry("09:36:01", JournalEntryType.STEP_STARTED, "k8s-rollback", 2, Map.of(), Map.of());
    entry("09:39:10", JournalEntryType.STEP_COMPLETED, "k8s-rollback", 2,
        map("status", "SUCCEEDED", "message", "deployment prod/checkout rolled back to revision 41 (v1.2.9); 6/6 pods ready"), Map.of());
    step("09:39:11", "09:39:40", "purge-cdn", 1, "WARNED", "purged /checkout/* but path /checkout/<script>alert(1)</script> | x was rejected");
    entry("09:39:41", JournalEntryType.STEP_STARTED, "validate-health", 1, Map.of(), Map.of());
    timeline("09:44:00", "validate-health", "health suite critical-endpoints: PASS", map("kind", "health-suite", "suite", "critical-endpoints",
        "verdict", "PASS", "table", "[{\"endpoint\":\"auth\",\"required\":3,\"passes\":3,\"status\":200,\"latencyMs\":41,\"ttfbMs\":38,"
            + "\"reason\":\"ok\"},{\"endpoint\":\"core-api\",\"required\":3,\"passes\":3,\"status\":200,\"latencyMs\":87,\"ttfbMs\":80,"
            + "\"reason\":\"ok\"},{\"endpoint\":\"data-retrieval\",\"required\":3,\"passes\":4,\"status\":200,\"latencyMs\":133,"
            + "\"ttfbMs\":120,\"reason\":\"passed after one timeout\"}]"));
    timeline("09:44:05", "validate-health", "gate error-rate: PASS", map("kind", "gate", "gate", "error-rate", "metric", "error-rate",
        "verdict", "PASS", "threshold", "0.05", "value", "0.006", "samples", samples("09:31:00", 60,
            0.118, 0.124, 0.131, 0.127, 0.122, 0.129, 0.133, 0.126, 0.097, 0.021, 0.009, 0.007, 0.006, 0.006)));
    timeline("09:44:06", "validate-health", "gate latency-p99: PASS", map("kind", "gate", "gate", "latency-p99", "metric", "latency-p99",
        "verdict", "PASS", "threshold", "800", "value", "212", "samples", samples("09:31:00", 120,
            1930.0, 2110.0, 2045.0, 1980.0, 640.0, 230.0, 212.0)));
    entry("09:44:10", JournalEntryType.STEP_COMPLETED, "validate-health", 1,
        map("status", "SUCCEEDED", "message", "3 critical endpoints healthy; error rate and p99 latency back at baseline"), Map.of());
    entry("09:44:11", JournalEntryType.STEP_STARTED, "restore-traffic", 1, Map.of(), Map.of());
    timeline("09:47:00", "restore-traffic", "traffic at 10 %", map("kind", "traffic", "percent", "10"));
    timeline("09:50:00", "restore-traffic", "gate restore-50pct: FAIL", map("kind", "gate", "gate", "restore-50pct", "metric", "error-rate",
        "verdict", "FAIL", "threshold", "0.05", "value", "0.071", "samples", samples("09:47:00", 60, 0.008, null, 0.052, 0.071)));
    entry("09:50:01", JournalEntryType.STEP_FAILED, "restore-traffic", 1,
        map("error", "gate restore-50pct failed: error rate 0.071 is above 0.05 at 50 % traffic", "next", "PAUSE"), Map.of());
    entry("09:55:00", JournalEntryType.OPERATOR_DECISION, "restore-traffic", 1, map("action", "ABORT", "by", "bob",
        "reason", "errors climb at 50 %; keep the maintenance page until the pool fix is out", "context", "approval"), Map.of());
    entry("09:55:01", JournalEntryType.RUN_ABORTING, null, 0, map("outcome", "FAILED",
        "reason", "step 'restore-traffic' failed after 1 attempt: gate restore-50pct failed; aborted by bob"), Map.of());
    compensated("09:55:02", "validate-health", "NOTHING_TO_UNDO", "nothing to undo");
    compensated("09:55:03", "purge-cdn", "NOTHING_TO_UNDO", "nothing to undo");
    compensated("09:55:04", "k8s-rollback", "NOTHING_TO_UNDO", "a platform rollback is not undone");
    compensated("09:55:30", "drain-blue", "FAILED", "HAProxy runtime API at 10.0.0.5:9999 refused the connection");
    compensated("09:55:31", "maintenance-on", "COMPENSATED", "maintenance page off");
    compensated("09:55:32", "verify-target", "NOTHING_TO_UNDO", "nothing to undo");
    compensated("09:55:33", "open-incident", "NOTHING_TO_UNDO", "nothing to undo");
    compensated("09:55:34", "assess", "NOTHING_TO_UNDO", "nothing to undo");
    entry("09:55:35", JournalEntryType.RUN_FINISHED, null, 0, map("outcome", "FAILED",
        "failure", "step 'restore-traffic' failed after 1 attempt: gate restore-50pct failed; aborted by bob"), Map.of());
    writer.close();
  }

  static String samples(String first, int everySeconds, Double... values) {
    StringBuilder sb = new StringBuilder("[");
    Instant t = at(first);
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"at\":\"").append(t.plus(Duration.ofSeconds((long) everySeconds * i))).append("\",\"value\":")
          .append(values[i] == null ? "null" : String.format(Locale.ROOT, "%s", values[i])).append('}');
    }
    return sb.append(']').toString();
  }

  static Map<String, String> map(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  void close() {
    writer.close();
  }

}
