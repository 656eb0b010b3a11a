package dev.rollback.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollback.core.report.ActionItem;
import dev.rollback.core.report.IncidentReport;
import dev.rollback.core.report.ReportDecision;
import dev.rollback.core.report.ReportEvent;
import dev.rollback.core.report.ReportGate;
import dev.rollback.core.report.ReportHealthRow;
import dev.rollback.core.report.ReportHealthSuite;
import dev.rollback.core.report.ReportImpact;
import dev.rollback.core.report.ReportIncident;
import dev.rollback.core.report.ReportPhaseBand;
import dev.rollback.core.report.ReportSample;
import dev.rollback.core.report.ReportStepSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Renders an {@link IncidentReport} as JSON in the schema documented in {@code
 * rollback-core/docs/report-schema.md}: fields in a fixed order, two-space indent, {@code \n} line
 * ends, instants as ISO-8601 UTC strings, durations in milliseconds.
 */
public final class ReportJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final ObjectWriter WRITER = JournalCodec.MAPPER.writer(new DefaultPrettyPrinter(
      Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
      .withObjectIndenter(new DefaultIndenter("  ", "\n"))
      .withArrayIndenter(new DefaultIndenter("  ", "\n")));

  private ReportJson() {}

  /**
   * @param r the report
   * @return its JSON, ending with a line break
   */
  public static String render(IncidentReport r) {
    ObjectNode root = F.objectNode();
    root.put("schemaVersion", IncidentReport.SCHEMA_VERSION);
    root.put("runId", r.runId());
    root.put("incidentId", r.incidentId());
    root.put("incidentRecorded", r.incident() != null);
    root.put("service", r.service());
    root.put("fromVersion", r.fromVersion());
    root.put("toVersion", r.toVersion());
    root.put("owner", r.owner());
    root.put("targetReason", r.targetReason());
    root.put("severity", r.severity().orElse(null));
    root.put("outcome", r.outcome());
    root.put("finished", r.finished());
    root.put("failure", r.failure());
    root.put("startedAt", r.startedAt().toString());
    root.put("endedAt", r.endedAt().toString());
    root.put("durationMillis", r.duration().toMillis());
    root.put("rollbackAt", instant(r.rollbackAt()));
    if (r.timeToRollback().isPresent()) {
      root.put("timeToRollbackMillis", r.timeToRollback().get().toMillis());
    } else {
      root.putNull("timeToRollbackMillis");
    }
    root.set("incident", incident(r.incident()));
    root.set("decision", decision(r.decision()));
    root.set("impact", impact(r));
    ArrayNode phases = root.putArray("phases");
    for (ReportPhaseBand b : r.phases()) {
      ObjectNode o = phases.addObject();
      o.put("phase", b.phase());
      o.put("start", b.start().toString());
      o.put("end", b.end().toString());
      o.put("durationMillis", b.duration().toMillis());
    }
    ArrayNode steps = root.putArray("steps");
    for (ReportStepSummary s : r.steps()) {
      ObjectNode o = steps.addObject();
      o.put("id", s.stepId());
      o.put("phase", s.phase());
      o.put("outcome", s.outcome());
      o.put("attempts", s.attempts());
      o.put("startedAt", instant(s.startedAt()));
      o.put("endedAt", instant(s.endedAt()));
      o.put("message", s.message());
      if (s.compensation() == null) {
        o.putNull("compensation");
      } else {
        ObjectNode c = o.putObject("compensation");
        c.put("outcome", s.compensation());
        c.put("message", s.compensationMessage());
      }
    }
    ArrayNode timeline = root.putArray("timeline");
    for (ReportEvent e : r.timeline()) {
      ObjectNode o = timeline.addObject();
      o.put("at", e.at().toString());
      o.put("offsetMillis", Duration.between(r.startedAt(), e.at()).toMillis());
      o.put("type", e.type());
      o.put("stepId", e.stepId());
      o.put("kind", e.kind());
      o.put("message", e.message());
    }
    ArrayNode gates = root.putArray("gates");
    for (ReportGate g : r.gates()) {
      ObjectNode o = gates.addObject();
      o.put("name", g.name());
      o.put("metric", g.metric());
      o.put("verdict", g.verdict());
      o.put("threshold", g.threshold());
      o.put("value", g.value());
      o.put("stepId", g.stepId());
      o.put("at", g.at().toString());
      ArrayNode samples = o.putArray("samples");
      for (ReportSample s : g.samples()) {
        ObjectNode so = samples.addObject();
        so.put("at", s.at().toString());
        if (s.value() == null) {
          so.putNull("value");
        } else {
          so.put("value", s.value());
        }
      }
    }
    ArrayNode suites = root.putArray("healthSuites");
    for (ReportHealthSuite s : r.healthSuites()) {
      ObjectNode o = suites.addObject();
      o.put("name", s.name());
      o.put("verdict", s.verdict());
      o.put("stepId", s.stepId());
      o.put("at", s.at().toString());
      ArrayNode rows = o.putArray("rows");
      for (ReportHealthRow h : s.rows()) {
        ObjectNode ro = rows.addObject();
        ro.put("endpoint", h.endpoint());
        ro.put("required", h.required());
        ro.put("passes", h.passes());
        ro.put("status", h.status());
        ro.put("latencyMs", h.latencyMs());
        ro.put("ttfbMs", h.ttfbMs());
        ro.put("reason", h.reason());
      }
    }
    root.put("rootCause", r.rootCause());
    root.put("lessonsLearned", r.lessonsLearned());
    ArrayNode items = root.putArray("actionItems");
    for (ActionItem a : r.actionItems()) {
      ObjectNode o = items.addObject();
      o.put("text", a.text());
      o.put("source", a.source().name().toLowerCase(Locale.ROOT));
    }
    ArrayNode problems = root.putArray("problems");
    for (String p : r.problems()) {
      problems.add(p);
    }
    try {
      return WRITER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the JSON report of run " + r.runId(), e);
    }
  }

  private static @Nullable String instant(@Nullable Instant at) {
    return at == null ? null : at.toString();
  }

  private static @Nullable ObjectNode incident(@Nullable ReportIncident i) {
    if (i == null) {
      return null;
    }
    ObjectNode o = F.objectNode();
    o.put("id", i.id());
    o.put("severity", i.severity());
    o.put("owner", i.owner());
    o.put("eta", i.eta());
    o.put("at", i.at().toString());
    return o;
  }

  private static @Nullable ObjectNode decision(@Nullable ReportDecision d) {
    if (d == null) {
      return null;
    }
    ObjectNode o = F.objectNode();
    o.put("verdict", d.verdict());
    o.put("rule", d.rule());
    o.put("rationale", d.rationale());
    o.put("at", d.at().toString());
    ObjectNode ev = o.putObject("evidence");
    for (Map.Entry<String, String> e : d.evidence().entrySet()) {
      ev.put(e.getKey(), e.getValue());
    }
    return o;
  }

  private static ObjectNode impact(IncidentReport r) {
    ReportImpact i = r.impact();
    ObjectNode o = F.objectNode();
    o.put("recorded", i != null);
    o.put("severity", i == null ? null : i.severity());
    if (i == null || i.usersAffectedPercent() == null) {
      o.putNull("usersAffectedPercent");
    } else {
      o.put("usersAffectedPercent", i.usersAffectedPercent());
    }
    strings(o.putArray("businessFunctions"), i == null ? List.of() : i.businessFunctions());
    strings(o.putArray("criticalFunctions"), i == null ? List.of() : i.criticalFunctions());
    o.put("revenueLoss", i == null ? null : i.revenueLoss());
    o.put("dataLoss", i == null ? null : i.dataLoss());
    o.put("description", i == null ? null : i.description());
    o.put("durationMillis", r.impactDuration().toMillis());
    return o;
  }

  private static void strings(ArrayNode a, List<String> values) {
    for (String v : values) {
      a.add(v);
    }
  }
}
