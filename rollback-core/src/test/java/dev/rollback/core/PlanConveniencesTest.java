package dev.rollback.core;

import static dev.rollback.core.support.Steps.noop;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.health.HealthCheck;
import dev.rollback.core.health.HealthObservation;
import dev.rollback.core.health.HealthSuite;
import dev.rollback.core.metric.Baseline;
import dev.rollback.core.metric.BreachDirection;
import dev.rollback.core.metric.MetricGate;
import dev.rollback.core.monitor.BreachPolicy;
import dev.rollback.core.monitor.MonitorWindow;
import dev.rollback.core.report.IncidentReport;
import dev.rollback.core.report.ReportNotes;
import dev.rollback.core.journal.RunJournal;
import dev.rollback.core.support.TestClock;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** validate(..), gate(..) and monitor(..) put the right steps, in the right phases, with the right policies. */
class PlanConveniencesTest {
  private final TestClock clock = TestClock.create();

  private static HealthCheck up(String name) {
    return new HealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public HealthObservation check() {
        return new HealthObservation(name, true, 200, Duration.ofMillis(3), "200 OK");
      }
    };
  }

  @Test
  void validateGateAndMonitorAddTheirStepsInTheirPhases() {
    AtomicInteger reads = new AtomicInteger();
    MetricGate errors = MetricGate.custom("errors").source(q -> OptionalDouble.of(reads.getAndIncrement() < 1 ? 0.02 : 0.01))
        .query("error_rate").metric("error-rate").baseline(Baseline.captured(), BreachDirection.ABOVE).build();
    MetricGate breach = MetricGate.custom("latency").source(q -> OptionalDouble.of(900)).query("p99").metric("latency-p99").max(500).build();
    RollbackPlan plan = RollbackPlan.builder("checkout").currentVersion("v2").target("v1")
        .step(noop("switch", Phase.PLATFORM_ROLLBACK))
        .validate(HealthSuite.custom("critical").endpoint("auth", up("auth")).consecutivePasses(2).interval(Duration.ofSeconds(5))
            .deadline(Duration.ofMinutes(1)).build())
        .gate(errors)
        .monitor(MonitorWindow.custom().gate(breach).duration(Duration.ofMinutes(10)).onBreach(BreachPolicy.ESCALATE).build())
        .build();

    assertThat(plan.steps()).extracting(ps -> ps.id() + "@" + ps.step().phase())
        .containsExactly("baseline-errors@ASSESS", "switch@PLATFORM_ROLLBACK", "critical@VALIDATE", "gate-errors@VALIDATE",
            "monitor-window@MONITOR");
    assertThat(plan.steps().get(4).policy().onFailure()).isEqualTo(FailureAction.PAUSE);

    RunJournal journal = RunJournal.inMemory();
    RollbackResult result = RollbackRunner.builder().clock(clock).sleeper(clock.sleeper()).journal(journal).build().run(plan);

    // The monitor escalated; nobody answered the approval, so the run aborted.
    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.step("critical")).hasValueSatisfying(s -> assertThat(s.outcome()).isEqualTo(StepOutcome.SUCCEEDED));
    assertThat(result.step("gate-errors")).hasValueSatisfying(s -> assertThat(s.outcome()).isEqualTo(StepOutcome.SUCCEEDED));
    IncidentReport report = IncidentReport.fromJournal(journal, result.runId(), ReportNotes.none());
    assertThat(report.toJson()).contains("\"name\": \"latency\"").contains("\"name\": \"errors\"");
    assertThat(report.gates()).extracting(g -> g.name()).as("each gate once").containsExactlyInAnyOrder("errors", "latency");
  }
}
