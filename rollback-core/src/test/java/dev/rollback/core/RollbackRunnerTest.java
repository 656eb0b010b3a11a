package dev.rollback.core;

import static dev.rollback.core.support.Steps.noop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.event.ApprovalRequested;
import dev.rollback.core.event.RollbackEvent;
import dev.rollback.core.event.RunFinished;
import dev.rollback.core.event.RunStarted;
import dev.rollback.core.event.StepFailed;
import dev.rollback.core.event.StepProgress;
import dev.rollback.core.event.StepStarted;
import dev.rollback.core.event.StepSucceeded;
import dev.rollback.core.journal.JournalEntry;
import dev.rollback.core.journal.JournalEntryType;
import dev.rollback.core.journal.RunJournal;
import dev.rollback.core.support.TestClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RollbackRunnerTest {
  private final TestClock clock = TestClock.create();
  private final List<RollbackEvent> events = new CopyOnWriteArrayList<>();
  private final RunJournal journal = RunJournal.inMemory();

  private RollbackRunner.Builder runner() {
    return RollbackRunner.builder().clock(clock).sleeper(clock.sleeper()).journal(journal).listener(events::add);
  }

  private static RollbackPlan.Builder plan() {
    return RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9");
  }

  @Test
  void runsEveryStepInOrderAndSucceeds() {
    RollbackResult result = runner().build().run(plan()
        .step(noop("validate", Phase.VALIDATE))
        .step(noop("drain", Phase.TRAFFIC_DRAIN))
        .build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(result.steps()).extracting(StepRecord::stepId).containsExactly("drain", "validate");
    assertThat(result.steps()).extracting(StepRecord::outcome).containsOnly(StepOutcome.SUCCEEDED);
    assertThat(result.fromVersion()).isEqualTo("v1.3.0");
    assertThat(result.toVersion()).isEqualTo("v1.2.9");
    assertThat(events.get(0)).isInstanceOf(RunStarted.class);
    assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(RunFinished.class,
        f -> assertThat(f.message()).isEqualTo("checkout rolled back from v1.3.0 to v1.2.9"));
  }

  @Test
  void reportsAStepDoneOnlyAfterItsCompletionIsInTheJournal() {
    List<String> seen = new CopyOnWriteArrayList<>();
    RollbackRunner r = runner().listener(e -> {
      if (e instanceof StepSucceeded s) {
        boolean journaled = journal.read(s.runId()).orElseThrow().entries().stream()
            .anyMatch(j -> j.type() == JournalEntryType.STEP_COMPLETED && s.stepId().equals(j.stepId()));
        seen.add(s.stepId() + "=" + journaled);
      }
    }).build();

    r.run(plan().step(noop("a", Phase.ASSESS)).step(noop("b", Phase.VALIDATE)).build());

    assertThat(seen).containsExactly("a=true", "b=true");
  }

  @Test
  void endsAsNoActionWhenTheCurrentVersionIsAlreadyTheTarget() {
    AtomicInteger ran = new AtomicInteger();
    RollbackResult result = runner().build().run(RollbackPlan.builder("checkout").currentVersion("v1.2.9").target("v1.2.9")
        .step(Step.builder("x", Phase.PLATFORM_ROLLBACK).execute(ctx -> {
          ran.incrementAndGet();
          return StepResult.succeeded();
        }).build())
        .build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.NO_ACTION);
    assertThat(ran).hasValue(0);
    assertThat(result.warnings()).containsExactly("nothing to do: checkout already runs v1.2.9");
  }

  @Test
  void retriesWithExponentialBackoffOnTheRunClock() {
    AtomicInteger calls = new AtomicInteger();
    Step flaky = Step.builder("flaky", Phase.VALIDATE).execute(ctx -> {
      if (calls.incrementAndGet() < 3) {
        throw new IOException("connection refused");
      }
      return StepResult.succeeded("healthy");
    }).build();
    StepPolicy policy = StepPolicy.custom()
        .retry(RetryPolicy.custom().maxAttempts(3).backoff(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(1)).build())
        .build();
    java.time.Instant before = clock.instant();

    RollbackResult result = runner().build().run(plan().step(flaky, policy).build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(result.step("flaky")).hasValueSatisfying(s -> assertThat(s.attempts()).isEqualTo(3));
    assertThat(Duration.between(before, clock.instant())).isEqualTo(Duration.ofSeconds(30)); // 10 s + 20 s
    assertThat(events).filteredOn(e -> e instanceof StepFailed).extracting(e -> ((StepFailed) e).next())
        .containsExactly("RETRY", "RETRY");
  }

  @Test
  void doesNotRetryExceptionsOutsideRetryOn() {
    AtomicInteger calls = new AtomicInteger();
    Step step = Step.builder("s", Phase.VALIDATE).execute(ctx -> {
      calls.incrementAndGet();
      throw new IllegalArgumentException("bad config");
    }).build();
    StepPolicy policy = StepPolicy.custom().retry(RetryPolicy.custom().maxAttempts(5).retryOn(IOException.class).build()).build();

    RollbackResult result = runner().build().run(plan().step(step, policy).build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(calls).hasValue(1);
  }

  @Test
  void aStepThatOverrunsItsTimeoutIsInterruptedAndFails() throws InterruptedException {
    CountDownLatch interrupted = new CountDownLatch(1);
    Step slow = Step.builder("slow", Phase.VALIDATE).execute(ctx -> {
      try {
        new CountDownLatch(1).await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
      return StepResult.succeeded();
    }).build();

    long t0 = System.nanoTime();
    RollbackResult result = runner().build()
        .run(plan().step(slow, StepPolicy.custom().timeout(Duration.ofMillis(200)).build()).build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.failure()).contains("step 'slow' did not finish within its timeout of PT0.2S");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("the worker thread was interrupted").isTrue();
  }

  @Test
  void continueRecordsAWarningAndGoesOn() {
    Step broken = Step.builder("notify-slack", Phase.MOBILIZE).execute(ctx -> {
      throw new IOException("slack is down");
    }).build();

    RollbackResult result = runner().build().run(plan()
        .step(broken, StepPolicy.custom().onFailure(FailureAction.CONTINUE).build())
        .step(noop("rollback", Phase.PLATFORM_ROLLBACK))
        .build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(result.step("notify-slack")).hasValueSatisfying(s -> assertThat(s.outcome()).isEqualTo(StepOutcome.FAILED));
    assertThat(result.step("rollback")).hasValueSatisfying(s -> assertThat(s.outcome()).isEqualTo(StepOutcome.SUCCEEDED));
    assertThat(result.warnings()).anySatisfy(w -> assertThat(w).contains("notify-slack").contains("slack is down").contains("CONTINUE"));
  }

  @Test
  void pauseWithTheDefaultGateAborts() {
    List<String> log = new CopyOnWriteArrayList<>();
    RollbackResult result = runner().build().run(plan()
        .step(dev.rollback.core.support.Steps.logging("drain", Phase.TRAFFIC_DRAIN, log))
        .step(Step.builder("validate", Phase.VALIDATE).execute(ctx -> {
          throw new IllegalStateException("p99 latency 2.4 s");
        }).build(), StepPolicy.custom().onFailure(FailureAction.PAUSE).build())
        .build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.failure()).contains("aborted by rollback: no approval gate configured");
    assertThat(log).containsExactly("execute:drain", "compensate:drain");
    assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(ApprovalRequested.class));
  }

  @Test
  void pauseRetriesWhenTheOperatorSaysSo() {
    AtomicInteger calls = new AtomicInteger();
    Step step = Step.builder("validate", Phase.VALIDATE).execute(ctx -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("error rate 7%");
      }
      return StepResult.succeeded("error rate 0.1%");
    }).build();
    ApprovalGate gate = req -> CompletableFuture.completedFuture(ApprovalDecision.retry("alice", "cache was cold"));

    RollbackResult result = runner().approvalGate(gate).build()
        .run(plan().step(step, StepPolicy.custom().onFailure(FailureAction.PAUSE).build()).build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(calls).hasValue(2);
    assertThat(journal.read(result.runId()).orElseThrow().entries())
        .filteredOn(e -> e.type() == JournalEntryType.OPERATOR_DECISION)
        .singleElement()
        .satisfies(e -> assertThat(e.data()).containsEntry("action", "RETRY").containsEntry("by", "alice").containsEntry("reason", "cache was cold"));
  }

  @Test
  void pauseSkipsWhenTheOperatorSaysSoAndTheRunEndsWithAWarning() {
    Step step = Step.builder("purge-cdn", Phase.EDGE).execute(ctx -> {
      throw new IOException("CDN API 500");
    }).build();
    ApprovalGate gate = req -> CompletableFuture.completedFuture(ApprovalDecision.skip("bob", "will purge by hand"));

    RollbackResult result = runner().approvalGate(gate).build()
        .run(plan().step(step, StepPolicy.custom().onFailure(FailureAction.PAUSE).build()).step(noop("after", Phase.VALIDATE)).build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(result.step("purge-cdn")).hasValueSatisfying(s -> assertThat(s.outcome()).isEqualTo(StepOutcome.SKIPPED));
    assertThat(result.warnings()).anySatisfy(w -> assertThat(w).contains("skipped by bob: will purge by hand"));
  }

  @Test
  void pauseAbortsWhenNoAnswerComesBeforeTheApprovalTimeout() {
    ApprovalGate silent = req -> new CompletableFuture<>();
    java.time.Instant before = clock.instant();

    RollbackResult result = runner().approvalGate(silent).build().run(plan()
        .step(Step.builder("validate", Phase.VALIDATE).execute(ctx -> {
          throw new IllegalStateException("unhealthy");
        }).build(), StepPolicy.custom().onFailure(FailureAction.PAUSE).approvalTimeout(Duration.ofMinutes(10)).build())
        .build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.failure()).contains("no answer within the approval timeout of PT10M");
    assertThat(Duration.between(before, clock.instant())).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void cancelStopsAtTheNextSafePointAndCompensates() throws Exception {
    List<String> log = new CopyOnWriteArrayList<>();
    CountDownLatch waiting = new CountDownLatch(1);
    Step watch = Step.builder("monitor", Phase.MONITOR).execute(ctx -> {
      waiting.countDown();
      new CountDownLatch(1).await(60, TimeUnit.SECONDS); // a blocking call that honours interrupts
      return StepResult.succeeded();
    }).build();
    RollbackPlan p = plan()
        .step(dev.rollback.core.support.Steps.logging("drain", Phase.TRAFFIC_DRAIN, log))
        .step(watch)
        .step(dev.rollback.core.support.Steps.logging("report", Phase.REPORT, log))
        .build();

    RollbackExecution exec = RollbackRunner.builder().journal(journal).build().start(p);
    assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
    exec.cancel();
    RollbackResult result = exec.result().get(10, TimeUnit.SECONDS);

    assertThat(result.outcome()).isEqualTo(RunOutcome.CANCELLED);
    assertThat(result.failure()).contains("cancelled during step 'monitor'").contains("cancelled by the caller");
    assertThat(log).containsExactly("execute:drain", "compensate:drain");
    assertThat(result.step("report")).hasValueSatisfying(s -> assertThat(s.outcome()).isEqualTo(StepOutcome.NOT_RUN));
  }

  @Test
  void aLongWaitInsideAStepRunsInMillisecondsOnACompressedClock() {
    Step monitor = Step.builder("monitor", Phase.MONITOR).execute(ctx -> {
      ctx.sleep(Duration.ofMinutes(30));
      return StepResult.succeeded("quiet for 30 minutes");
    }).build();
    java.time.Instant before = clock.instant();
    long t0 = System.nanoTime();

    RollbackResult result = runner().build().run(plan().step(monitor).build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(Duration.between(before, clock.instant())).isEqualTo(Duration.ofMinutes(30));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void awaitReportsProgressAndGivesUpAtItsTimeout() {
    Step rollout = Step.builder("rollout", Phase.PLATFORM_ROLLBACK).execute(ctx -> {
      boolean ok = ctx.await("3/3 replicas ready", () -> false, Duration.ofMinutes(2), Duration.ofSeconds(30));
      return ok ? StepResult.succeeded() : StepResult.warned("rollout not ready after 2 minutes");
    }).build();

    RollbackResult result = runner().build().run(plan().step(rollout).build());

    assertThat(result.warnings()).containsExactly("step 'rollout': rollout not ready after 2 minutes");
    assertThat(events).filteredOn(e -> e instanceof StepProgress).hasSize(4)
        .first().satisfies(e -> assertThat(((StepProgress) e).message()).startsWith("waiting for 3/3 replicas ready"));
  }

  @Test
  void stepsShareTypedFacts() {
    Key<String> backup = Key.of("db.backup", String.class);
    RollbackResult result = runner().build().run(plan()
        .step(Step.builder("backup", Phase.DATABASE_PREP).execute(ctx -> {
          ctx.put(backup, "pre-rollback-20261128-030000");
          return StepResult.succeeded();
        }).build())
        .step(Step.builder("restore-check", Phase.VALIDATE).execute(ctx ->
            StepResult.succeeded().withFact("backup", ctx.require(backup))).build())
        .build());

    assertThat(result.step("restore-check")).hasValueSatisfying(s ->
        assertThat(s.facts()).containsEntry("backup", "pre-rollback-20261128-030000"));
    JournalEntry completed = journal.read(result.runId()).orElseThrow().entries().stream()
        .filter(e -> e.type() == JournalEntryType.STEP_COMPLETED && "backup".equals(e.stepId())).findFirst().orElseThrow();
    assertThat(completed.attributes()).containsEntry("db.backup", "\"pre-rollback-20261128-030000\"");
  }

  @Test
  void aMissingFactFailsTheStepNamingTheKey() {
    Key<String> missing = Key.of("lb.pool", String.class);
    RollbackResult result = runner().build().run(plan()
        .step(Step.builder("restore", Phase.TRAFFIC_RESTORE).execute(ctx -> StepResult.succeeded(ctx.require(missing))).build())
        .build());

    assertThat(result.failure()).contains("needs attribute 'lb.pool'").contains("no earlier step put it");
  }

  @Test
  void recordsTimersAndOutcomesInTheMeterRegistry() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    runner().meterRegistry(registry).build().run(plan()
        .step(noop("a", Phase.ASSESS))
        .step(Step.builder("b", Phase.VALIDATE).execute(ctx -> {
          throw new IllegalStateException("x");
        }).build(), StepPolicy.custom().onFailure(FailureAction.CONTINUE).build())
        .build());

    Timer a = registry.find("rollback.step").tag("step", "a").tag("outcome", "SUCCEEDED").tag("phase", "ASSESS").timer();
    Timer b = registry.find("rollback.step").tag("step", "b").tag("outcome", "FAILED").timer();
    Timer run = registry.find("rollback.run").tag("service", "checkout").tag("outcome", "SUCCEEDED").timer();
    assertThat(a).isNotNull();
    assertThat(a.count()).isEqualTo(1);
    assertThat(b).isNotNull();
    assertThat(b.getId().getTag("error")).isEqualTo("IllegalStateException");
    assertThat(run).isNotNull();
    assertThat(run.count()).isEqualTo(1);
  }

  @Test
  void previewDescribesEveryStepAndChangesNothing() {
    AtomicInteger executed = new AtomicInteger();
    RollbackPlan p = plan()
        .step(Step.builder("drain", Phase.TRAFFIC_DRAIN).execute(ctx -> {
          executed.incrementAndGet();
          return StepResult.succeeded();
        }).description("would drain blue from pool web").build())
        .strategy(new dev.rollback.core.support.FakeStrategyProvider.InMemoryPlatform("fake", "v1.3.0"))
        .build();

    RollbackPreview preview = runner().build().preview(p);

    assertThat(executed).hasValue(0);
    assertThat(journal.runIds()).isEmpty();
    assertThat(preview.steps()).extracting(PreviewEntry::description).containsExactly(
        "would drain blue from pool web",
        "would roll back checkout with strategy 'fake' from v1.3.0 to v1.2.9 and wait up to PT10M for it to converge");
  }

  @Test
  void failsBeforeTouchingAnythingWhenTheCurrentVersionCannotBeRead() {
    AtomicInteger executed = new AtomicInteger();
    RollbackPlan p = RollbackPlan.builder("checkout")
        .currentVersion(() -> {
          throw new IOException("GET /version: connection refused");
        })
        .target("v1")
        .step(Step.builder("x", Phase.VALIDATE).execute(ctx -> {
          executed.incrementAndGet();
          return StepResult.succeeded();
        }).build())
        .build();

    assertThatThrownBy(() -> runner().build().run(p))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("cannot read the current version of checkout")
        .hasMessageContaining("connection refused")
        .hasMessageContaining("nothing was changed");
    assertThat(executed).hasValue(0);
  }

  @Test
  void aStepReturningNullFailsWithAClearMessage() {
    RollbackResult result = runner().build().run(plan().step(Step.builder("n", Phase.VALIDATE).execute(ctx -> null).build()).build());
    assertThat(result.failure()).contains("step 'n' returned null: return StepResult.succeeded()");
  }

  @Test
  void aThrowingListenerNeverStopsARollback() {
    RollbackResult result = runner().listener(e -> {
      throw new IllegalStateException("progress bar broke");
    }).build().run(plan().step(noop("a", Phase.ASSESS)).build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
  }

  @Test
  void eventsCarryIndexAndTotal() {
    runner().build().run(plan().step(noop("a", Phase.ASSESS)).step(noop("b", Phase.VALIDATE)).build());
    assertThat(events).filteredOn(e -> e instanceof StepStarted)
        .extracting(e -> ((StepStarted) e).index() + "/" + ((StepStarted) e).total())
        .containsExactly("1/2", "2/2");
  }
}
