package dev.rollback.core.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Key;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RunLog;
import dev.rollback.core.Secret;
import dev.rollback.core.StepContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/** The context of one step attempt (or one compensation, or one preview). */
final class DefaultStepContext implements StepContext {
  private final Run run;
  private final String stepId;
  private final int attempt;
  private final boolean dryRun;
  private final boolean compensation;
  private volatile @Nullable RunLog log;
  private volatile boolean detached;

  DefaultStepContext(Run run, String stepId, int attempt, boolean dryRun, boolean compensation) {
    this.run = run;
    this.stepId = stepId;
    this.attempt = attempt;
    this.dryRun = dryRun;
    this.compensation = compensation;
  }

  /** The attempt ended (for example it timed out): later calls from a stray thread do nothing. */
  void detach() {
    detached = true;
  }

  @Override
  public String runId() {
    return run.runId();
  }

  @Override
  public String service() {
    return run.plan().service();
  }

  @Override
  public String fromVersion() {
    return run.fromVersion();
  }

  @Override
  public String toVersion() {
    return run.toVersion();
  }

  @Override
  public String stepId() {
    return stepId;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public boolean dryRun() {
    return dryRun;
  }

  @Override
  public <T> Optional<T> get(Key<T> key) {
    return run.attributes().get(key);
  }

  @Override
  public <T> T require(Key<T> key) {
    return get(key)
        .orElseThrow(() -> new RollbackException(
            ErrorCode.INVALID_CONFIGURATION,
            "step '" + stepId + "' needs attribute '" + key.name() + "' (" + key.type().getSimpleName()
                + "), but no earlier step put it: add the step that provides it before this one"));
  }

  @Override
  public <T> void put(Key<T> key, T value) {
    if (detached) {
      log().warn("ignored put of '{}' from a step attempt that already ended", key.name());
      return;
    }
    run.attributes().put(key, value);
  }

  @Override
  public Secret secret(String name) {
    Secret s = run.plan().secrets().get(name);
    if (s == null) {
      throw new RollbackException(
          ErrorCode.INVALID_CONFIGURATION,
          "step '" + stepId + "' asks for secret '" + name + "', but the plan declares " + run.plan().secrets().keySet()
              + ": declare it with RollbackPlan.Builder.secret(\"" + name + "\", Secret.of(...))");
    }
    return s;
  }

  @Override
  public Clock clock() {
    return run.clock();
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    throwIfCancelled();
    run.sleep(duration);
    throwIfCancelled();
  }

  @Override
  public boolean await(String what, BooleanSupplier condition, Duration timeout, Duration pollInterval)
      throws InterruptedException {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "await timeout must be positive, but was " + timeout + " (waiting for " + what + ")");
    }
    if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "await pollInterval must be positive, but was " + pollInterval + " (waiting for " + what + ")");
    }
    Clock clock = run.clock();
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
      Duration waited = Duration.between(start, now);
      progress("waiting for " + what + " (" + waited.toSeconds() + "s of " + timeout.toSeconds() + "s)",
          (double) waited.toMillis() / timeout.toMillis());
      Duration remaining = Duration.between(now, deadline);
      sleep(remaining.compareTo(pollInterval) < 0 ? remaining : pollInterval);
    }
  }

  @Override
  public boolean cancelled() {
    return detached || (!compensation && run.control().cancelled());
  }

  @Override
  public void throwIfCancelled() {
    if (detached) {
      throw new RollbackException(ErrorCode.CANCELLED, "step '" + stepId + "' attempt " + attempt + " already ended (timed out or cancelled)");
    }
    if (!compensation && run.control().cancelled()) {
      throw new RollbackException(ErrorCode.CANCELLED, "run " + run.runId() + " was cancelled: " + run.control().reason());
    }
  }

  @Override
  public void progress(String message, double fraction) {
    if (!detached) {
      run.progress(stepId, message, fraction);
    }
  }

  @Override
  public void record(String message, Map<String, String> facts) {
    if (!detached && !dryRun) {
      run.record(stepId, message, facts);
    }
  }

  /** Made on first use: most steps never log, and a context is made for every attempt. */
  @Override
  public RunLog log() {
    RunLog l = log;
    if (l == null) {
      l = new RedactingRunLog(LoggerFactory.getLogger("dev.rollback.step." + stepId), run.redactor());
      log = l;
    }
    return l;
  }

  @Override
  public MeterRegistry meterRegistry() {
    return run.settings().meterRegistry();
  }

  @Override
  public ObservationRegistry observationRegistry() {
    return run.settings().observationRegistry();
  }
}
