package dev.rollback.core.internal;

import static dev.rollback.core.internal.ReportText.dateTime;
import static dev.rollback.core.internal.ReportText.html;

import dev.rollback.core.report.ActionItem;
import dev.rollback.core.report.IncidentReport;
import dev.rollback.core.report.ReportDecision;
import dev.rollback.core.report.ReportEvent;
import dev.rollback.core.report.ReportGate;
import dev.rollback.core.report.ReportHealthRow;
import dev.rollback.core.report.ReportHealthSuite;
import dev.rollback.core.report.ReportImpact;
import dev.rollback.core.report.ReportPhaseBand;
import dev.rollback.core.report.ReportSample;
import dev.rollback.core.report.ReportStepSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Renders an {@link IncidentReport} as one self-contained HTML page: inline CSS, inline SVG charts,
 * no JavaScript, no network (a Content-Security-Policy forbids both), system fonts only.
 */
public final class ReportHtml {
  private static final String CSS = String.join("\n",
      "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;margin:24px auto;max-width:1000px;color:#1d1d1d;"
          + "line-height:1.4;padding:0 16px}",
      "h1{font-size:24px;margin-bottom:4px}h2{font-size:19px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}"
          + "h3{font-size:15px;margin-bottom:6px}",
      "table{border-collapse:collapse;margin:8px 0;font-size:13px;width:100%}th,td{border:1px solid #d5d5d5;padding:4px 6px;"
          + "text-align:left;vertical-align:top}th{background:#f3f3f3}",
      "table.facts{width:auto}table.facts th{width:190px}",
      ".outcome{display:inline-block;padding:2px 8px;border-radius:4px;font-weight:bold;background:#e8e8e8}",
      ".outcome-SUCCEEDED,.verdict-PASS{background:#d9f2dd;color:#14532d}",
      ".outcome-FAILED,.outcome-CANCELLED,.verdict-FAIL,.outcome-DEGRADED{background:#fbdcdc;color:#7f1d1d}",
      ".verdict-INCONCLUSIVE,.verdict-NODATA,.outcome-IN_PROGRESS,.outcome-AWAITING_OPERATOR{background:#fdf0c8;color:#713f12}",
      ".verdict{display:inline-block;padding:1px 6px;border-radius:4px;font-size:12px;font-weight:bold;background:#e8e8e8}",
      ".placeholder{color:#777;font-style:italic}.note{background:#fff7e0;border-left:4px solid #e0a800;padding:6px 10px}",
      ".no-samples{color:#555;font-style:italic;border:1px dashed #bbb;padding:12px;text-align:center}",
      ".chart{display:block;max-width:100%;height:auto;margin:6px 0 14px}",
      "td.time{white-space:nowrap;font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:12px}",
      "code{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:12px;background:#f3f3f3;padding:0 3px}",
      "footer{margin-top:32px;color:#777;font-size:12px}");

  private final IncidentReport r;
  private final StringBuilder out = new StringBuilder(32768);

  private ReportHtml(IncidentReport r) {
    this.r = r;
  }

  /**
   * @param report the report
   * @return the page
   */
  public static String render(IncidentReport report) {
    return new ReportHtml(report).build();
  }

  private String build() {
    String title = "Incident report: " + r.incidentId();
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
    out.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.append("<title>").append(html(title)).append("</title>\n<style>\n").append(CSS).append("\n</style>\n</head>\n<body>\n");
    out.append("<h1>").append(html(title)).append("</h1>\n");
    if (!r.finished()) {
      out.append("<p class=\"note\"><strong>In progress:</strong> this report covers the run up to ").append(dateTime(r.endedAt()))
          .append(". Build it again with <code>IncidentReport.fromJournal</code> after the run for the final report.</p>\n");
    }
    summary();
    charts();
    decision();
    impact();
    timeline();
    phases();
    steps();
    gates();
    health();
    notes();
    out.append("<footer>Built from the journal of run <code>").append(html(r.runId())).append("</code> (").append(r.timeline().size())
        .append(" timeline lines); report schema version ").append(IncidentReport.SCHEMA_VERSION).append(".</footer>\n");
    out.append("</body>\n</html>\n");
    return out.toString();
  }

  private void summary() {
    out.append("<table class=\"facts\">\n");
    fact("Incident", r.incident() == null ? placeholder("no incident id recorded") : html(r.incident().id()));
    fact("Service", orPlaceholder(r.service(), "not recorded"));
    fact("Rollback", orPlaceholder(r.fromVersion(), "?") + " &rarr; " + orPlaceholder(r.toVersion(), "?"));
    fact("Outcome", "<span class=\"outcome outcome-" + html(r.outcome()) + "\">" + html(r.outcome()) + "</span>");
    fact("Severity", r.severity().map(ReportText::html).orElse(placeholder("not recorded")));
    String owner = r.incident() != null && r.incident().owner() != null ? r.incident().owner() : r.owner();
    fact("Owner", orPlaceholder(owner, "not recorded"));
    if (r.incident() != null && r.incident().eta() != null) {
      fact("ETA announced", html(r.incident().eta()));
    }
    fact("Started", dateTime(r.startedAt()));
    fact("Ended", dateTime(r.endedAt()) + (r.finished() ? "" : " (last journal entry)"));
    fact("Total duration", ReportText.duration(r.duration()));
    fact("Rollback moment", r.rollbackAt() == null ? placeholder("no platform rollback completed")
        : dateTime(r.rollbackAt()) + " (" + ReportText.duration(r.timeToRollback().orElse(Duration.ZERO)) + " after the start)");
    fact("Target chosen because", orPlaceholder(r.targetReason(), "not recorded"));
    fact("Run", "<code>" + html(r.runId()) + "</code>");
    if (r.failure() != null) {
      fact("Failure", html(r.failure()));
    }
    out.append("</table>\n");
  }

  private void charts() {
    out.append("<h2>Metrics</h2>\n");
    Map<String, List<ReportGate>> byMetric = new LinkedHashMap<>();
    for (ReportGate g : r.gates()) {
      if (g.samples().stream().anyMatch(s -> s.value() != null)) {
        byMetric.computeIfAbsent(g.metric().isEmpty() ? g.name() : g.metric(), m -> new ArrayList<>()).add(g);
      }
    }
    List<String> order = new ArrayList<>();
    byMetric.keySet().stream().filter(m -> m.toLowerCase(Locale.ROOT).contains("error")).sorted().forEach(order::add);
    byMetric.keySet().stream().filter(m -> !order.contains(m) && m.toLowerCase(Locale.ROOT).contains("latency")).sorted().forEach(order::add);
    byMetric.keySet().stream().filter(m -> !order.contains(m)).sorted().forEach(order::add);
    boolean errorRate = order.stream().anyMatch(m -> m.toLowerCase(Locale.ROOT).contains("error"));
    boolean latency = order.stream().anyMatch(m -> m.toLowerCase(Locale.ROOT).contains("latency"));
    if (order.isEmpty()) {
      out.append("<p class=\"no-samples\">No metric samples recorded: no gate of this run recorded samples, so there is nothing to chart.</p>\n");
      return;
    }
    if (!errorRate) {
      out.append("<p class=\"no-samples\">No error-rate samples recorded.</p>\n");
    }
    for (String metric : order) {
      out.append("<h3>").append(html(metric)).append("</h3>\n");
      out.append(ReportChart.svg(r, metric, byMetric.get(metric)));
    }
    if (!latency) {
      out.append("<p class=\"no-samples\">No latency samples recorded.</p>\n");
    }
  }

  private void decision() {
    out.append("<h2>Decision</h2>\n");
    ReportDecision d = r.decision();
    if (d == null) {
      out.append("<p class=\"placeholder\">No decision was recorded.</p>\n");
      return;
    }
    out.append("<p><strong>").append(orPlaceholder(d.verdict(), "not recorded")).append("</strong> at ").append(ReportText.time(d.at()));
    if (!d.rule().isEmpty()) {
      out.append(" (rule <code>").append(html(d.rule())).append("</code>)");
    }
    out.append(": ").append(orPlaceholder(d.rationale(), "no rationale recorded")).append("</p>\n");
    if (!d.evidence().isEmpty()) {
      out.append("<table class=\"facts\">\n");
      for (Map.Entry<String, String> e : d.evidence().entrySet()) {
        fact(html(e.getKey()), html(e.getValue()));
      }
      out.append("</table>\n");
    }
  }

  private void impact() {
    out.append("<h2>Impact</h2>\n");
    ReportImpact i = r.impact();
    String duration = "at least " + ReportText.duration(r.impactDuration()) + (r.rollbackAt() != null
        ? " (from the start of the run to the rollback moment)" : " (from the start of the run to its end; no platform rollback completed)");
    if (i == null) {
      out.append("<p class=\"placeholder\">No impact was declared.</p>\n<table class=\"facts\">\n");
      fact("Duration", duration);
      out.append("</table>\n");
      return;
    }
    if (!i.description().isEmpty()) {
      out.append("<p>").append(html(i.description())).append("</p>\n");
    }
    out.append("<table class=\"facts\">\n");
    fact("Users affected", i.usersAffectedPercent() == null ? placeholder("not recorded") : ReportText.number(i.usersAffectedPercent(), 2) + " %");
    fact("Business functions", i.businessFunctions().isEmpty() ? placeholder("none recorded") : html(String.join(", ", i.businessFunctions())));
    fact("Critical functions down", i.criticalFunctions().isEmpty() ? placeholder("none recorded") : html(String.join(", ", i.criticalFunctions())));
    fact("Revenue loss", i.revenueLoss() == null ? placeholder("not recorded") : i.revenueLoss() ? "yes" : "no");
    fact("Data loss", i.dataLoss() == null ? placeholder("not recorded") : i.dataLoss() ? "<strong>yes</strong>" : "none");
    fact("Duration", duration);
    out.append("</table>\n");
  }

  private void timeline() {
    out.append("<h2>Timeline</h2>\n<table class=\"timeline\">\n<tr><th>Time (UTC)</th><th>T+</th><th>Step</th><th>Event</th></tr>\n");
    for (ReportEvent e : r.timeline()) {
      out.append("<tr class=\"event event-").append(html(e.type())).append("\"><td class=\"time\">").append(ReportText.time(e.at()))
          .append("</td><td class=\"time\">").append(ReportText.offset(Duration.between(r.startedAt(), e.at()))).append("</td><td>")
          .append(e.stepId() == null ? "" : html(e.stepId())).append("</td><td>");
      if (e.kind() != null) {
        out.append("<code>").append(html(e.kind())).append("</code> ");
      }
      out.append(html(e.message())).append("</td></tr>\n");
    }
    out.append("</table>\n");
  }

  private void phases() {
    out.append("<h2>Phases</h2>\n");
    if (r.phases().isEmpty()) {
      out.append("<p class=\"placeholder\">No step ran.</p>\n");
      return;
    }
    out.append("<table>\n<tr><th>Phase</th><th>Start</th><th>End</th><th>Duration</th></tr>\n");
    for (ReportPhaseBand b : r.phases()) {
      out.append("<tr><td>").append(html(b.phase())).append("</td><td class=\"time\">").append(ReportText.time(b.start()))
          .append("</td><td class=\"time\">").append(ReportText.time(b.end())).append("</td><td>").append(ReportText.duration(b.duration()))
          .append("</td></tr>\n");
    }
    out.append("</table>\n");
  }

  private void steps() {
    out.append("<h2>Steps</h2>\n<table>\n<tr><th>Step</th><th>Phase</th><th>Outcome</th><th>Attempts</th><th>Started</th><th>Ended</th>"
        + "<th>Message</th><th>Compensation</th></tr>\n");
    for (ReportStepSummary s : r.steps()) {
      out.append("<tr><td>").append(html(s.stepId())).append("</td><td>").append(html(s.phase())).append("</td><td>").append(html(s.outcome()))
          .append("</td><td>").append(s.attempts()).append("</td><td class=\"time\">").append(time(s.startedAt()))
          .append("</td><td class=\"time\">").append(time(s.endedAt())).append("</td><td>").append(html(s.message())).append("</td><td>");
      if (s.compensation() != null) {
        out.append(html(s.compensation())).append(s.compensationMessage().isEmpty() ? "" : ": " + html(s.compensationMessage()));
      }
      out.append("</td></tr>\n");
    }
    out.append("</table>\n");
  }

  private void gates() {
    out.append("<h2>Metric gates</h2>\n");
    if (r.gates().isEmpty()) {
      out.append("<p class=\"placeholder\">No metric gate was recorded.</p>\n");
      return;
    }
    out.append("<table>\n<tr><th>Gate</th><th>Metric</th><th>Verdict</th><th>Threshold</th><th>Value</th><th>At</th><th>Step</th>"
        + "<th>Samples</th></tr>\n");
    for (ReportGate g : r.gates()) {
      out.append("<tr><td>").append(html(g.name())).append("</td><td>").append(html(g.metric())).append("</td><td>").append(verdict(g.verdict()))
          .append("</td><td>").append(g.threshold() == null ? "" : html(g.threshold())).append("</td><td>")
          .append(g.value() == null ? "" : html(g.value())).append("</td><td class=\"time\">").append(ReportText.time(g.at()))
          .append("</td><td>").append(g.stepId() == null ? "" : html(g.stepId())).append("</td><td>");
      List<String> values = new ArrayList<>();
      for (ReportSample s : g.samples()) {
        values.add(ReportText.time(s.at()) + " " + (s.value() == null ? "no data" : ReportText.number(s.value())));
      }
      out.append(values.isEmpty() ? placeholder("none") : html(String.join("; ", values))).append("</td></tr>\n");
    }
    out.append("</table>\n");
  }

  private void health() {
    out.append("<h2>Health checks</h2>\n");
    if (r.healthSuites().isEmpty()) {
      out.append("<p class=\"placeholder\">No health suite was recorded.</p>\n");
      return;
    }
    for (ReportHealthSuite s : r.healthSuites()) {
      out.append("<h3>").append(html(s.name())).append(' ').append(verdict(s.verdict())).append("</h3>\n");
      out.append("<p>At ").append(ReportText.time(s.at())).append(s.stepId() == null ? "" : " by " + html(s.stepId())).append(".</p>\n");
      if (s.rows().isEmpty()) {
        out.append("<p class=\"placeholder\">No rows recorded.</p>\n");
        continue;
      }
      out.append("<table class=\"health\">\n<tr><th>Endpoint</th><th>Required</th><th>Passes</th><th>Status</th><th>Latency (ms)</th>"
          + "<th>TTFB (ms)</th><th>Reason</th></tr>\n");
      for (ReportHealthRow h : s.rows()) {
        out.append("<tr><td>").append(html(h.endpoint())).append("</td><td>").append(html(h.required())).append("</td><td>")
            .append(html(h.passes())).append("</td><td>").append(html(h.status())).append("</td><td>").append(html(h.latencyMs()))
            .append("</td><td>").append(html(h.ttfbMs())).append("</td><td>").append(html(h.reason())).append("</td></tr>\n");
      }
      out.append("</table>\n");
    }
  }

  private void notes() {
    out.append("<h2>Root cause</h2>\n");
    block(r.rootCause(), ReportMarkdown.ROOT_CAUSE_PLACEHOLDER);
    out.append("<h2>Lessons learned</h2>\n");
    block(r.lessonsLearned(), ReportMarkdown.LESSONS_PLACEHOLDER);
    out.append("<h2>Action items</h2>\n");
    if (r.actionItems().isEmpty()) {
      out.append("<p class=\"placeholder\">None.</p>\n");
    } else {
      out.append("<ul class=\"action-items\">\n");
      for (ActionItem a : r.actionItems()) {
        out.append("<li>").append(html(a.text()));
        if (a.source() == ActionItem.Source.AUTOMATIC) {
          out.append(" <span class=\"placeholder\">(automatic)</span>");
        }
        out.append("</li>\n");
      }
      out.append("</ul>\n");
    }
    if (!r.problems().isEmpty()) {
      out.append("<h2>Problems reading the journal</h2>\n<ul>\n");
      for (String p : r.problems()) {
        out.append("<li>").append(html(p)).append("</li>\n");
      }
      out.append("</ul>\n");
    }
  }

  private void block(@Nullable String text, String placeholder) {
    if (text == null) {
      out.append("<p class=\"placeholder\">").append(html(placeholder)).append("</p>\n");
      return;
    }
    for (String para : text.split("\n\\s*\n")) {
      out.append("<p>").append(html(para).replace("\n", "<br>\n")).append("</p>\n");
    }
  }

  private static String verdict(String v) {
    return v.isEmpty() ? placeholder("no verdict") : "<span class=\"verdict verdict-" + html(v) + "\">" + html(v) + "</span>";
  }

  private void fact(String name, String valueHtml) {
    out.append("<tr><th>").append(name).append("</th><td>").append(valueHtml).append("</td></tr>\n");
  }

  private static String placeholder(String text) {
    return "<span class=\"placeholder\">" + html(text) + "</span>";
  }

  private static String orPlaceholder(@Nullable String s, String placeholder) {
    return s == null || s.isEmpty() ? placeholder(placeholder) : html(s);
  }

  private static String time(@Nullable Instant at) {
    return at == null ? "" : ReportText.time(at);
  }
}
