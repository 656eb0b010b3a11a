package dev.rollback.core.report;

import static dev.rollback.core.support.Steps.noop;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.Step;
import dev.rollback.core.StepResult;
import dev.rollback.core.TimelineEntry;
import dev.rollback.core.journal.RunJournal;
import dev.rollback.core.support.TestClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportStepTest {
  private final TestClock clock = TestClock.create();
  private final RunJournal journal = RunJournal.inMemory();

  @TempDir
  Path folder;

  private RollbackResult run(Step report) {
    Step rollback = Step.builder("k8s-rollback", Phase.PLATFORM_ROLLBACK).execute(ctx -> {
      clock.advance(Duration.ofMinutes(3));
      return StepResult.succeeded("rolled back");
    }).build();
    return RollbackRunner.builder().clock(clock).sleeper(clock.sleeper()).journal(journal).owner("alice").build()
        .run(RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9")
            .step(noop("assess", Phase.ASSESS))
            .step(rollback)
            .step(report)
            .step(noop("cleanup", Phase.CLEANUP))
            .build());
  }

  @Test
  void writesTheThreeRenderingsDuringTheRunAndRecordsTheirPaths() throws IOException {
    RollbackResult result = run(ReportStep.to(journal, folder).withNotes(ReportNotes.none().withRootCause("pool of size 1")));

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    Path md = folder.resolve(result.runId() + ".md");
    Path json = folder.resolve(result.runId() + ".json");
    Path html = folder.resolve(result.runId() + ".html");
    assertThat(md).exists();
    assertThat(json).exists();
    assertThat(html).exists();
    TimelineEntry recorded = result.timeline().stream().filter(t -> "report".equals(t.facts().get("kind"))).findFirst().orElseThrow();
    assertThat(recorded.stepId()).isEqualTo(ReportStep.DEFAULT_ID);
    assertThat(recorded.facts()).containsEntry("markdown", md.toAbsolutePath().toString())
        .containsEntry("json", json.toAbsolutePath().toString()).containsEntry("html", html.toAbsolutePath().toString());
    assertThat(result.step(ReportStep.DEFAULT_ID).orElseThrow().facts()).containsEntry("html", html.toAbsolutePath().toString());
    // written during the run: the run had not finished, and the cleanup after it is not in it
    String during = Files.readString(md);
    assertThat(during).contains("| Outcome | **IN\\_PROGRESS** |", "pool of size 1", "| Rollback moment | 2026-11-28 03:03:00 UTC");
    assertThat(during).contains("| cleanup | CLEANUP | NOT\\_RUN |");
  }

  @Test
  void theReportBuiltAfterTheRunIsTheFinalOneAndReplacesTheFiles() throws IOException {
    RollbackResult result = run(ReportStep.to(journal, folder));

    IncidentReport last = IncidentReport.fromJournal(journal, result.runId(), ReportNotes.none());
    Map<ReportFormat, Path> files = last.writeTo(folder);

    assertThat(last.outcome()).isEqualTo("SUCCEEDED");
    assertThat(last.finished()).isTrue();
    assertThat(Files.readString(files.get(ReportFormat.MARKDOWN))).contains("| Outcome | **SUCCEEDED** |", "| cleanup | CLEANUP | SUCCEEDED |");
    assertThat(last.timeline()).anySatisfy(e -> assertThat(e.kind()).isEqualTo("report"));
  }

  @Test
  void writingAgainGivesTheSameFilesAndLeavesNoTemporaryFiles() throws IOException {
    IncidentReport report = IncidentReport.fromJournal(ReportFixture.journal(), ReportFixture.RUN_ID, ReportFixture.notes());
    Map<ReportFormat, Path> first = report.writeTo(folder);
    byte[] html = Files.readAllBytes(first.get(ReportFormat.HTML));

    Map<ReportFormat, Path> second = report.writeTo(folder);

    assertThat(second).isEqualTo(first);
    assertThat(Files.readAllBytes(second.get(ReportFormat.HTML))).isEqualTo(html);
    try (Stream<Path> files = Files.list(folder)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(List.of(
          ReportFixture.RUN_ID + ".html", ReportFixture.RUN_ID + ".json", ReportFixture.RUN_ID + ".md"));
    }
  }

  @Test
  void isAnIdempotentStepOfTheReportPhase() {
    ReportStep step = ReportStep.to(journal, folder);

    assertThat(step.id()).isEqualTo("incident-report");
    assertThat(step.phase()).isEqualTo(Phase.REPORT);
    assertThat(step.idempotent()).isTrue();
    assertThat(step.withId("final-report").id()).isEqualTo("final-report");
  }

  @Test
  void failsTheRunStepWhenThePlanRunsWithAnotherJournal() {
    RollbackResult result = run(ReportStep.to(RunJournal.inMemory(), folder));

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.failureMessage()).hasValueSatisfying(f -> assertThat(f).contains("found no journal of run"));
  }

  @Test
  void namesEveryMissingArgument() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReportStep.to(null, null))
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("2 problems").hasMessageContaining("journal must not be null").hasMessageContaining("folder must not be null");
  }
}
