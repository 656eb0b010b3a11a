package dev.rollback.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.Phase;
import dev.rollback.core.event.RunFinished;
import dev.rollback.core.event.RunStarted;
import dev.rollback.core.event.StepStarted;
import dev.rollback.core.event.StepSucceeded;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordingListenerTest {
  private static final Instant T = ManualClock.DEFAULT_START;

  private final RecordingListener listener = new RecordingListener();

  @Test
  void keepsEventsInTheOrderTheyArrived() {
    RunStarted started = new RunStarted("run-1", T, "checkout-api", "v1.3.0", "v1.2.9", List.of("drain"), false);
    StepStarted drain = new StepStarted("run-1", T, "drain", Phase.TRAFFIC_DRAIN, 1, 1, 1);
    RunFinished finished = new RunFinished("run-1", T, RunOutcome.SUCCEEDED, "done", Duration.ZERO);

    listener.onEvent(started);
    listener.onEvent(drain);
    listener.onEvent(finished);

    assertThat(listener.events()).containsExactly(started, drain, finished);
  }

  @Test
  void eventsOfFiltersByTypeAndKeepsTheOrder() {
    listener.onEvent(new StepStarted("run-1", T, "drain", Phase.TRAFFIC_DRAIN, 1, 1, 2));
    listener.onEvent(new StepSucceeded("run-1", T, "drain", StepStatus.SUCCEEDED, "", Map.of(), Duration.ZERO));
    listener.onEvent(new StepStarted("run-1", T, "deploy", Phase.PLATFORM_ROLLBACK, 1, 2, 2));
    listener.onEvent(new StepStarted("run-1", T, "deploy", Phase.PLATFORM_ROLLBACK, 2, 2, 2));

    assertThat(listener.eventsOf(StepStarted.class)).extracting(StepStarted::attempt).containsExactly(1, 1, 2);
    assertThat(listener.eventsOf(StepSucceeded.class)).singleElement().extracting(StepSucceeded::stepId).isEqualTo("drain");
    assertThat(listener.eventsOf(RunFinished.class)).isEmpty();
    assertThat(listener.stepIdsStarted()).containsExactly("drain", "deploy", "deploy");
  }

  @Test
  void clearForgetsWhatItSaw() {
    listener.onEvent(new StepStarted("run-1", T, "drain", Phase.TRAFFIC_DRAIN, 1, 1, 1));

    listener.clear();

    assertThat(listener.events()).isEmpty();
  }
}
