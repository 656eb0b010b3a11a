package dev.rollback.testkit;

import static dev.rollback.testkit.RollbackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.Phase;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

@RollbackTest
class RollbackTestExtensionTest {
  private ManualClock clockOfBeforeEach;
  private RecordingJournal journalOfBeforeEach;

  @BeforeEach
  void keepWhatBeforeEachGets(ManualClock clock, RecordingJournal journal) {
    this.clockOfBeforeEach = clock;
    this.journalOfBeforeEach = journal;
  }

  @Test
  void injectsTheSameInstancesIntoATestAndItsBeforeEach(ManualClock clock, ManualSleeper sleeper, RecordingJournal journal) {
    assertThat(clockOfBeforeEach).isSameAs(clock);
    assertThat(journalOfBeforeEach).isSameAs(journal);
    assertThat(sleeper.clock()).isSameAs(clock);
  }

  @Test
  void wiresTheRunnerToTheInjectedFakes(
      RollbackRunner runner,
      ManualClock clock,
      ManualSleeper sleeper,
      FakeRollbackLock lock,
      RecordingJournal journal,
      RecordingListener listener,
      SimpleMeterRegistry registry) {
    RollbackResult result = runner.run(Plans.checkout(
        RecordingStep.named("watch", Phase.MONITOR).waiting(Duration.ofMinutes(15)).build()));

    assertThat(result).succeeded();
    assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START.plus(Duration.ofMinutes(15)));
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofMinutes(15));
    assertThat(lock.acquisitions()).singleElement().satisfies(h -> assertThat(h.runId()).isEqualTo(result.runId()));
    assertThat(journal.runIds()).containsExactly(result.runId());
    assertThat(listener.stepIdsStarted()).containsExactly("watch");
    assertThat(registry.getMeters()).isNotEmpty();
    assertThat(runner.journal()).isSameAs(journal);
  }

  @RepeatedTest(3)
  void givesEachTestFreshFakes(ManualClock clock, RecordingJournal journal, RecordingListener listener, StepLog log, RollbackRunner runner) {
    assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START);
    assertThat(journal.runIds()).isEmpty();
    assertThat(listener.events()).isEmpty();
    assertThat(log.entries()).isEmpty();

    runner.run(Plans.checkout(RecordingStep.named("watch", Phase.MONITOR).waiting(Duration.ofMinutes(1)).log(log).build()));

    assertThat(journal.runIds()).hasSize(1);
    assertThat(log.entries()).hasSize(1);
  }

  @Test
  void aRunnerBuilderIsNewOnEachResolutionButWiredToTheSameFakes(
      RollbackRunner.Builder first, RollbackRunner.Builder second, RecordingJournal journal) {
    assertThat(first).isNotSameAs(second);

    RollbackResult a = first.build().run(Plans.checkout(RecordingStep.named("drain", Phase.TRAFFIC_DRAIN).build()));
    RollbackResult b = second.build().run(Plans.checkout(RecordingStep.named("drain", Phase.TRAFFIC_DRAIN).build()));

    assertThat(journal.runIds()).containsExactlyInAnyOrder(a.runId(), b.runId());
  }
}
