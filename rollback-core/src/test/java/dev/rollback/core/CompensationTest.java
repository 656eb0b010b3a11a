package dev.rollback.core;

import static dev.rollback.core.support.Steps.logging;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.event.RollbackEvent;
import dev.rollback.core.event.StepCompensated;
import dev.rollback.core.journal.JournalEntryType;
import dev.rollback.core.journal.RunJournal;
import dev.rollback.core.support.TestClock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CompensationTest {
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final List<RollbackEvent> events = new CopyOnWriteArrayList<>();
  private final TestClock clock = TestClock.create();
  private final RunJournal journal = RunJournal.inMemory();
  private final RollbackRunner runner = RollbackRunner.builder()
      .clock(clock).sleeper(clock.sleeper()).journal(journal).listener(events::add).build();

  private static Step failing(String id, Phase phase, List<String> log) {
    return Step.builder(id, phase).execute(ctx -> {
      log.add("execute:" + id);
      throw new IllegalStateException("health check returned 503");
    }).build();
  }

  @Test
  void aFailureInStepFourCompensatesStepsThreeTwoOneInThatOrder() {
    RollbackPlan plan = RollbackPlan.builder("checkout").currentVersion("v2").target("v1")
        .step(logging("s1", Phase.PRECHECK, log))
        .step(logging("s2", Phase.TRAFFIC_DRAIN, log))
        .step(logging("s3", Phase.PLATFORM_ROLLBACK, log))
        .step(failing("s4", Phase.VALIDATE, log))
        .step(logging("s5", Phase.TRAFFIC_RESTORE, log))
        .build();

    RollbackResult result = runner.run(plan);

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(log).containsExactly(
        "execute:s1", "execute:s2", "execute:s3", "execute:s4",
        "compensate:s3", "compensate:s2", "compensate:s1");
    assertThat(result.compensations()).extracting(CompensationRecord::stepId).containsExactly("s3", "s2", "s1");
    assertThat(result.compensations()).extracting(CompensationRecord::outcome).containsOnly(CompensationOutcome.COMPENSATED);
    assertThat(result.step("s4")).hasValueSatisfying(s -> assertThat(s.outcome()).isEqualTo(StepOutcome.FAILED));
    assertThat(result.step("s5")).hasValueSatisfying(s -> assertThat(s.outcome()).isEqualTo(StepOutcome.NOT_RUN));
    assertThat(result.failure()).contains("step 's4' failed after 1 attempt").contains("health check returned 503");
    assertThat(events).filteredOn(e -> e instanceof StepCompensated)
        .extracting(e -> ((StepCompensated) e).stepId()).containsExactly("s3", "s2", "s1");
    assertThat(journal.read(result.runId()).orElseThrow().entries())
        .filteredOn(e -> e.type() == JournalEntryType.STEP_COMPENSATED)
        .extracting(e -> e.stepId()).containsExactly("s3", "s2", "s1");
  }

  @Test
  void aFailureInsideACompensationIsRecordedAndTheOthersStillRun() {
    Step brokenUndo = Step.builder("s2", Phase.TRAFFIC_DRAIN)
        .execute(ctx -> {
          log.add("execute:s2");
          return StepResult.succeeded();
        })
        .compensate(ctx -> {
          log.add("compensate:s2");
          throw new java.io.IOException("load balancer API unreachable");
        })
        .build();
    RollbackPlan plan = RollbackPlan.builder("checkout").currentVersion("v2").target("v1")
        .step(logging("s1", Phase.PRECHECK, log))
        .step(brokenUndo)
        .step(logging("s3", Phase.PLATFORM_ROLLBACK, log))
        .step(failing("s4", Phase.VALIDATE, log))
        .build();

    RollbackResult result = runner.run(plan);

    assertThat(log).containsExactly(
        "execute:s1", "execute:s2", "execute:s3", "execute:s4",
        "compensate:s3", "compensate:s2", "compensate:s1");
    assertThat(result.compensations()).extracting(CompensationRecord::stepId, CompensationRecord::outcome).containsExactly(
        org.assertj.core.groups.Tuple.tuple("s3", CompensationOutcome.COMPENSATED),
        org.assertj.core.groups.Tuple.tuple("s2", CompensationOutcome.FAILED),
        org.assertj.core.groups.Tuple.tuple("s1", CompensationOutcome.COMPENSATED));
    assertThat(result.compensations().get(1).message()).contains("java.io.IOException: load balancer API unreachable");
    assertThat(result.warnings()).anySatisfy(w -> assertThat(w)
        .contains("compensation of step 's2' failed").contains("undo its effect by hand"));
  }

  @Test
  void aStepWithoutCompensationIsReportedAsNothingToUndo() {
    RollbackPlan plan = RollbackPlan.builder("checkout").currentVersion("v2").target("v1")
        .step(Step.builder("read-only", Phase.ASSESS).execute(ctx -> StepResult.succeeded()).build())
        .step(failing("boom", Phase.VALIDATE, log))
        .build();

    RollbackResult result = runner.run(plan);

    assertThat(result.compensations()).singleElement().satisfies(c -> {
      assertThat(c.stepId()).isEqualTo("read-only");
      assertThat(c.outcome()).isEqualTo(CompensationOutcome.NOTHING_TO_UNDO);
    });
  }

  @Test
  void aFailedStepIsNotCompensatedOnlyTheCompletedOnesAre() {
    RollbackPlan plan = RollbackPlan.builder("checkout").currentVersion("v2").target("v1")
        .step(logging("s1", Phase.PRECHECK, log))
        .step(Step.builder("s2", Phase.VALIDATE)
            .execute(ctx -> {
              throw new IllegalStateException("nope");
            })
            .compensate(ctx -> {
              log.add("compensate:s2");
              return StepResult.succeeded();
            })
            .build())
        .build();

    runner.run(plan);

    assertThat(log).containsExactly("execute:s1", "compensate:s1");
  }
}
