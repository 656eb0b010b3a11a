package dev.rollback.testkit;

import static dev.rollback.testkit.RollbackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.Phase;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The example of the module README, kept here so that it compiles and holds. */
@RollbackTest
class ReadmeExampleTest {

  @Test
  void abortsAndUndrainsWhenTheDeployFails(RollbackRunner runner, StepLog log, ManualClock clock) {
    RecordingStep drain = RecordingStep.named("drain", Phase.TRAFFIC_DRAIN).waiting(Duration.ofMinutes(5)).log(log).build();
    RecordingStep deploy = RecordingStep.named("deploy", Phase.PLATFORM_ROLLBACK)
        .failing(new IllegalStateException("image pull failed"))
        .log(log)
        .build();
    RecordingStep watch = RecordingStep.named("watch", Phase.MONITOR).waiting(Duration.ofMinutes(30)).build();
    RollbackPlan plan = RollbackPlan.builder("checkout-api")
        .currentVersion("v1.3.0").target("v1.2.9")
        .step(drain).step(deploy).step(watch)
        .build();

    RollbackResult result = runner.run(plan);                // returns in milliseconds

    assertThat(result)
        .failed()
        .ranSteps("drain")
        .didNotRun("watch")
        .compensated("drain")
        .failureContains("image pull failed");
    assertThat(log.entries()).containsExactly("execute:drain", "execute:deploy", "compensate:drain");
    assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START.plus(Duration.ofMinutes(5)));
  }
}
