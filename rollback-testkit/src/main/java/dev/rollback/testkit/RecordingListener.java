package dev.rollback.testkit;

import dev.rollback.core.event.RollbackEvent;
import dev.rollback.core.event.RollbackListener;
import dev.rollback.core.event.StepStarted;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link RollbackListener} that keeps every event in the order it arrived, for assertions on what
 * a run reported while it went.
 *
 * <pre>{@code
 * RecordingListener listener = new RecordingListener();
 * RollbackRunner runner = RollbackRunner.builder().listener(listener).build();
 * runner.run(plan);
 * assertThat(listener.eventsOf(StepFailed.class)).extracting(StepFailed::next).containsExactly("RETRY");
 * }</pre>
 *
 * <p>Thread-safe: runs started in the background deliver events from their worker thread.
 *
 * @since 0.1.0
 */
public final class RecordingListener implements RollbackListener {
  private final List<RollbackEvent> events = new CopyOnWriteArrayList<>();

  /** Creates a listener that has seen nothing. */
  public RecordingListener() {}

  /** @param event the event to keep */
  @Override
  public void onEvent(RollbackEvent event) {
    events.add(Objects.requireNonNull(event, "event"));
  }

  /** @return every event so far, in order */
  public List<RollbackEvent> events() {
    return List.copyOf(events);
  }

  /**
   * @param type an event type, e.g. {@code StepFailed.class}
   * @param <T> the type
   * @return the events of that type so far, in order
   */
  public <T extends RollbackEvent> List<T> eventsOf(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /**
   * @return the step ids of the {@link StepStarted} events so far, in order: one per attempt, so a
   *     step that was retried appears once for each attempt
   */
  public List<String> stepIdsStarted() {
    return eventsOf(StepStarted.class).stream().map(StepStarted::stepId).toList();
  }

  /** Forgets every event so far. */
  public void clear() {
    events.clear();
  }

  /** @return the number of events and their types */
  @Override
  public String toString() {
    return "RecordingListener" + events.stream().map(e -> e.getClass().getSimpleName()).toList();
  }
}
