package dev.rollback.testkit;

import static dev.rollback.testkit.RollbackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ApprovalDecision;
import dev.rollback.core.CompensationOutcome;
import dev.rollback.core.CompensationRecord;
import dev.rollback.core.FailureAction;
import dev.rollback.core.Phase;
import dev.rollback.core.RetryPolicy;
import dev.rollback.core.RollbackExecution;
import dev.rollback.core.RollbackInProgressException;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.Step;
import dev.rollback.core.StepOutcome;
import dev.rollback.core.StepPolicy;
import dev.rollback.core.StepRecord;
import dev.rollback.core.StepResult;
import dev.rollback.core.event.ApprovalAnswered;
import dev.rollback.core.event.ApprovalRequested;
import dev.rollback.core.event.RunFinished;
import dev.rollback.core.event.StepFailed;
import dev.rollback.core.journal.JournalEntry;
import dev.rollback.core.journal.JournalEntryType;
import dev.rollback.core.lock.LockHolder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the runner does, specified through the testkit's fakes. */
@RollbackTest
class RollbackRunnerWithTestkitTest {

  @Test
  void aThirtyMinuteWaitCompletesAtOnceAndMovesTheManualClock(RollbackRunner runner, ManualClock clock, ManualSleeper sleeper) {
    RecordingStep watch = RecordingStep.named("watch", Phase.MONITOR).waiting(Duration.ofMinutes(30)).build();
    long began = System.nanoTime();

    RollbackResult result = runner.run(Plans.checkout(watch));

    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(10));
    assertThat(result).succeeded().ranSteps("watch").compensated();
    assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START.plus(Duration.ofMinutes(30)));
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofMinutes(30));
    assertThat(result.duration()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void aFailingStepCompensatesTheCompletedStepsInReverseOrder(RollbackRunner runner, StepLog log) {
    RecordingStep maintenance = RecordingStep.named("maintenance-on", Phase.TRAFFIC_DRAIN).log(log).build();
    RecordingStep drain = RecordingStep.named("drain", Phase.TRAFFIC_DRAIN).log(log).build();
    RecordingStep deploy = RecordingStep.named("deploy", Phase.PLATFORM_ROLLBACK)
        .failing(new IllegalStateException("image pull failed"))
        .log(log)
        .build();
    RecordingStep validate = RecordingStep.named("validate", Phase.VALIDATE).log(log).build();

    RollbackResult result = runner.run(Plans.checkout(validate, deploy, maintenance, drain));

    assertThat(result)
        .failed()
        .ranSteps("maintenance-on", "drain")
        .hasStep("deploy", StepOutcome.FAILED)
        .didNotRun("validate")
        .compensated("drain", "maintenance-on")
        .failureContains("step 'deploy' failed after 1 attempt")
        .failureContains("image pull failed");
    assertThat(log.entries())
        .containsExactly("execute:maintenance-on", "execute:drain", "execute:deploy", "compensate:drain", "compensate:maintenance-on");
    assertThat(deploy.compensations()).as("a step that failed has nothing to undo").isZero();
    assertThat(validate.executions()).isZero();
    assertThat(result.compensations()).extracting(CompensationRecord::outcome).containsOnly(CompensationOutcome.COMPENSATED);
  }

  @Test
  void retriesWaitTheirBackoffOnTheManualClock(RollbackRunner runner, ManualClock clock, ManualSleeper sleeper, RecordingListener listener) {
    RecordingStep health = RecordingStep.named("health", Phase.VALIDATE)
        .failingTimes(2, () -> new IllegalStateException("connection refused"))
        .build();
    StepPolicy retry = StepPolicy.custom()
        .retry(RetryPolicy.custom().maxAttempts(3).backoff(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(1)).build())
        .build();

    RollbackResult result = runner.run(Plans.checkout().step(health, retry).build());

    assertThat(result).succeeded().ranSteps("health");
    assertThat(result.step("health")).map(StepRecord::attempts).contains(3);
    assertThat(health.executions()).isEqualTo(3);
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20));
    assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(30));
    assertThat(listener.stepIdsStarted()).containsExactly("health", "health", "health");
    assertThat(listener.eventsOf(StepFailed.class)).extracting(StepFailed::next).containsExactly("RETRY", "RETRY");
  }

  @Test
  void aStepThatKeepsFailingAbortsOnceItsRetriesAreSpent(RollbackRunner runner, ManualSleeper sleeper) {
    RecordingStep drain = RecordingStep.named("drain", Phase.TRAFFIC_DRAIN).build();
    RecordingStep health = RecordingStep.named("health", Phase.VALIDATE).failing(new IllegalStateException("503 from /health")).build();
    StepPolicy retry = StepPolicy.custom()
        .retry(RetryPolicy.custom().maxAttempts(3).backoff(Duration.ofSeconds(1), 3.0, Duration.ofSeconds(5)).build())
        .build();

    RollbackResult result = runner.run(Plans.checkout().step(drain).step(health, retry).build());

    assertThat(result).failed().failureContains("after 3 attempts").failureContains("503 from /health").compensated("drain");
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(3));
    assertThat(health.executions()).isEqualTo(3);
  }

  @Test
  void aLockHeldByAnotherRunStopsTheRunBeforeAnythingHappens(
      RollbackRunner runner, FakeRollbackLock lock, RecordingJournal journal, RecordingListener listener) {
    lock.heldBy(Plans.SERVICE, "checkout-api-run-by-bob", "bob@deploy-2", Duration.ofMinutes(5));
    RecordingStep drain = RecordingStep.named("drain", Phase.TRAFFIC_DRAIN).build();

    assertThatThrownBy(() -> runner.run(Plans.checkout(drain)))
        .isInstanceOf(RollbackInProgressException.class)
        .hasMessageContaining("run checkout-api-run-by-bob by bob@deploy-2")
        .satisfies(e -> assertThat(((RollbackInProgressException) e).holderRunId()).isEqualTo("checkout-api-run-by-bob"));
    assertThat(drain.executions()).isZero();
    assertThat(journal.runIds()).isEmpty();
    assertThat(listener.events()).isEmpty();
    assertThat(lock.acquisitions()).isEmpty();
    assertThat(lock.holder(Plans.SERVICE)).map(LockHolder::runId).contains("checkout-api-run-by-bob");
  }

  @Test
  void aLeaseThatExpiredOnTheClockIsTakenOverAndReleasedAfterTheRun(RollbackRunner runner, FakeRollbackLock lock, ManualClock clock) {
    lock.heldBy(Plans.SERVICE, "checkout-api-crashed-run", "bob@deploy-2", Duration.ofMinutes(5));
    clock.advance(Duration.ofMinutes(6));

    RollbackResult result = runner.run(Plans.checkout(RecordingStep.named("drain", Phase.TRAFFIC_DRAIN).build()));

    assertThat(result).succeeded();
    assertThat(lock.acquisitions()).singleElement().satisfies(h -> {
      assertThat(h.runId()).isEqualTo(result.runId());
      assertThat(h.owner()).isEqualTo("rollback-testkit");
    });
    assertThat(lock.releases()).extracting(LockHolder::runId).containsExactly(result.runId());
    assertThat(lock.isHeld(Plans.SERVICE)).isFalse();
  }

  @Test
  void aRunWhoseLeaseWasTakenOverCancelsItselfAndCompensates(RollbackRunner runner, FakeRollbackLock lock, ManualClock clock) {
    RecordingStep drain = RecordingStep.named("drain", Phase.TRAFFIC_DRAIN).build();
    Step stall = Step.builder("deploy", Phase.PLATFORM_ROLLBACK)
        .execute(ctx -> {
          clock.advance(Duration.ofMinutes(3)); // longer than the 2-minute lease: it expires unrenewed
          lock.acquire(Plans.SERVICE, "checkout-api-other-run", "bob@deploy-2", Duration.ofMinutes(10));
          ctx.sleep(Duration.ofSeconds(1)); // the run renews here and finds the lease gone
          return StepResult.succeeded();
        })
        .build();

    RollbackResult result = runner.run(Plans.checkout(drain, stall));

    assertThat(result)
        .cancelled()
        .failureContains("the lock of checkout-api was lost")
        .failureContains("now held by run checkout-api-other-run")
        .compensated("drain");
    assertThat(lock.holder(Plans.SERVICE)).map(LockHolder::runId).contains("checkout-api-other-run");
    assertThat(lock.releases()).as("a lost lease releases nothing").isEmpty();
  }

  @Test
  void aPauseWithTheDefaultApprovalGateAborts(RollbackRunner runner, RecordingListener listener) {
    RecordingStep drain = RecordingStep.named("drain", Phase.TRAFFIC_DRAIN).build();
    RecordingStep smoke = RecordingStep.named("smoke-test", Phase.VALIDATE).failing(new IllegalStateException("checkout returns 500")).build();
    StepPolicy pause = StepPolicy.custom().onFailure(FailureAction.PAUSE).build();

    RollbackResult result = runner.run(Plans.checkout().step(drain).step(smoke, pause).build());

    assertThat(result)
        .failed()
        .hasStep("smoke-test", StepOutcome.FAILED)
        .compensated("drain")
        .failureContains("no approval gate configured");
    assertThat(listener.eventsOf(ApprovalRequested.class)).extracting(ApprovalRequested::stepId).containsExactly("smoke-test");
    assertThat(listener.eventsOf(ApprovalAnswered.class))
        .extracting(a -> a.decision().action())
        .containsExactly(ApprovalDecision.Action.ABORT);
  }

  @Test
  void aPauseAnsweredWithSkipGoesOnWithAWarning(RollbackRunner.Builder builder) {
    RollbackRunner runner = builder
        .approvalGate(request -> CompletableFuture.completedFuture(ApprovalDecision.skip("alice", "known flaky check")))
        .build();
    RecordingStep smoke = RecordingStep.named("smoke-test", Phase.VALIDATE).failing(new IllegalStateException("checkout returns 500")).build();
    RecordingStep announce = RecordingStep.named("announce", Phase.COMMUNICATE).build();

    RollbackResult result = runner.run(
        Plans.checkout().step(smoke, StepPolicy.custom().onFailure(FailureAction.PAUSE).build()).step(announce).build());

    assertThat(result)
        .succeeded()
        .ranSteps("smoke-test", "announce")
        .hasStep("smoke-test", StepOutcome.SKIPPED)
        .hasWarningContaining("skipped by alice: known flaky check");
  }

  @Test
  void anUnansweredApprovalTimesOutOnTheManualClock(RollbackRunner.Builder builder, ManualSleeper sleeper) {
    RollbackRunner runner = builder.approvalGate(request -> new CompletableFuture<>()).build();
    RecordingStep smoke = RecordingStep.named("smoke-test", Phase.VALIDATE).failing(new IllegalStateException("checkout returns 500")).build();
    StepPolicy pause = StepPolicy.custom().onFailure(FailureAction.PAUSE).approvalTimeout(Duration.ofMinutes(5)).build();

    RollbackResult result = runner.run(Plans.checkout().step(smoke, pause).build());

    assertThat(result).failed().failureContains("no answer within the approval timeout of PT5M");
    assertThat(sleeper.totalSlept()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void onFailureContinueRecordsAWarningAndGoesOn(RollbackRunner runner) {
    RecordingStep page = RecordingStep.named("page-on-call", Phase.MOBILIZE).failing(new IllegalStateException("PagerDuty is down")).build();
    RecordingStep deploy = RecordingStep.named("deploy", Phase.PLATFORM_ROLLBACK).build();

    RollbackResult result = runner.run(
        Plans.checkout().step(page, StepPolicy.custom().onFailure(FailureAction.CONTINUE).build()).step(deploy).build());

    assertThat(result)
        .succeeded()
        .ranSteps("deploy")
        .hasStep("page-on-call", StepOutcome.FAILED)
        .hasWarningContaining("PagerDuty is down")
        .hasWarningContaining("onFailure=CONTINUE");
  }

  @Test
  void aFailingCompensationIsRecordedAndTheOtherCompensationsStillRun(RollbackRunner runner, StepLog log) {
    RecordingStep maintenance = RecordingStep.named("maintenance-on", Phase.TRAFFIC_DRAIN).log(log).build();
    RecordingStep drain = RecordingStep.named("drain", Phase.TRAFFIC_DRAIN)
        .failingCompensation(new IllegalStateException("load balancer unreachable"))
        .log(log)
        .build();
    RecordingStep deploy = RecordingStep.named("deploy", Phase.PLATFORM_ROLLBACK).failing(new IllegalStateException("quota exceeded")).build();

    RollbackResult result = runner.run(Plans.checkout(maintenance, drain, deploy));

    assertThat(result)
        .failed()
        .compensated("drain", "maintenance-on")
        .hasWarningContaining("compensation of step 'drain' failed")
        .hasWarningContaining("load balancer unreachable");
    assertThat(result.compensations())
        .extracting(CompensationRecord::outcome)
        .containsExactly(CompensationOutcome.FAILED, CompensationOutcome.COMPENSATED);
    assertThat(log.compensated()).containsExactly("drain", "maintenance-on");
  }

  @Test
  void cancellingARunCompensatesTheStepsThatCompleted(RollbackRunner runner, StepLog log) throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    RecordingStep drain = RecordingStep.named("drain", Phase.TRAFFIC_DRAIN).log(log).build();
    Step deploy = Step.builder("deploy", Phase.PLATFORM_ROLLBACK)
        .execute(ctx -> {
          started.countDown();
          never.await();
          return StepResult.succeeded();
        })
        .build();

    RollbackExecution execution = runner.start(Plans.checkout(drain, deploy));
    assertThat(started.await(10, TimeUnit.SECONDS)).as("deploy started").isTrue();
    execution.cancel();
    RollbackResult result = execution.result().get(10, TimeUnit.SECONDS);

    assertThat(result).cancelled().ranSteps("drain").hasStep("deploy", StepOutcome.FAILED).compensated("drain");
    assertThat(log.entries()).containsExactly("execute:drain", "compensate:drain");
  }

  @Test
  void aJournalThatFailsStopsTheRunAndCompensatesWhatRan(RollbackRunner runner, RecordingJournal journal) {
    RecordingStep drain = RecordingStep.named("drain", Phase.TRAFFIC_DRAIN).build();
    RecordingStep deploy = RecordingStep.named("deploy", Phase.PLATFORM_ROLLBACK).build();
    journal.failOnAppend(4); // RUN_STARTED, TIMELINE (target), STEP_STARTED drain, then STEP_COMPLETED drain fails

    RollbackResult result = runner.run(Plans.checkout(drain, deploy));

    assertThat(result)
        .failed()
        .failureContains("cannot append STEP_COMPLETED to the journal")
        .didNotRun("deploy")
        .compensated("drain")
        .hasWarningContaining("was completed afterwards");
    assertThat(deploy.executions()).isZero();
    // The failed append is written once the run is over, with the abort and the compensation, so a
    // later resume sees a finished run instead of trusting a step that was undone.
    assertThat(journal.types(result.runId())).containsExactly(
        JournalEntryType.RUN_STARTED,
        JournalEntryType.TIMELINE,
        JournalEntryType.STEP_STARTED,
        JournalEntryType.STEP_COMPLETED,
        JournalEntryType.RUN_ABORTING,
        JournalEntryType.STEP_COMPENSATED,
        JournalEntryType.RUN_FINISHED);
  }

  @Test
  void aJournalThatFailsAtTheStartRunsNoStep(RollbackRunner runner, RecordingJournal journal) {
    RecordingStep drain = RecordingStep.named("drain", Phase.TRAFFIC_DRAIN).build();
    journal.failOnAppend(1);

    RollbackResult result = runner.run(Plans.checkout(drain));

    assertThat(result).failed().ranSteps().didNotRun("drain").compensated().failureContains("cannot append RUN_STARTED");
    assertThat(drain.executions()).isZero();
    assertThat(journal.types(result.runId())).containsExactly(
        JournalEntryType.RUN_STARTED, JournalEntryType.TIMELINE, JournalEntryType.RUN_ABORTING, JournalEntryType.RUN_FINISHED);
  }

  @Test
  void theJournalRecordsEveryStepInOrder(RollbackRunner runner, RecordingJournal journal) {
    RollbackResult result = runner.run(Plans.checkout(
        RecordingStep.named("drain", Phase.TRAFFIC_DRAIN).build(), RecordingStep.named("deploy", Phase.PLATFORM_ROLLBACK).build()));

    assertThat(journal.runIds()).containsExactly(result.runId());
    assertThat(journal.types(result.runId())).containsExactly(
        JournalEntryType.RUN_STARTED,
        JournalEntryType.TIMELINE,
        JournalEntryType.STEP_STARTED,
        JournalEntryType.STEP_COMPLETED,
        JournalEntryType.STEP_STARTED,
        JournalEntryType.STEP_COMPLETED,
        JournalEntryType.RUN_FINISHED);
    assertThat(journal.entries(result.runId())).extracting(JournalEntry::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(journal.entries(result.runId()).get(0).get("owner")).isEqualTo("rollback-testkit");
    assertThat(journal.read(result.runId())).hasValueSatisfying(r -> assertThat(r.entries()).hasSize(7));
  }

  @Test
  void runsAndStepsAreTimedInTheMeterRegistry(RollbackRunner runner, SimpleMeterRegistry registry, RecordingListener listener) {
    RollbackResult result = runner.run(Plans.checkout(RecordingStep.named("drain", Phase.TRAFFIC_DRAIN).build()));

    assertThat(result).succeeded();
    assertThat(registry.find("rollback.run").timer()).isNotNull().satisfies(t -> assertThat(t.count()).isEqualTo(1));
    assertThat(registry.find("rollback.step").tag("step", "drain").timer()).isNotNull();
    assertThat(listener.eventsOf(RunFinished.class)).singleElement().satisfies(f -> assertThat(f.runId()).isEqualTo(result.runId()));
  }
}
