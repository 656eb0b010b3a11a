package dev.rollback.testkit;

import static dev.rollback.testkit.RollbackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Phase;
import dev.rollback.core.RetryPolicy;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.StepOutcome;
import dev.rollback.core.StepPolicy;
import dev.rollback.core.StepResult;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@RollbackTest
class RecordingStepTest {

  @Test
  void succeedsByDefaultAndCountsEachExecution(RollbackRunner runner, StepLog log) {
    RecordingStep drain = RecordingStep.named("drain", Phase.TRAFFIC_DRAIN).log(log).build();

    RollbackResult result = runner.run(Plans.checkout(drain));

    assertThat(result).succeeded().ranSteps("drain");
    assertThat(result.step("drain")).hasValueSatisfying(s -> assertThat(s.message()).isEqualTo("drain done"));
    assertThat(drain.executions()).isEqualTo(1);
    assertThat(drain.compensations()).isZero();
    assertThat(log.executed()).containsExactly("drain");
    assertThat(log.compensated()).isEmpty();
    assertThat(drain).hasToString("RecordingStep[drain, TRAFFIC_DRAIN, executions=1, compensations=0]");
  }

  @Test
  void failingTimesFailsTheFirstAttemptsWithFreshExceptionsThenSucceeds(RollbackRunner runner, StepLog log) {
    AtomicInteger made = new AtomicInteger();
    RecordingStep health = RecordingStep.named("health", Phase.VALIDATE)
        .failingTimes(2, () -> new IllegalStateException("refused #" + made.incrementAndGet()))
        .log(log)
        .build();
    StepPolicy retry = StepPolicy.custom().retry(RetryPolicy.custom().maxAttempts(5).build()).build();

    RollbackResult result = runner.run(Plans.checkout().step(health, retry).build());

    assertThat(result).succeeded();
    assertThat(health.executions()).isEqualTo(3);
    assertThat(made).hasValue(2);
    assertThat(log.entries()).containsExactly("execute:health", "execute:health", "execute:health");
  }

  @Test
  void returningReportsTheGivenResult(RollbackRunner runner) {
    RecordingStep cache = RecordingStep.named("warm-cache", Phase.VALIDATE).returning(StepResult.warned("cache cold")).build();

    RollbackResult result = runner.run(Plans.checkout(cache));

    assertThat(result).succeeded().hasStep("warm-cache", StepOutcome.WARNED).hasWarningContaining("cache cold");
  }

  @Test
  void waitingSleepsThroughTheContextBeforeFailing(RollbackRunner runner, ManualClock clock) {
    RecordingStep rollout = RecordingStep.named("rollout", Phase.PLATFORM_ROLLBACK)
        .waiting(Duration.ofMinutes(10))
        .failing(new IllegalStateException("rollout stuck"))
        .build();

    RollbackResult result = runner.run(Plans.checkout(rollout));

    assertThat(result).failed().failureContains("rollout stuck");
    assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START.plus(Duration.ofMinutes(10)));
  }

  @Test
  void sayWhetherItIsIdempotent() {
    assertThat(RecordingStep.named("drain", Phase.TRAFFIC_DRAIN).build().idempotent()).isFalse();
    assertThat(RecordingStep.named("drain", Phase.TRAFFIC_DRAIN).idempotent(true).build().idempotent()).isTrue();
  }

  @Test
  void buildReportsEveryProblemAtOnce() {
    RecordingStep.Builder builder = RecordingStep.named(" ", null)
        .failingTimes(0, () -> new IllegalStateException("x"))
        .waiting(Duration.ZERO);

    assertThatThrownBy(builder::build)
        .isInstanceOfSatisfying(RollbackException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
          assertThat(e.problems()).hasSize(4);
        })
        .hasMessageContaining("invalid RecordingStep: 4 problems")
        .hasMessageContaining("id must not be blank, but was ' '")
        .hasMessageContaining("phase must not be null")
        .hasMessageContaining("failingTimes needs at least 1 failing attempt, but was 0")
        .hasMessageContaining("waiting must be positive, but was PT0S");
  }

  @Test
  void failingAndFailingTimesTogetherAreRefused() {
    RecordingStep.Builder builder = RecordingStep.named("drain", Phase.TRAFFIC_DRAIN)
        .failing(new IllegalStateException("a"))
        .failingTimes(1, () -> new IllegalStateException("b"));

    assertThatThrownBy(builder::build)
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("failingTimes(..) was called after another failing(..)/failingTimes(..): choose one");
  }
}
