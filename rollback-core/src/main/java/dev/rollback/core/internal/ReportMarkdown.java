package dev.rollback.core.internal;

import static dev.rollback.core.internal.ReportText.dateTime;
import static dev.rollback.core.internal.ReportText.md;
import static dev.rollback.core.internal.ReportText.mdOr;

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
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Renders an {@link IncidentReport} as CommonMark with GitHub-style tables; lines end with {@code \n}. */
public final class ReportMarkdown {
  /** Shown when the operator did not write the root cause. */
  static final String ROOT_CAUSE_PLACEHOLDER = "Root cause: to be written by the incident owner";
  /** Shown when the operator did not write the lessons learned. */
  static final String LESSONS_PLACEHOLDER = "Lessons learned: to be written by the incident owner";

  private final IncidentReport r;
  private final StringBuilder out = new StringBuilder(8192);

  private ReportMarkdown(IncidentReport r) {
    this.r = r;
  }

  /**
   * @param report the report
   * @return its Markdown
   */
  public static String render(IncidentReport report) {
    return new ReportMarkdown(report).build();
  }

  private String build() {
    line("# Incident report: " + md(r.incidentId()));
    line("");
    if (!r.finished()) {
      line("> **In progress:** this report covers the run up to " + dateTime(r.endedAt())
          + ". Build it again with `IncidentReport.fromJournal` after the run for the final report.");
      line("");
    }
    line("| | |");
    line("|---|---|");
    row("Incident", r.incident() == null ? "_no incident id recorded_" : md(r.incident().id()));
    row("Service", mdOr(r.service(), "not recorded"));
    row("Rollback", mdOr(r.fromVersion(), "?") + " → " + mdOr(r.toVersion(), "?"));
    row("Outcome", "**" + md(r.outcome()) + "**");
    row("Severity", r.severity().map(ReportText::md).orElse("_not recorded_"));
    row("Owner", owner());
    if (r.incident() != null && r.incident().eta() != null) {
      row("ETA announced", md(r.incident().eta()));
    }
    row("Started", dateTime(r.startedAt()));
    row("Ended", dateTime(r.endedAt()) + (r.finished() ? "" : " (last journal entry)"));
    row("Total duration", ReportText.duration(r.duration()));
    row("Rollback moment", r.rollbackAt() == null ? "_no platform rollback completed_"
        : dateTime(r.rollbackAt()) + " (" + ReportText.duration(r.timeToRollback().orElse(Duration.ZERO)) + " after the start)");
    row("Target chosen because", mdOr(r.targetReason(), "not recorded"));
    row("Run", "`" + r.runId().replace("`", "'") + "`");
    if (r.failure() != null) {
      row("Failure", md(r.failure()));
    }
    line("");

    decision();
    impact();
    timeline();
    phases();
    steps();
    gates();
    health();

    line("## Root cause");
    line("");
    block(r.rootCause(), ROOT_CAUSE_PLACEHOLDER);
    line("");
    line("## Lessons learned");
    line("");
    block(r.lessonsLearned(), LESSONS_PLACEHOLDER);
    line("");
    line("## Action items");
    line("");
    if (r.actionItems().isEmpty()) {
      line("_None._");
    }
    for (ActionItem a : r.actionItems()) {
      line("- [ ] " + md(a.text()) + (a.source() == ActionItem.Source.AUTOMATIC ? " _(automatic)_" : ""));
    }
    line("");
    if (!r.problems().isEmpty()) {
      line("## Problems reading the journal");
      line("");
      for (String p : r.problems()) {
        line("- " + md(p));
      }
      line("");
    }
    line("---");
    line("");
    line("_Built from the journal of run `" + r.runId().replace("`", "'") + "` (" + r.timeline().size()
        + " timeline lines); report schema version " + IncidentReport.SCHEMA_VERSION + "._");
    return out.toString();
  }

  private String owner() {
    String o = r.incident() != null && r.incident().owner() != null ? r.incident().owner() : r.owner();
    return mdOr(o, "not recorded");
  }

  private void decision() {
    line("## Decision");
    line("");
    ReportDecision d = r.decision();
    if (d == null) {
      line("_No decision was recorded._");
      line("");
      return;
    }
    line("**" + mdOr(d.verdict(), "not recorded") + "** at " + ReportText.time(d.at()) + (d.rule().isEmpty() ? "" : " (rule `"
        + d.rule().replace("`", "'") + "`)") + ": " + mdOr(d.rationale(), "no rationale recorded"));
    line("");
    if (!d.evidence().isEmpty()) {
      line("| Evidence | Value |");
      line("|---|---|");
      for (Map.Entry<String, String> e : d.evidence().entrySet()) {
        row(md(e.getKey()), md(e.getValue()));
      }
      line("");
    }
  }

  private void impact() {
    line("## Impact");
    line("");
    ReportImpact i = r.impact();
    if (i == null) {
      line("_No impact was declared._");
      line("");
      line("- Duration: at least " + ReportText.duration(r.impactDuration()) + durationNote());
      line("");
      return;
    }
    if (!i.description().isEmpty()) {
      line(md(i.description()));
      line("");
    }
    line("- Users affected: " + (i.usersAffectedPercent() == null ? "_not recorded_" : ReportText.number(i.usersAffectedPercent(), 2) + " %"));
    line("- Business functions: " + (i.businessFunctions().isEmpty() ? "_none recorded_" : md(String.join(", ", i.businessFunctions()))));
    line("- Critical functions down: " + (i.criticalFunctions().isEmpty() ? "_none recorded_" : md(String.join(", ", i.criticalFunctions()))));
    line("- Revenue loss: " + yesNo(i.revenueLoss()));
    line("- Data loss: " + (i.dataLoss() == null ? "_not recorded_" : i.dataLoss() ? "**yes**" : "none"));
    line("- Duration: at least " + ReportText.duration(r.impactDuration()) + durationNote());
    line("");
  }

  private String durationNote() {
    return r.rollbackAt() != null ? " (from the start of the run to the rollback moment)" : " (from the start of the run to its end; no platform rollback completed)";
  }

  private static String yesNo(@Nullable Boolean b) {
    return b == null ? "_not recorded_" : b ? "yes" : "no";
  }

  private void timeline() {
    line("## Timeline");
    line("");
    line("| Time (UTC) | T+ | Step | Event |");
    line("|---|---|---|---|");
    for (ReportEvent e : r.timeline()) {
      String what = (e.kind() == null ? "" : "`" + e.kind().replace("`", "'") + "` ") + md(e.message());
      row(ReportText.time(e.at()), ReportText.offset(Duration.between(r.startedAt(), e.at())),
          e.stepId() == null ? "" : md(e.stepId()), what);
    }
    line("");
  }

  private void phases() {
    line("## Phases");
    line("");
    if (r.phases().isEmpty()) {
      line("_No step ran._");
      line("");
      return;
    }
    line("| Phase | Start | End | Duration |");
    line("|---|---|---|---|");
    for (ReportPhaseBand b : r.phases()) {
      row(md(b.phase()), ReportText.time(b.start()), ReportText.time(b.end()), ReportText.duration(b.duration()));
    }
    line("");
  }

  private void steps() {
    line("## Steps");
    line("");
    line("| Step | Phase | Outcome | Attempts | Started | Ended | Message | Compensation |");
    line("|---|---|---|---|---|---|---|---|");
    for (ReportStepSummary s : r.steps()) {
      String comp = s.compensation() == null ? "" : md(s.compensation()) + (s.compensationMessage().isEmpty() ? "" : ": " + md(s.compensationMessage()));
      row(md(s.stepId()), md(s.phase()), md(s.outcome()), String.valueOf(s.attempts()), time(s.startedAt()), time(s.endedAt()),
          md(s.message()), comp);
    }
    line("");
  }

  private static String time(@Nullable Instant at) {
    return at == null ? "" : ReportText.time(at);
  }

  private void gates() {
    line("## Metric gates");
    line("");
    if (r.gates().isEmpty()) {
      line("_No metric gate was recorded._");
      line("");
      return;
    }
    for (ReportGate g : r.gates()) {
      line("### " + md(g.name()) + " — " + mdOr(g.verdict(), "no verdict"));
      line("");
      line("Metric " + mdOr(g.metric(), "not recorded") + ", threshold " + mdOr(g.threshold(), "not recorded") + ", value "
          + mdOr(g.value(), "not recorded") + "; at " + ReportText.time(g.at()) + (g.stepId() == null ? "" : " by " + md(g.stepId())) + ".");
      line("");
      List<ReportSample> samples = g.samples();
      if (samples.isEmpty()) {
        line("_No samples recorded._");
      } else {
        line("| Time (UTC) | Value |");
        line("|---|---|");
        for (ReportSample s : samples) {
          row(ReportText.time(s.at()), s.value() == null ? "_no data_" : ReportText.number(s.value()));
        }
      }
      line("");
    }
  }

  private void health() {
    line("## Health checks");
    line("");
    if (r.healthSuites().isEmpty()) {
      line("_No health suite was recorded._");
      line("");
      return;
    }
    for (ReportHealthSuite s : r.healthSuites()) {
      line("### " + md(s.name()) + " — " + mdOr(s.verdict(), "no verdict"));
      line("");
      line("At " + ReportText.time(s.at()) + (s.stepId() == null ? "" : " by " + md(s.stepId())) + ".");
      line("");
      if (s.rows().isEmpty()) {
        line("_No rows recorded._");
      } else {
        line("| Endpoint | Required | Passes | Status | Latency (ms) | TTFB (ms) | Reason |");
        line("|---|---|---|---|---|---|---|");
        for (ReportHealthRow h : s.rows()) {
          row(md(h.endpoint()), md(h.required()), md(h.passes()), md(h.status()), md(h.latencyMs()), md(h.ttfbMs()), md(h.reason()));
        }
      }
      line("");
    }
  }

  private void block(@Nullable String text, String placeholder) {
    if (text == null) {
      line("_" + placeholder + "_");
      return;
    }
    for (String l : text.split("\n", -1)) {
      line(md(l));
    }
  }

  private void row(String... cells) {
    out.append('|');
    for (String c : cells) {
      out.append(' ').append(c).append(" |");
    }
    out.append('\n');
  }

  private void line(String s) {
    out.append(s).append('\n');
  }
}
