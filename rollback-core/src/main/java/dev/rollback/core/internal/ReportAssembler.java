package dev.rollback.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollback.core.Phase;
import dev.rollback.core.journal.JournalEntry;
import dev.rollback.core.journal.JournalReplay;
import dev.rollback.core.report.ActionItem;
import dev.rollback.core.report.IncidentReport;
import dev.rollback.core.report.ReportDecision;
import dev.rollback.core.report.ReportEvent;
import dev.rollback.core.report.ReportGate;
import dev.rollback.core.report.ReportHealthRow;
import dev.rollback.core.report.ReportHealthSuite;
import dev.rollback.core.report.ReportImpact;
import dev.rollback.core.report.ReportIncident;
import dev.rollback.core.report.ReportNotes;
import dev.rollback.core.report.ReportPhaseBand;
import dev.rollback.core.report.ReportSample;
import dev.rollback.core.report.ReportStepSummary;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a run's journal into an {@link IncidentReport}. Lenient: unknown timeline kinds are plain
 * timeline lines, missing facts leave fields empty, unreadable facts become report problems.
 */
public final class ReportAssembler {
  private static final String UNKNOWN_PHASE = "UNKNOWN";
  private static final Set<String> DECISION_KEYS = Set.of("kind", "verdict", "rule", "rationale", "severity");

  private final JournalReplay replay;
  private final ReportNotes notes;
  private final List<String> problems = new ArrayList<>();
  private final Map<String, StepState> steps = new LinkedHashMap<>();
  private final List<ReportEvent> timeline = new ArrayList<>();
  private final List<ReportGate> gates = new ArrayList<>();
  private final List<ReportHealthSuite> suites = new ArrayList<>();
  private final Set<String> automatic = new LinkedHashSet<>();

  private String service = "";
  private String from = "";
  private String to = "";
  private String owner = "";
  private String targetReason = "";
  private @Nullable Instant startedAt;
  private @Nullable Instant finishedAt;
  private String outcome = "IN_PROGRESS";
  private @Nullable String failure;
  private @Nullable Instant rollbackAt;
  private @Nullable ReportIncident incident;
  private @Nullable ReportDecision decision;
  private @Nullable ReportImpact impact;

  private static final class StepState {
    final String id;
    String phase;
    String outcome = "NOT_RUN";
    int attempts;
    @Nullable Instant startedAt;
    @Nullable Instant endedAt;
    String message = "";
    @Nullable String compensation;
    String compensationMessage = "";

    StepState(String id, String phase) {
      this.id = id;
      this.phase = phase;
    }
  }

  private ReportAssembler(JournalReplay replay, ReportNotes notes) {
    this.replay = replay;
    this.notes = notes;
  }

  /**
   * @param replay a run's journal, not empty
   * @param notes the operator's notes
   * @return the report
   */
  public static IncidentReport assemble(JournalReplay replay, ReportNotes notes) {
    return new ReportAssembler(replay, notes).build();
  }

  private IncidentReport build() {
    for (String p : replay.problems()) {
      problems.add("journal: " + p);
    }
    List<JournalEntry> entries = replay.entries();
    if (entries.get(0).type() != dev.rollback.core.journal.JournalEntryType.RUN_STARTED) {
      problems.add("the journal does not start with RUN_STARTED: service, versions and the plan's steps are unknown");
    }
    for (JournalEntry e : entries) {
      read(e);
    }
    Instant start = startedAt != null ? startedAt : entries.get(0).at();
    Instant end = finishedAt != null ? finishedAt : entries.get(entries.size() - 1).at();
    List<ReportStepSummary> summaries = new ArrayList<>();
    for (StepState s : steps.values()) {
      summaries.add(new ReportStepSummary(s.id, s.phase, s.outcome, s.attempts, s.startedAt, s.endedAt, s.message,
          s.compensation, s.compensationMessage));
    }
    List<ActionItem> items = new ArrayList<>();
    for (String item : notes.actionItems()) {
      items.add(new ActionItem(item, ActionItem.Source.OPERATOR));
    }
    String incidentId = incident != null ? incident.id() : "no-incident-id-" + replay.runId();
    if (notes.rootCause() == null || notes.lessonsLearned() == null) {
      automatic.add("Write the root cause and lessons learned of " + incidentId + (owner.isEmpty() ? "" : " (rollback run by " + owner + ")"));
    }
    if (finishedAt != null && !outcome.equals("SUCCEEDED") && !outcome.equals("NO_ACTION") && !outcome.equals("FORWARD_FIX")) {
      automatic.add("Check the state of " + (service.isEmpty() ? "the service" : service) + ": the run ended " + outcome
          + (failure == null ? "" : " (" + failure + ")"));
    }
    if (!problems.isEmpty()) {
      automatic.add("Look at the report's problems: parts of the journal could not be read");
    }
    for (String a : automatic) {
      items.add(new ActionItem(a, ActionItem.Source.AUTOMATIC));
    }
    return new IncidentReport(replay.runId(), service, from, to, owner, targetReason, incident, start, end, finishedAt != null,
        outcome, failure, rollbackAt, decision, impact, summaries, bands(end), timeline, gates, suites, notes.rootCause(),
        notes.lessonsLearned(), items, problems);
  }

  private void read(JournalEntry e) {
    String stepId = e.stepId();
    switch (e.type()) {
      case RUN_STARTED -> {
        service = text(e.get("service"));
        from = text(e.get("from"));
        to = text(e.get("to"));
        owner = text(e.get("owner"));
        targetReason = text(e.get("targetReason"));
        startedAt = e.at();
        List<String> ids = stringList(e.get("steps"), "steps");
        List<String> phases = stringList(e.get("phases"), "phases");
        if (phases.size() != ids.size() && !phases.isEmpty()) {
          problems.add("RUN_STARTED lists " + ids.size() + " steps but " + phases.size() + " phases; phases are unknown");
          phases = List.of();
        }
        for (int i = 0; i < ids.size(); i++) {
          steps.put(ids.get(i), new StepState(ids.get(i), phases.isEmpty() ? UNKNOWN_PHASE : phases.get(i)));
        }
        event(e, "run started: " + (service.isEmpty() ? "a service" : service) + " from " + or(from, "?") + " to " + or(to, "?")
            + (owner.isEmpty() ? "" : ", by " + owner)
            + (targetReason.isEmpty() ? "" : "; target: " + targetReason));
      }
      case RUN_RESUMED -> {
        String who = text(e.get("owner"));
        String p = e.get("problems");
        event(e, "run resumed" + (who.isEmpty() ? "" : " by " + who) + (p == null ? "" : "; journal problems: " + p));
        if (p != null) {
          automatic.add("Check what the journal lacked when the run was resumed: " + p);
        }
      }
      case STEP_STARTED -> {
        StepState s = step(stepId);
        s.attempts = Math.max(s.attempts, e.attempt());
        if (s.startedAt == null) {
          s.startedAt = e.at();
        }
        s.outcome = "RUNNING";
        event(e, "step " + stepId + " started (attempt " + e.attempt() + ")");
      }
      case STEP_COMPLETED -> {
        StepState s = step(stepId);
        String status = or(text(e.get("status")), "SUCCEEDED");
        s.outcome = status;
        s.endedAt = e.at();
        s.message = text(e.get("message"));
        String conclusion = e.get("conclusion");
        event(e, "step " + stepId + " " + status + (s.message.isEmpty() ? "" : ": " + s.message)
            + (conclusion == null ? "" : " (concludes the run: " + conclusion + ")"));
        if (rollbackAt == null && Phase.PLATFORM_ROLLBACK.name().equals(s.phase)) {
          rollbackAt = e.at();
        }
        if (status.equals("WARNED")) {
          automatic.add("Look into the warning of step '" + stepId + "': " + s.message);
        } else if (status.equals("DEGRADED")) {
          automatic.add("Look into the degradation step '" + stepId + "' saw: " + s.message);
        }
      }
      case STEP_FAILED -> {
        StepState s = step(stepId);
        String error = text(e.get("error"));
        String next = text(e.get("next"));
        event(e, "step " + stepId + " failed (attempt " + e.attempt() + "): " + error + (next.isEmpty() ? "" : "; next: " + next));
        if (!next.equals("RETRY")) {
          s.outcome = "FAILED";
          s.endedAt = e.at();
          s.message = error;
        }
        if (next.equals("CONTINUE")) {
          automatic.add("Fix what step '" + stepId + "' failed to do (the run went on without it): " + error);
        }
      }
      case OPERATOR_DECISION -> {
        StepState s = step(stepId);
        String action = text(e.get("action"));
        String by = or(text(e.get("by")), "an operator");
        String reason = text(e.get("reason"));
        String context = text(e.get("context"));
        event(e, by + " decided " + or(action, "?") + " for step " + stepId + (context.isEmpty() ? "" : " (" + context + ")")
            + (reason.isEmpty() ? "" : ": " + reason));
        if (action.equals("SKIP")) {
          s.outcome = "SKIPPED";
          s.endedAt = e.at();
          s.message = "skipped by " + by + (reason.isEmpty() ? "" : ": " + reason);
          automatic.add("Confirm that the effect of step '" + stepId + "', skipped by " + by + ", is complete");
        }
      }
      case RUN_ABORTING -> event(e, "run aborting (" + or(text(e.get("outcome")), "FAILED") + "): " + text(e.get("reason"))
          + "; compensating completed steps");
      case STEP_COMPENSATED -> {
        StepState s = step(stepId);
        s.compensation = or(text(e.get("outcome")), "COMPENSATED");
        s.compensationMessage = text(e.get("message"));
        event(e, "step " + stepId + " compensation " + s.compensation
            + (s.compensationMessage.isEmpty() ? "" : ": " + s.compensationMessage));
        if (s.compensation.equals("FAILED")) {
          automatic.add("Undo the effect of step '" + stepId + "' by hand: its compensation failed"
              + (s.compensationMessage.isEmpty() ? "" : " (" + s.compensationMessage + ")"));
        }
      }
      case TIMELINE -> timelineEntry(e);
      case RUN_AWAITING_OPERATOR -> {
        outcome = "AWAITING_OPERATOR";
        event(e, "run waits for an operator: " + text(e.get("message")));
      }
      case RUN_FINISHED -> {
        outcome = or(text(e.get("outcome")), "UNKNOWN");
        failure = e.get("failure");
        finishedAt = e.at();
        event(e, "run finished: " + outcome + (failure == null ? "" : ": " + failure));
      }
    }
  }

  private void timelineEntry(JournalEntry e) {
    Map<String, String> f = e.facts();
    String kind = f.get("kind");
    String message = text(e.get("message"));
    timeline.add(new ReportEvent(e.at(), e.type().name(), e.stepId(), kind, message));
    if (kind == null) {
      return;
    }
    switch (kind) {
      case "decision" -> {
        Map<String, String> evidence = new LinkedHashMap<>();
        for (Map.Entry<String, String> x : f.entrySet()) {
          if (!DECISION_KEYS.contains(x.getKey())) {
            evidence.put(x.getKey(), x.getValue());
          }
        }
        decision = new ReportDecision(text(f.get("verdict")), text(f.get("rule")), text(f.get("rationale")), evidence, e.at());
      }
      case "impact" -> impact = new ReportImpact(f.get("severity"), percent(f.get("usersAffectedPercent")),
          list(f.get("businessFunctions")), list(f.get("criticalFunctions")), bool(f.get("revenueLoss")), bool(f.get("dataLoss")),
          text(f.get("description")));
      case "incident" -> {
        String id = f.get("incident");
        if (id == null || id.isBlank()) {
          problems.add("an incident entry at " + e.at() + " has no incident id");
        } else {
          incident = new ReportIncident(id, f.get("severity"), f.get("owner"), f.get("eta"), e.at());
        }
      }
      case "gate" -> {
        String name = or(text(f.get("gate")), "gate");
        String verdict = text(f.get("verdict"));
        ReportGate gate = new ReportGate(name, text(f.get("metric")), verdict, f.get("threshold"), f.get("value"), e.stepId(), e.at(),
            samples(name, f.get("samples")));
        // A watch window records a breach as it happens and the whole window at its end (unless it
        // escalated at the breach): the later entry of the same gate in the same step replaces the
        // earlier one, so each gate is charted once with all its samples.
        gates.removeIf(g -> g.name().equals(name) && java.util.Objects.equals(g.stepId(), e.stepId()));
        gates.add(gate);
        if (!verdict.isEmpty() && !verdict.equals("PASS")) {
          automatic.add("Look into gate '" + name + "'" + (f.get("metric") == null ? "" : " (" + f.get("metric") + ")") + ": it ended "
              + verdict + (f.get("value") == null ? "" : " at " + f.get("value"))
              + (f.get("threshold") == null ? "" : " against " + f.get("threshold")));
        }
      }
      case "health-suite" -> {
        String name = or(text(f.get("suite")), "health suite");
        String verdict = text(f.get("verdict"));
        suites.add(new ReportHealthSuite(name, verdict, e.stepId(), e.at(), rows(name, f.get("table"))));
        if (!verdict.isEmpty() && !verdict.equals("PASS")) {
          automatic.add("Look into health suite '" + name + "': it ended " + verdict);
        }
      }
      case "notification" -> {
        String out = text(f.get("outcome"));
        if (out.equals("FAILED")) {
          automatic.add("Tell people by hand what notifier '" + or(text(f.get("notifier")), "?") + "' failed to deliver"
              + (f.get("error") == null ? "" : " (" + f.get("error") + ")"));
        }
      }
      default -> {
        // other kinds are plain timeline lines
      }
    }
  }

  private List<ReportPhaseBand> bands(Instant end) {
    Map<String, Instant[]> byPhase = new LinkedHashMap<>();
    for (StepState s : steps.values()) {
      if (s.startedAt == null) {
        continue;
      }
      Instant stop = s.endedAt != null && !s.endedAt.isBefore(s.startedAt) ? s.endedAt : end;
      Instant[] span = byPhase.get(s.phase);
      if (span == null) {
        byPhase.put(s.phase, new Instant[] {s.startedAt, stop});
      } else {
        span[0] = span[0].isBefore(s.startedAt) ? span[0] : s.startedAt;
        span[1] = span[1].isAfter(stop) ? span[1] : stop;
      }
    }
    List<ReportPhaseBand> bands = new ArrayList<>();
    for (Map.Entry<String, Instant[]> b : byPhase.entrySet()) {
      bands.add(new ReportPhaseBand(b.getKey(), b.getValue()[0], b.getValue()[1]));
    }
    bands.sort(Comparator.comparing(ReportPhaseBand::start).thenComparing(b -> phaseOrder(b.phase())));
    return bands;
  }

  private static int phaseOrder(String phase) {
    return Arrays.stream(Phase.values()).filter(p -> p.name().equals(phase)).findFirst().map(Enum::ordinal).orElse(Integer.MAX_VALUE);
  }

  private StepState step(@Nullable String stepId) {
    String id = stepId == null ? "(no step)" : stepId;
    StepState s = steps.get(id);
    if (s == null) {
      s = new StepState(id, UNKNOWN_PHASE);
      steps.put(id, s);
      if (startedAt != null) {
        problems.add("the journal names step '" + id + "', which RUN_STARTED does not list");
      }
    }
    return s;
  }

  private void event(JournalEntry e, String message) {
    timeline.add(new ReportEvent(e.at(), e.type().name(), e.stepId(), null, message));
  }

  private List<String> stringList(@Nullable String json, String what) {
    if (json == null || json.isBlank()) {
      return List.of();
    }
    try {
      JsonNode node = JournalCodec.MAPPER.readTree(json);
      List<String> out = new ArrayList<>();
      if (node != null && node.isArray()) {
        for (JsonNode n : node) {
          out.add(n.asText());
        }
        return out;
      }
      problems.add("RUN_STARTED " + what + " is not a JSON array: " + abbreviate(json));
    } catch (java.io.IOException e) {
      problems.add("RUN_STARTED " + what + " is not readable JSON: " + abbreviate(json));
    }
    return List.of();
  }

  private List<ReportSample> samples(String gate, @Nullable String json) {
    if (json == null || json.isBlank()) {
      return List.of();
    }
    List<ReportSample> out = new ArrayList<>();
    try {
      JsonNode node = JournalCodec.MAPPER.readTree(json);
      if (node == null || !node.isArray()) {
        problems.add("gate '" + gate + "': samples are not a JSON array: " + abbreviate(json));
        return List.of();
      }
      for (JsonNode n : node) {
        JsonNode at = n.get("at");
        if (at == null || !at.isTextual()) {
          problems.add("gate '" + gate + "': a sample without a time was left out: " + abbreviate(n.toString()));
          continue;
        }
        Instant when;
        try {
          when = Instant.parse(at.asText());
        } catch (DateTimeParseException ex) {
          problems.add("gate '" + gate + "': a sample with an unreadable time was left out: " + abbreviate(at.asText()));
          continue;
        }
        JsonNode v = n.get("value");
        Double value = null;
        if (v != null && v.isNumber()) {
          value = v.asDouble();
        } else if (v != null && v.isTextual()) {
          value = parseDouble(v.asText());
        }
        if (value != null && (value.isNaN() || value.isInfinite())) {
          value = null;
        }
        out.add(new ReportSample(when, value));
      }
    } catch (java.io.IOException e) {
      problems.add("gate '" + gate + "': samples are not readable JSON: " + abbreviate(json));
      return List.of();
    }
    out.sort(Comparator.comparing(ReportSample::at));
    return out;
  }

  private List<ReportHealthRow> rows(String suite, @Nullable String json) {
    if (json == null || json.isBlank()) {
      return List.of();
    }
    List<ReportHealthRow> out = new ArrayList<>();
    try {
      JsonNode node = JournalCodec.MAPPER.readTree(json);
      if (node == null || !node.isArray()) {
        problems.add("health suite '" + suite + "': table is not a JSON array: " + abbreviate(json));
        return List.of();
      }
      for (JsonNode n : node) {
        out.add(new ReportHealthRow(cell(n, "endpoint"), cell(n, "required"), cell(n, "passes"), cell(n, "status"),
            cell(n, "latencyMs"), cell(n, "ttfbMs"), cell(n, "reason")));
      }
    } catch (java.io.IOException e) {
      problems.add("health suite '" + suite + "': table is not readable JSON: " + abbreviate(json));
      return List.of();
    }
    return out;
  }

  private static String cell(JsonNode row, String field) {
    JsonNode v = row.get(field);
    return v == null || v.isNull() ? "" : v.asText();
  }

  private @Nullable Double percent(@Nullable String s) {
    Double d = parseDouble(s);
    if (s != null && d == null) {
      problems.add("impact: usersAffectedPercent is not a number: " + abbreviate(s));
    }
    return d;
  }

  private static @Nullable Double parseDouble(@Nullable String s) {
    if (s == null) {
      return null;
    }
    try {
      double d = Double.parseDouble(s.strip());
      return Double.isNaN(d) || Double.isInfinite(d) ? null : d;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static @Nullable Boolean bool(@Nullable String s) {
    if (s == null) {
      return null;
    }
    String t = s.strip().toLowerCase(java.util.Locale.ROOT);
    if (t.equals("true") || t.equals("yes")) {
      return Boolean.TRUE;
    }
    if (t.equals("false") || t.equals("no")) {
      return Boolean.FALSE;
    }
    return null;
  }

  private static List<String> list(@Nullable String s) {
    if (s == null || s.isBlank()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String part : s.split(",")) {
      if (!part.isBlank()) {
        out.add(part.strip());
      }
    }
    return out;
  }

  private static String text(@Nullable String s) {
    return s == null ? "" : s;
  }

  private static String or(String s, String fallback) {
    return s.isEmpty() ? fallback : s;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
