package dev.rollback.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ApprovalDecision;
import dev.rollback.core.ApprovalGate;
import dev.rollback.core.FailureAction;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.Step;
import dev.rollback.core.StepOutcome;
import dev.rollback.core.StepPolicy;
import dev.rollback.core.StepResult;
import dev.rollback.core.TimelineEntry;
import dev.rollback.core.event.RollbackEvent;
import dev.rollback.core.event.StepProgress;
import dev.rollback.core.health.MetricSource;
import dev.rollback.core.metric.MetricGate;
import dev.rollback.core.support.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The watch window on the run's clock: duration, breaches, alerts, degraded runs, escalation. */
class MonitorWindowTest {
  private final TestClock clock = TestClock.create();
  private final List<RollbackEvent> events = new CopyOnWriteArrayList<>();
  private final List<String> alerts = new ArrayList<>();
  private final AtomicInteger reads = new AtomicInteger();

  /** A source whose n-th read (from 0) answers f(n). */
  private MetricSource source(IntToDoubleFunction f) {
    return q -> OptionalDouble.of(f.applyAsDouble(reads.getAndIncrement()));
  }

  private MetricGate errorGate(MetricSource source) {
    return MetricGate.custom("errors").source(source).query("error_rate").metric("error-rate").max(0.05).build();
  }

  private RollbackRunner.Builder runner() {
    return RollbackRunner.builder().clock(clock).sleeper(clock.sleeper()).listener(events::add);
  }

  private static RollbackResult run(RollbackRunner runner, Step step, StepPolicy policy) {
    List<String> log = new ArrayList<>();
    return runner.run(RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9")
        .step(step, policy)
        .step(Step.builder("announce", Phase.COMMUNICATE).execute(ctx -> {
          log.add("announce");
          return StepResult.succeeded();
        }).build())
        .build());
  }

  @Test
  void aThirtyMinuteWindowRunsInUnderASecondOnTheRunClock() {
    MonitorWindow window = MonitorWindow.custom().gate(errorGate(source(n -> 0.01))).alerts(alerts::add).build();
    Instant before = clock.instant();

    long start = System.nanoTime();
    RollbackResult result = run(runner().build(), window, StepPolicy.defaults());
    Duration wall = Duration.ofNanos(System.nanoTime() - start);

    assertThat(wall).isLessThan(Duration.ofSeconds(1));
    assertThat(Duration.between(before, clock.instant())).isEqualTo(Duration.ofMinutes(30));
    assertThat(window.duration()).isEqualTo(MonitorWindow.DEFAULT_DURATION);
    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(reads.get()).as("a sample at 0, 1, ..., 30 minutes").isEqualTo(31);
    assertThat(alerts).isEmpty();
    assertThat(result.step("monitor-window").orElseThrow().message())
        .isEqualTo("all 1 gate within limits for the 30-minute window, 31 samples per gate");
    TimelineEntry end = result.timeline().stream().filter(e -> "gate".equals(e.facts().get("kind"))).findFirst().orElseThrow();
    assertThat(end.facts()).containsEntry("stage", "window").containsEntry("verdict", "PASS").containsEntry("gate", "errors");
    assertThat(end.facts().get("samples")).startsWith("[{\"at\":\"2026-11-28T03:00:00Z\",\"value\":0.01},{\"at\":\"2026-11-28T03:01:00Z\"")
        .endsWith("{\"at\":\"2026-11-28T03:30:00Z\",\"value\":0.01}]");
    assertThat(events).filteredOn(StepProgress.class::isInstance).hasSizeGreaterThanOrEqualTo(31);
  }

  @Test
  void anExtendedWindowOfThreeHoursIsAsFast() {
    MonitorWindow window = MonitorWindow.custom().gate(errorGate(source(n -> 0.01))).extended(Duration.ofHours(3))
        .interval(Duration.ofSeconds(30)).build();

    long start = System.nanoTime();
    RollbackResult result = run(runner().build(), window, StepPolicy.defaults());

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(reads.get()).isEqualTo(3 * 120 + 1);
    assertThat(MonitorWindow.custom().gate(errorGate(source(n -> 0))).extended().build().duration()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void aBreachAlertsOnceRecordsItKeepsWatchingAndEndsTheRunDegradedWithoutAnotherRollback() {
    // errors between minute 10 and 14
    MonitorWindow window = MonitorWindow.custom().gate(errorGate(source(n -> n >= 10 && n < 15 ? 0.3 : 0.01)))
        .alerts(alerts::add).build();

    RollbackResult result = run(runner().build(), window, StepPolicy.defaults());

    assertThat(result.outcome()).isEqualTo(RunOutcome.DEGRADED);
    assertThat(result.step("monitor-window").orElseThrow().outcome()).isEqualTo(StepOutcome.DEGRADED);
    assertThat(result.step("announce")).as("the run went on").isPresent();
    assertThat(reads.get()).as("watched to the end").isEqualTo(31);
    assertThat(alerts).hasSize(1);
    assertThat(alerts.get(0)).contains("[checkout run ", "gate errors (error-rate) breached 10 min into the monitoring window",
        "1 of 11 samples breached <= 0.05", "no automatic rollback will follow, still watching.");
    List<TimelineEntry> gateEntries = result.timeline().stream().filter(e -> "gate".equals(e.facts().get("kind"))).toList();
    assertThat(gateEntries).extracting(e -> e.facts().get("stage")).containsExactly("breach", "window");
    assertThat(gateEntries.get(0).facts()).containsEntry("verdict", "FAIL").containsEntry("value", "0.3").containsEntry("policy", "KEEP_WATCHING");
    assertThat(gateEntries.get(0).at()).isEqualTo(Instant.parse("2026-11-28T03:10:00Z"));
    assertThat(gateEntries.get(1).facts()).containsEntry("verdict", "FAIL");
    assertThat(result.warnings()).anyMatch(w -> w.contains("reports the service degraded") && w.contains("no new rollback was started"));
    assertThat(result.steps()).extracting(s -> s.stepId()).containsExactly("monitor-window", "announce");
  }

  @Test
  void escalationFailsTheStepSoThatPauseAsksAHuman() {
    List<String> asked = new ArrayList<>();
    ApprovalGate human = req -> {
      asked.add(req.stepId() + ": " + req.failure());
      return CompletableFuture.completedFuture(ApprovalDecision.skip("alice", "watching the dashboards by hand"));
    };
    MonitorWindow window = MonitorWindow.custom().gate(errorGate(source(n -> n >= 5 ? 0.3 : 0.01)))
        .onBreach(BreachPolicy.ESCALATE).alerts(alerts::add).build();

    RollbackResult result = run(runner().approvalGate(human).build(), window, StepPolicy.custom().onFailure(FailureAction.PAUSE).build());

    assertThat(reads.get()).as("stopped at the breach").isEqualTo(6);
    assertThat(Duration.between(Instant.parse("2026-11-28T03:00:00Z"), clock.instant())).isEqualTo(Duration.ofMinutes(5));
    assertThat(asked).singleElement().asString().startsWith("monitor-window: ").contains("escalating to a human");
    assertThat(alerts).hasSize(1);
    assertThat(result.step("monitor-window").orElseThrow().outcome()).isEqualTo(StepOutcome.SKIPPED);
    assertThat(result.step("announce")).isPresent();
  }

  @Test
  void aGateWithoutDataOverTheWholeWindowWarnsButNeverPasses() {
    MonitorWindow window = MonitorWindow.custom()
        .gate(MetricGate.custom("quiet").source(q -> OptionalDouble.empty()).query("x").max(1).build())
        .duration(Duration.ofMinutes(15)).build();

    RollbackResult result = run(runner().build(), window, StepPolicy.defaults());

    assertThat(result.step("monitor-window").orElseThrow().outcome()).isEqualTo(StepOutcome.WARNED);
    assertThat(result.step("monitor-window").orElseThrow().message()).startsWith("no verdict for quiet NODATA");
  }

  @Test
  void aFailingAlertListenerDoesNotStopTheWindow() {
    MonitorWindow window = MonitorWindow.custom().gate(errorGate(source(n -> 0.5)))
        .alerts(m -> {
          throw new IllegalStateException("slack is down");
        })
        .alerts(alerts::add).duration(Duration.ofMinutes(5)).build();

    RollbackResult result = run(runner().build(), window, StepPolicy.defaults());

    assertThat(result.outcome()).isEqualTo(RunOutcome.DEGRADED);
    assertThat(alerts).hasSize(1);
  }

  @Test
  void cancellingTheRunStopsTheWindowAtTheNextSleep() throws Exception {
    java.util.concurrent.atomic.AtomicReference<dev.rollback.core.RollbackExecution> execution = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    MetricSource cancelling = q -> {
      started.await();
      if (reads.incrementAndGet() == 3) {
        execution.get().cancel();
      }
      return OptionalDouble.of(0.01);
    };
    MonitorWindow window = MonitorWindow.custom().gate(errorGate(cancelling)).build();
    execution.set(runner().build().start(RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9").step(window).build()));
    started.countDown();

    RollbackResult result = execution.get().result().get(5, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(result.outcome()).isEqualTo(RunOutcome.CANCELLED);
    assertThat(reads.get()).isEqualTo(3);
    assertThat(Duration.between(Instant.parse("2026-11-28T03:00:00Z"), clock.instant())).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(() -> MonitorWindow.custom().duration(Duration.ofHours(30)).extended(Duration.ofMinutes(10))
        .interval(Duration.ZERO).id("").build())
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.problems()).hasSize(5))
        .hasMessageContaining("duration must be positive and at most 24 hours, but was PT30H")
        .hasMessageContaining("an extended window lasts 1 to 3 hours, but was PT10M")
        .hasMessageContaining("interval must be positive, but was PT0S")
        .hasMessageContaining("id must be")
        .hasMessageContaining("needs at least one gate");
    MetricGate g = errorGate(source(n -> 0));
    assertThatThrownBy(() -> MonitorWindow.custom().gate(g).gate(g).duration(Duration.ofMinutes(1)).interval(Duration.ofMinutes(2)).build())
        .hasMessageContaining("gate 'errors' is added twice")
        .hasMessageContaining("interval (PT2M) must not be longer than the window (PT1M)");
  }

  @Test
  void aBreachIsSentToPeopleThroughTheNotifiersAsAProgressMessageOfTheIncident() {
    java.util.List<dev.rollback.core.notify.Notification> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    dev.rollback.core.notify.Notifier capture = new dev.rollback.core.notify.Notifier() {
      @Override
      public String name() {
        return "capture";
      }

      @Override
      public void send(dev.rollback.core.notify.Notification n) {
        sent.add(n);
      }
    };
    MonitorWindow window = MonitorWindow.custom().gate(errorGate(source(n -> n == 3 ? 0.4 : 0.01)))
        .duration(Duration.ofMinutes(5)).notifications(dev.rollback.core.notify.NotificationDispatcher.of(capture)).build();

    RollbackResult result = run(runner().build(), window, StepPolicy.defaults());

    assertThat(result.outcome()).isEqualTo(RunOutcome.DEGRADED);
    assertThat(sent).singleElement().satisfies(n -> {
      assertThat(n.kind()).isEqualTo(dev.rollback.core.notify.Notification.Kind.PROGRESS);
      assertThat(n.lines().toString()).contains("gate errors (error-rate) breached 3 min into the monitoring window");
    });
  }
}
