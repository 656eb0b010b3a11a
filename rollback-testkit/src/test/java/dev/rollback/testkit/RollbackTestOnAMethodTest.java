package dev.rollback.testkit;

import static dev.rollback.testkit.RollbackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.Phase;
import dev.rollback.core.RollbackRunner;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RollbackTestOnAMethodTest {

  @Test
  @RollbackTest
  void worksOnASingleMethod(RollbackRunner runner, ManualClock clock) {
    assertThat(runner.run(Plans.checkout(RecordingStep.named("watch", Phase.MONITOR).waiting(Duration.ofHours(2)).build())))
        .succeeded();
    assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START.plus(Duration.ofHours(2)));
  }
}
