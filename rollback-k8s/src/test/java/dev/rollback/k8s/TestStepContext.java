package dev.rollback.k8s;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Key;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RunLog;
import dev.rollback.core.Secret;
import dev.rollback.core.Sleeper;
import dev.rollback.core.StepContext;
import dev.rollback.core.TimelineEntry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A step context for calling the strategy directly: it waits the way the runner's context does (poll,
 * sleep through the sleeper, stop at the deadline on the clock) and remembers progress and timeline.
 */
final class TestStepContext implements StepContext {
  private final Clock clock;
  private final Sleeper sleeper;
  private final String toVersion;
  private final List<String> progress = new ArrayList<>();
  private final List<TimelineEntry> timeline = new ArrayList<>();
  private final Map<Key<?>, Object> facts = new HashMap<>();
  private volatile boolean cancelled;
  private int cancelAfterSleeps = -1;

  TestStepContext(Clock clock, Sleeper sleeper, String toVersion) {
    this.clock = clock;
    this.sleeper = sleeper;
    this.toVersion = toVersion;
  }

  List<String> progress() {
    return progress;
  }

  List<TimelineEntry> timeline() {
    return timeline;
  }

  List<String> timelineMessages() {
    return timeline.stream().map(TimelineEntry::message).toList();
  }

  void cancelAfterSleeps(int sleeps) {
    this.cancelAfterSleeps = sleeps;
  }

  @Override
  public String runId() {
    return "run-1";
  }

  @Override
  public String service() {
    return "checkout";
  }

  @Override
  public String fromVersion() {
    return "v1.3.0";
  }

  @Override
  public String toVersion() {
    return toVersion;
  }

  @Override
  public String stepId() {
    return "platform-rollback-kubernetes";
  }

  @Override
  public int attempt() {
    return 1;
  }

  @Override
  public boolean dryRun() {
    return false;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> Optional<T> get(Key<T> key) {
    return Optional.ofNullable((T) facts.get(key));
  }

  @Override
  public <T> T require(Key<T> key) {
    return get(key).orElseThrow(() -> new RollbackException(ErrorCode.INVALID_CONFIGURATION, "no fact " + key));
  }

  @Override
  public <T> void put(Key<T> key, T value) {
    facts.put(key, value);
  }

  @Override
  public Secret secret(String name) {
    throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "no secrets in this test: " + name);
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    throwIfCancelled();
    sleeper.sleep(duration);
    if (cancelAfterSleeps > 0 && --cancelAfterSleeps == 0) {
      cancelled = true;
    }
    throwIfCancelled();
  }

  @Override
  public boolean await(String what, BooleanSupplier condition, Duration timeout, Duration pollInterval) throws InterruptedException {
    Instant start = clock.instant();
    Instant deadline = start.plus(timeout);
    while (true) {
      throwIfCancelled();
      if (condition.getAsBoolean()) {
        return true;
      }
      Instant now = clock.instant();
      if (!now.isBefore(deadline)) {
        return false;
      }
      Duration remaining = Duration.between(now, deadline);
      sleep(remaining.compareTo(pollInterval) < 0 ? remaining : pollInterval);
    }
  }

  @Override
  public boolean cancelled() {
    return cancelled;
  }

  @Override
  public void throwIfCancelled() {
    if (cancelled) {
      throw new RollbackException(ErrorCode.CANCELLED, "run run-1 was cancelled: test");
    }
  }

  @Override
  public void progress(String message, double fraction) {
    progress.add(message);
  }

  @Override
  public void record(String message, Map<String, String> facts) {
    timeline.add(new TimelineEntry(clock.instant(), stepId(), message, facts));
  }

  @Override
  public RunLog log() {
    throw new UnsupportedOperationException("the strategy does not log through the context in these tests");
  }

  @Override
  public MeterRegistry meterRegistry() {
    return new SimpleMeterRegistry();
  }

  @Override
  public ObservationRegistry observationRegistry() {
    return ObservationRegistry.NOOP;
  }
}
