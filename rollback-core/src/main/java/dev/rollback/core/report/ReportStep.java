package dev.rollback.core.report;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.journal.JournalReplay;
import dev.rollback.core.journal.RunJournal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The REPORT phase's step: writes the incident report of the run as {@code <runId>.md}, {@code
 * <runId>.json} and {@code <runId>.html} into a folder and records their paths in the timeline
 * ({@code kind=report}). Idempotent: running it again replaces the files atomically.
 *
 * <p>The step runs during the run, so its report covers the journal up to that moment: outcome
 * {@code IN_PROGRESS}, and the steps after it (CLEANUP) are not in it. For the final report, call
 * {@link IncidentReport#fromJournal} after the run and {@link IncidentReport#writeTo} into the same
 * folder; it replaces these files.
 *
 * <pre>{@code
 * RunJournal journal = RunJournal.directory(Path.of("runs"));
 * plan.step(ReportStep.to(journal, Path.of("reports")).withNotes(notes))
 *     .journal(journal);
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ReportStep implements Step {
  /** The default step id. */
  public static final String DEFAULT_ID = "incident-report";

  private final String id;
  private final RunJournal journal;
  private final Path folder;
  private final ReportNotes notes;

  private ReportStep(String id, RunJournal journal, Path folder, ReportNotes notes) {
    this.id = id;
    this.journal = journal;
    this.folder = folder;
    this.notes = notes;
  }

  /**
   * A report step with id {@value #DEFAULT_ID} and no notes (the report shows placeholders).
   *
   * @param journal the journal the plan runs with (the step reads the run from it)
   * @param folder where the reports go; created if missing
   * @return the step
   * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} naming every null argument
   */
  public static ReportStep to(RunJournal journal, Path folder) {
    List<String> problems = new ArrayList<>();
    if (journal == null) {
      problems.add("journal must not be null: pass the RunJournal the plan runs with");
    }
    if (folder == null) {
      problems.add("folder must not be null: pass the folder the reports go to");
    }
    if (!problems.isEmpty()) {
      throw RollbackException.invalid("invalid report step", problems);
    }
    return new ReportStep(DEFAULT_ID, journal, folder, ReportNotes.none());
  }

  /**
   * @param notes root cause, lessons learned and action items known before the run ends
   * @return a copy with the notes
   */
  public ReportStep withNotes(ReportNotes notes) {
    if (notes == null) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "notes must not be null: use ReportNotes.none()");
    }
    return new ReportStep(id, journal, folder, notes);
  }

  /**
   * @param stepId another step id, for a plan with two report steps
   * @return a copy with the id
   */
  public ReportStep withId(String stepId) {
    if (stepId == null || stepId.isBlank()) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION,
          "id must not be blank, but was " + (stepId == null ? "null" : "'" + stepId + "'") + ": give the step a stable name");
    }
    return new ReportStep(stepId, journal, folder, notes);
  }

  /** @return the folder the reports go to */
  public Path folder() {
    return folder;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Phase phase() {
    return Phase.REPORT;
  }

  /** @return true: writing the report again replaces the files with the same content */
  @Override
  public boolean idempotent() {
    return true;
  }

  /**
   * Reads the run's journal, writes the three files and records their paths.
   *
   * @param ctx the run's context
   * @return a success naming the folder, with the file paths as facts
   * @throws RollbackException with {@link ErrorCode#RUN_NOT_FOUND} when the journal has no such run
   *     (the plan runs with another journal), or {@link ErrorCode#JOURNAL_FAILURE} when a file
   *     cannot be written
   */
  @Override
  public StepResult execute(StepContext ctx) {
    ctx.throwIfCancelled();
    JournalReplay replay = journal.read(ctx.runId()).orElseThrow(() -> new RollbackException(ErrorCode.RUN_NOT_FOUND,
        "report step '" + id + "' found no journal of run '" + ctx.runId() + "' in " + journal
            + ": give ReportStep.to(...) the RunJournal the plan runs with"));
    IncidentReport report = IncidentReport.fromReplay(replay, notes);
    Map<ReportFormat, Path> files = report.writeTo(folder);
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("kind", "report");
    facts.put("markdown", files.get(ReportFormat.MARKDOWN).toString());
    facts.put("json", files.get(ReportFormat.JSON).toString());
    facts.put("html", files.get(ReportFormat.HTML).toString());
    ctx.record("incident report " + report.incidentId() + " written to " + folder.toAbsolutePath().normalize(), facts);
    StepResult result = StepResult.succeeded("incident report written to " + folder.toAbsolutePath().normalize());
    for (Map.Entry<String, String> f : facts.entrySet()) {
      if (!f.getKey().equals("kind")) {
        result = result.withFact(f.getKey(), f.getValue());
      }
    }
    return result;
  }

  @Override
  public String preview(StepContext ctx) {
    return "would write the incident report of run " + ctx.runId() + " to " + folder.toAbsolutePath().normalize() + " as "
        + ctx.runId() + ".md, .json and .html";
  }

  @Override
  public String toString() {
    return "ReportStep[" + id + " -> " + folder + "]";
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ReportStep other && other.id.equals(id) && other.journal.equals(journal) && other.folder.equals(folder)
        && other.notes.equals(notes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, journal, folder, notes);
  }
}
