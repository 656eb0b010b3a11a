package dev.rollback.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.journal.JournalEntry;
import dev.rollback.core.journal.JournalEntryType;
import dev.rollback.core.journal.JournalWriter;
import dev.rollback.core.journal.RunJournal;
import dev.rollback.core.support.TestClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Resume from a journal written by hand, as a crashed process would have left it. */
class ResumeTest {
  private static final Key<String> BACKUP = Key.of("db.backup", String.class);
  private final TestClock clock = TestClock.create();
  private final RunJournal journal = RunJournal.inMemory();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final RollbackRunner runner = RollbackRunner.builder().clock(clock).sleeper(clock.sleeper()).journal(journal).build();
  private long seq;

  private RollbackPlan plan() {
    return RollbackPlan.builder("orders").currentVersion("v5").target("v4")
        .step(Step.builder("backup", Phase.DATABASE_PREP).execute(ctx -> {
          log.add("execute:backup");
          ctx.put(BACKUP, "pre-rollback-20261128-030000");
          return StepResult.succeeded();
        }).compensate(ctx -> {
          log.add("compensate:backup");
          return StepResult.succeeded();
        }).build())
        .step(Step.builder("drain", Phase.TRAFFIC_DRAIN).idempotent(true).execute(ctx -> {
          log.add("execute:drain");
          return StepResult.succeeded();
        }).compensate(ctx -> {
          log.add("compensate:drain");
          return StepResult.succeeded();
        }).build())
        .step(Step.builder("migrate-down", Phase.DATABASE_ROLLBACK).execute(ctx -> {
          log.add("execute:migrate-down with " + ctx.require(BACKUP));
          return StepResult.succeeded();
        }).build())
        .build();
  }

  private void write(String runId, JournalEntryType type, String step, int attempt, Map<String, String> data, Map<String, String> attrs) {
    try (JournalWriter w = journal.open(runId)) {
      w.append(new JournalEntry(++seq, Instant.parse("2026-11-28T02:00:00Z"), runId, type, step, attempt, data, Map.of(), attrs));
    }
  }

  private void started(String runId) {
    write(runId, JournalEntryType.RUN_STARTED, null, 0,
        Map.of("service", "orders", "from", "v5", "to", "v4", "steps", "[\"backup\",\"drain\",\"migrate-down\"]"), Map.of());
  }

  @Test
  void skipsCompletedStepsRerunsAnInterruptedIdempotentOneAndRestoresSharedFacts() {
    started("r1");
    write("r1", JournalEntryType.STEP_STARTED, "backup", 1, Map.of(), Map.of());
    write("r1", JournalEntryType.STEP_COMPLETED, "backup", 1, Map.of("status", "SUCCEEDED", "message", ""),
        Map.of("db.backup", "\"pre-rollback-20261128-020000\""));
    write("r1", JournalEntryType.STEP_STARTED, "drain", 1, Map.of(), Map.of());

    RollbackResult result = runner.resume(plan(), "r1");

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(log).containsExactly("execute:drain", "execute:migrate-down with pre-rollback-20261128-020000");
    assertThat(result.step("backup")).hasValueSatisfying(s -> assertThat(s.outcome()).isEqualTo(StepOutcome.COMPLETED_EARLIER));
    assertThat(result.step("drain")).hasValueSatisfying(s -> assertThat(s.attempts()).isEqualTo(2));
    assertThat(result.fromVersion()).isEqualTo("v5");
    assertThat(result.warnings()).anySatisfy(w -> assertThat(w).contains("'drain' was interrupted and is idempotent"));
  }

  @Test
  void anInterruptedNonIdempotentStepWaitsForAnOperatorThenAbortCompensatesTheCompletedSteps() {
    started("r2");
    write("r2", JournalEntryType.STEP_STARTED, "backup", 1, Map.of(), Map.of());
    write("r2", JournalEntryType.STEP_COMPLETED, "backup", 1, Map.of("status", "SUCCEEDED"), Map.of());
    write("r2", JournalEntryType.STEP_STARTED, "drain", 1, Map.of(), Map.of());
    write("r2", JournalEntryType.STEP_COMPLETED, "drain", 1, Map.of("status", "SUCCEEDED"), Map.of());
    write("r2", JournalEntryType.STEP_STARTED, "migrate-down", 1, Map.of(), Map.of());

    RollbackResult waiting = runner.resume(plan(), "r2");
    assertThat(waiting.outcome()).isEqualTo(RunOutcome.AWAITING_OPERATOR);
    assertThat(waiting.failure()).contains("step 'migrate-down' was interrupted (attempt 1) and is not idempotent");
    assertThat(log).isEmpty();

    RollbackResult aborted = runner.resume(plan(), "r2", ResumeDecision.abort("migrate-down", "carol", "schema half-migrated; restoring backup"));
    assertThat(aborted.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(log).containsExactly("compensate:drain", "compensate:backup");
    assertThat(aborted.failure()).contains("carol chose to abort: schema half-migrated");
  }

  @Test
  void resumingAnAbortingRunFinishesTheCompensationsThatWereLeft() {
    started("r3");
    write("r3", JournalEntryType.STEP_STARTED, "backup", 1, Map.of(), Map.of());
    write("r3", JournalEntryType.STEP_COMPLETED, "backup", 1, Map.of("status", "SUCCEEDED"), Map.of());
    write("r3", JournalEntryType.STEP_STARTED, "drain", 1, Map.of(), Map.of());
    write("r3", JournalEntryType.STEP_COMPLETED, "drain", 1, Map.of("status", "SUCCEEDED"), Map.of());
    write("r3", JournalEntryType.STEP_STARTED, "migrate-down", 1, Map.of(), Map.of());
    write("r3", JournalEntryType.STEP_FAILED, "migrate-down", 1, Map.of("error", "boom", "next", "ABORT"), Map.of());
    write("r3", JournalEntryType.RUN_ABORTING, null, 0, Map.of("outcome", "FAILED", "reason", "step 'migrate-down' failed"), Map.of());
    write("r3", JournalEntryType.STEP_COMPENSATED, "drain", 1, Map.of("outcome", "COMPENSATED", "message", ""), Map.of());

    RollbackResult result = runner.resume(plan(), "r3");

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(log).containsExactly("compensate:backup");
    assertThat(result.compensations()).extracting(CompensationRecord::stepId).containsExactly("drain", "backup");
  }

  @Test
  void refusesAPlanWhoseStepsDifferFromTheJournal() {
    started("r4");
    RollbackPlan other = RollbackPlan.builder("orders").currentVersion("v5").target("v4")
        .step(Step.builder("backup", Phase.DATABASE_PREP).execute(ctx -> StepResult.succeeded()).build())
        .build();

    assertThatThrownBy(() -> runner.resume(other, "r4"))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("run r4 ran the steps [backup, drain, migrate-down], but the plan given has [backup]")
        .satisfies(e -> assertThat(((RollbackException) e).code()).isEqualTo(ErrorCode.JOURNAL_MISMATCH));
  }

  @Test
  void refusesAnUnknownRunAndAFinishedRun() {
    assertThatThrownBy(() -> runner.resume(plan(), "nope"))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("no journal for run nope");

    RollbackResult done = runner.run(plan());
    assertThatThrownBy(() -> runner.resume(plan(), done.runId()))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("already finished with SUCCEEDED")
        .satisfies(e -> assertThat(((RollbackException) e).code()).isEqualTo(ErrorCode.RESUME_NOT_POSSIBLE));
  }

  @Test
  void refusesADecisionForAStepThatWasNotInterrupted() {
    started("r5");
    write("r5", JournalEntryType.STEP_STARTED, "backup", 1, Map.of(), Map.of());

    assertThatThrownBy(() -> runner.resume(plan(), "r5", ResumeDecision.skip("drain", "dave", "oops")))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("decision for step 'drain' does not apply: the interrupted step is 'backup'");
  }

  @Test
  void refusesARunIdThatIsNotSafeAsAFileName() {
    assertThatThrownBy(() -> runner.resume(plan(), "../../etc/passwd"))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("run id must be 1-200 characters");
  }
}
