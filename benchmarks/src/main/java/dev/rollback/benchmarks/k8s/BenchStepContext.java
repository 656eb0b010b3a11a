package dev.rollback.benchmarks.k8s;

import dev.rollback.core.Key;
import dev.rollback.core.RunLog;
import dev.rollback.core.Secret;
import dev.rollback.core.StepContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The least a strategy needs to be called outside a run: real clock and sleep, facts in a map, and
 * timeline entries counted, not kept (500 undos should not measure a growing list).
 */
final class BenchStepContext implements StepContext {
  private static final RunLog QUIET = new RunLog() {
    @Override
    public void debug(String format, Object... args) {}

    @Override
    public void info(String format, Object... args) {}

    @Override
    public void warn(String format, Object... args) {}

    @Override
    public void error(String format, Object... args) {}
  };

  private final Map<Key<?>, Object> facts = new ConcurrentHashMap<>();
  private final MeterRegistry meters = new SimpleMeterRegistry();
  private final String service;

  BenchStepContext(String service) {
    this.service = service;
  }

  @Override
  public String runId() {
    return "bench";
  }

  @Override
  public String service() {
    return service;
  }

  @Override
  public String fromVersion() {
    return "1.3.0";
  }

  @Override
  public String toVersion() {
    return "1.2.0";
  }

  @Override
  public String stepId() {
    return "undo";
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
    return get(key).orElseThrow(() -> new IllegalStateException("no fact " + key));
  }

  @Override
  public <T> void put(Key<T> key, T value) {
    facts.put(key, value);
  }

  @Override
  public Secret secret(String name) {
    throw new IllegalStateException("no secrets in the benchmark: " + name);
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
  }

  @Override
  public boolean await(String what, BooleanSupplier condition, Duration timeout, Duration pollInterval) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      sleep(pollInterval);
    }
    return true;
  }

  @Override
  public boolean cancelled() {
    return false;
  }

  @Override
  public void throwIfCancelled() {}

  @Override
  public void progress(String message, double fraction) {}

  @Override
  public void record(String message, Map<String, String> facts) {}

  @Override
  public RunLog log() {
    return QUIET;
  }

  @Override
  public MeterRegistry meterRegistry() {
    return meters;
  }

  @Override
  public ObservationRegistry observationRegistry() {
    return ObservationRegistry.NOOP;
  }
}
