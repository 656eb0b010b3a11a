package dev.rollback.core.report;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.internal.ReportAssembler;
import dev.rollback.core.internal.ReportFiles;
import dev.rollback.core.internal.ReportHtml;
import dev.rollback.core.internal.ReportJson;
import dev.rollback.core.internal.ReportMarkdown;
import dev.rollback.core.journal.JournalReplay;
import dev.rollback.core.journal.RunJournal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The incident report of one run, built from the run's journal alone, so a run that crashed and
 * was resumed reports fully. Render it as Markdown, JSON (see the package documentation for the
 * schema) or one self-contained HTML file with charts.
 *
 * <pre>{@code
 * IncidentReport report = IncidentReport.fromJournal(journal, result.runId(),
 *     ReportNotes.none().withRootCause("connection pool of size 1 in v1.3.0"));
 * report.writeTo(Path.of("reports"));   // <runId>.md, <runId>.json, <runId>.html
 * }</pre>
 *
 * <p>Rendering is deterministic: the same journal and notes give byte-identical files (no current
 * time, fixed number formats, stable order).
 *
 * @param runId the run
 * @param service the service
 * @param fromVersion the version that was running
 * @param toVersion the target
 * @param owner who ran the rollback, "" when not recorded
 * @param targetReason why the target was chosen, "" when not recorded
 * @param incident the incident, when the incident step recorded one
 * @param startedAt when the run started
 * @param endedAt when it finished, or the time of the last journal entry when it has not finished
 * @param finished whether the journal holds the end of the run
 * @param outcome a {@link dev.rollback.core.RunOutcome} name, or {@code IN_PROGRESS} when the run has
 *     not finished
 * @param failure what failed, or null
 * @param rollbackAt the rollback moment: the completion of the first PLATFORM_ROLLBACK step, or null
 * @param decision the assessment's decision, or null
 * @param impact the declared impact, or null
 * @param steps every step of the plan, in plan order
 * @param phases the phases that ran, in time order
 * @param timeline every journal entry, said for people, in journal order
 * @param gates metric gate evaluations, in journal order
 * @param healthSuites health suite results, in journal order
 * @param rootCause the operator's root cause, or null when not written
 * @param lessonsLearned the operator's lessons learned, or null when not written
 * @param actionItems the operator's items, then the automatic ones
 * @param problems what could not be read from the journal; reported, never fatal
 * @since 0.1.0
 */
public record IncidentReport(
    String runId,
    String service,
    String fromVersion,
    String toVersion,
    String owner,
    String targetReason,
    @Nullable ReportIncident incident,
    Instant startedAt,
    Instant endedAt,
    boolean finished,
    String outcome,
    @Nullable String failure,
    @Nullable Instant rollbackAt,
    @Nullable ReportDecision decision,
    @Nullable ReportImpact impact,
    List<ReportStepSummary> steps,
    List<ReportPhaseBand> phases,
    List<ReportEvent> timeline,
    List<ReportGate> gates,
    List<ReportHealthSuite> healthSuites,
    @Nullable String rootCause,
    @Nullable String lessonsLearned,
    List<ActionItem> actionItems,
    List<String> problems) {

  /** The version of the JSON schema this library writes ({@code schemaVersion}). */
  public static final int SCHEMA_VERSION = 1;

  /** Checks and copies the components. */
  public IncidentReport {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(fromVersion, "fromVersion");
    Objects.requireNonNull(toVersion, "toVersion");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(targetReason, "targetReason");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(endedAt, "endedAt");
    Objects.requireNonNull(outcome, "outcome");
    steps = List.copyOf(steps);
    phases = List.copyOf(phases);
    timeline = List.copyOf(timeline);
    gates = List.copyOf(gates);
    healthSuites = List.copyOf(healthSuites);
    actionItems = List.copyOf(actionItems);
    problems = List.copyOf(problems);
  }

  /**
   * Builds the report of a run from its journal. Call it after the run for the final report; a
   * {@link ReportStep} builds it during the run, from the journal up to that moment.
   *
   * @param journal the store the run was journaled in
   * @param runId the run
   * @param notes root cause, lessons learned and action items; {@link ReportNotes#none()} for
   *     placeholders
   * @return the report
   * @throws RollbackException with {@link ErrorCode#RUN_NOT_FOUND} when the store has no such run
   */
  public static IncidentReport fromJournal(RunJournal journal, String runId, ReportNotes notes) {
    Objects.requireNonNull(journal, "journal");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(notes, "notes");
    JournalReplay replay = journal.read(runId).orElseThrow(() -> new RollbackException(ErrorCode.RUN_NOT_FOUND,
        "no journal of run '" + runId + "' in " + journal + ": pass the run id of RollbackResult.runId() and the journal the plan used"));
    return fromReplay(replay, notes);
  }

  /**
   * Builds the report from a journal already read.
   *
   * @param replay the run's journal
   * @param notes root cause, lessons learned and action items
   * @return the report
   * @throws RollbackException with {@link ErrorCode#RUN_NOT_FOUND} when the journal is empty
   */
  public static IncidentReport fromReplay(JournalReplay replay, ReportNotes notes) {
    Objects.requireNonNull(replay, "replay");
    Objects.requireNonNull(notes, "notes");
    if (replay.entries().isEmpty()) {
      throw new RollbackException(ErrorCode.RUN_NOT_FOUND, "the journal of run '" + replay.runId() + "' has no entries: nothing to report");
    }
    return ReportAssembler.assemble(replay, notes);
  }

  /** @return the incident id, or a placeholder naming the run when no incident was recorded */
  public String incidentId() {
    return incident != null ? incident.id() : "no-incident-id-" + runId;
  }

  /** @return the severity: the incident's, else the impact's */
  public Optional<String> severity() {
    if (incident != null && incident.severity() != null) {
      return Optional.of(incident.severity());
    }
    return impact == null ? Optional.empty() : Optional.ofNullable(impact.severity());
  }

  /** @return how long the run took (so far, when it has not finished) */
  public Duration duration() {
    return Duration.between(startedAt, endedAt);
  }

  /** @return the time from the start of the run to the rollback moment, when there was one */
  public Optional<Duration> timeToRollback() {
    return rollbackAt == null ? Optional.empty() : Optional.of(Duration.between(startedAt, rollbackAt));
  }

  /**
   * The known impact duration: from the start of the run to the rollback moment, or to the end of
   * the report when there was none. The incident began before the run, so it is a lower bound.
   *
   * @return the duration
   */
  public Duration impactDuration() {
    return Duration.between(startedAt, rollbackAt != null ? rollbackAt : endedAt);
  }

  /** @return the report as Markdown */
  public String toMarkdown() {
    return ReportMarkdown.render(this);
  }

  /** @return the report as JSON, in the documented schema, pretty-printed with {@code \n} line ends */
  public String toJson() {
    return ReportJson.render(this);
  }

  /** @return the report as one self-contained HTML page with inline SVG charts */
  public String toHtml() {
    return ReportHtml.render(this);
  }

  /**
   * @param format a format
   * @return the report in that format
   */
  public String render(ReportFormat format) {
    switch (Objects.requireNonNull(format, "format")) {
      case MARKDOWN:
        return toMarkdown();
      case JSON:
        return toJson();
      case HTML:
        return toHtml();
      default:
        throw new IllegalArgumentException("unknown format " + format);
    }
  }

  /**
   * Writes every format into a folder as {@code <runId>.md}, {@code <runId>.json} and {@code
   * <runId>.html}, replacing earlier files atomically; writing again gives the same files.
   *
   * @param folder the folder; created if missing
   * @return the files written, by format
   * @throws RollbackException with {@link ErrorCode#JOURNAL_FAILURE} when a file cannot be written
   */
  public Map<ReportFormat, Path> writeTo(Path folder) {
    return ReportFiles.write(this, Objects.requireNonNull(folder, "folder"));
  }
}
