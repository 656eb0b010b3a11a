package dev.rollback.testkit;

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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A {@link StepContext} for calling a step or a strategy directly, outside a run: in a unit test, a
 * benchmark, or a bulk tool that undoes many workloads. It waits the way the runner's context does
 * (poll, sleep through the sleeper, stop at the deadline on the clock), keeps facts in a map, and
 * remembers progress lines, timeline entries and log lines so a test can assert on them.
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.create();
 * DetachedStepContext ctx = DetachedStepContext.builder()
 *     .clock(clock).sleeper(new ManualSleeper(clock)).versions("v1.3.0", "v1.2.9").build();
 * strategy.rollback(new RollbackRequest("v1.3.0", "v1.2.9", null), ctx);
 * assertThat(ctx.progress()).contains("deployment/checkout: 3/3 updated, 3/3 available");
 * }</pre>
 *
 * <p>Thread-safe: a bulk caller may share one between threads when it does not keep records.
 *
 * @since 0.1.0
 */
public final class DetachedStepContext implements StepContext {
  private final String runId;
  private final String service;
  private final String fromVersion;
  private final String toVersion;
  private final String stepId;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Map<String, Secret> secrets;
  private final boolean keepRecords;
  private final Map<Key<?>, Object> facts = new ConcurrentHashMap<>();
  private final List<String> progress = Collections.synchronizedList(new ArrayList<>());
  private final List<TimelineEntry> timeline = Collections.synchronizedList(new ArrayList<>());
  private final List<String> logLines = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger cancelAfterSleeps = new AtomicInteger(-1);
  private final MeterRegistry meters = new SimpleMeterRegistry();
  private final RunLog log = new RunLog() {
    @Override
    public void debug(String format, Object... args) {
      keep("DEBUG", format, args);
    }

    @Override
    public void info(String format, Object... args) {
      keep("INFO", format, args);
    }

    @Override
    public void warn(String format, Object... args) {
      keep("WARN", format, args);
    }

    @Override
    public void error(String format, Object... args) {
      keep("ERROR", format, args);
    }
  };
  private volatile boolean cancelled;

  private DetachedStepContext(Builder b) {
    this.runId = b.runId;
    this.service = b.service;
    this.fromVersion = b.fromVersion;
    this.toVersion = b.toVersion;
    this.stepId = b.stepId;
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.secrets = Map.copyOf(b.secrets);
    this.keepRecords = b.keepRecords;
  }

  /** @return a builder: system clock, a real sleeper, run {@code detached}, service {@code service} */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the progress lines reported so far, in order (empty when records are not kept) */
  public List<String> progress() {
    synchronized (progress) {
      return List.copyOf(progress);
    }
  }

  /** @return the timeline entries recorded so far, in order (empty when records are not kept) */
  public List<TimelineEntry> timeline() {
    synchronized (timeline) {
      return List.copyOf(timeline);
    }
  }

  /** @return the messages of {@link #timeline()} */
  public List<String> timelineMessages() {
    return timeline().stream().map(TimelineEntry::message).toList();
  }

  /** @return the log lines written through {@link #log()}, as {@code LEVEL message} */
  public List<String> logLines() {
    synchronized (logLines) {
      return List.copyOf(logLines);
    }
  }

  /**
   * Cancels the context after that many sleeps, to test that a wait stops when the run is cancelled.
   *
   * @param sleeps how many sleeps to allow, at least 1
   */
  public void cancelAfterSleeps(int sleeps) {
    if (sleeps < 1) {
      throw new IllegalArgumentException("sleeps: " + sleeps + "; allow at least 1 sleep before cancelling");
    }
    cancelAfterSleeps.set(sleeps);
  }

  /** Cancels the context now: the next wait or {@link #throwIfCancelled()} throws. */
  public void cancel() {
    cancelled = true;
  }

  @Override
  public String runId() {
    return runId;
  }

  @Override
  public String service() {
    return service;
  }

  @Override
  public String fromVersion() {
    return fromVersion;
  }

  @Override
  public String toVersion() {
    return toVersion;
  }

  @Override
  public String stepId() {
    return stepId;
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
    return get(key).orElseThrow(() -> new RollbackException(ErrorCode.INVALID_CONFIGURATION,
        "no value under key '" + key.name() + "' in this detached context: put it first"));
  }

  @Override
  public <T> void put(Key<T> key, T value) {
    facts.put(key, value);
  }

  @Override
  public Secret secret(String name) {
    Secret s = secrets.get(name);
    if (s == null) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "no secret '" + name + "' in this detached context; known: "
          + secrets.keySet() + ". Add it with DetachedStepContext.builder().secret(name, value)");
    }
    return s;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    throwIfCancelled();
    sleeper.sleep(duration);
    if (cancelAfterSleeps.get() > 0 && cancelAfterSleeps.decrementAndGet() == 0) {
      cancelled = true;
    }
    throwIfCancelled();
  }

  @Override
  public boolean await(String what, BooleanSupplier condition, Duration timeout, Duration pollInterval) throws InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
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
      throw new RollbackException(ErrorCode.CANCELLED, "run " + runId + " was cancelled");
    }
  }

  @Override
  public void progress(String message, double fraction) {
    if (keepRecords) {
      progress.add(message);
    }
  }

  @Override
  public void record(String message, Map<String, String> facts) {
    if (keepRecords) {
      timeline.add(new TimelineEntry(clock.instant(), stepId, message, facts));
    }
  }

  @Override
  public RunLog log() {
    return log;
  }

  @Override
  public MeterRegistry meterRegistry() {
    return meters;
  }

  @Override
  public ObservationRegistry observationRegistry() {
    return ObservationRegistry.NOOP;
  }

  private void keep(String level, String format, Object... args) {
    if (!keepRecords) {
      return;
    }
    StringBuilder line = new StringBuilder(level).append(' ');
    int arg = 0;
    int at = 0;
    int next;
    while ((next = format.indexOf("{}", at)) >= 0) {
      line.append(format, at, next).append(arg < args.length ? String.valueOf(args[arg++]) : "{}");
      at = next + 2;
    }
    line.append(format.substring(at));
    logLines.add(line.toString());
  }

  /** Builds a {@link DetachedStepContext}. */
  public static final class Builder {
    private String runId = "detached";
    private String service = "service";
    private String fromVersion = "unknown";
    private String toVersion = "unknown";
    private String stepId = "detached-step";
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private final Map<String, Secret> secrets = new LinkedHashMap<>();
    private boolean keepRecords = true;

    private Builder() {}

    /**
     * @param runId the run id the context reports
     * @return this builder
     */
    public Builder runId(String runId) {
      this.runId = requireText("runId", runId);
      return this;
    }

    /**
     * @param service the service the context reports
     * @return this builder
     */
    public Builder service(String service) {
      this.service = requireText("service", service);
      return this;
    }

    /**
     * @param from the version rolled back from
     * @param to the version rolled back to
     * @return this builder
     */
    public Builder versions(String from, String to) {
      this.fromVersion = requireText("fromVersion", from);
      this.toVersion = requireText("toVersion", to);
      return this;
    }

    /**
     * @param stepId the step id the context reports (and timeline entries carry)
     * @return this builder
     */
    public Builder stepId(String stepId) {
      this.stepId = requireText("stepId", stepId);
      return this;
    }

    /**
     * @param clock the clock waits measure against, e.g. a {@link ManualClock}
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /**
     * @param sleeper how waits pass, e.g. a {@link ManualSleeper} on the same clock
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper must not be null");
      return this;
    }

    /**
     * @param name the name steps ask for
     * @param value the secret
     * @return this builder
     */
    public Builder secret(String name, Secret value) {
      secrets.put(requireText("secret name", name), Objects.requireNonNull(value, "secret value must not be null"));
      return this;
    }

    /**
     * @param keep false to keep no progress, timeline or log lines (bulk callers, benchmarks)
     * @return this builder
     */
    public Builder keepRecords(boolean keep) {
      this.keepRecords = keep;
      return this;
    }

    /** @return the context */
    public DetachedStepContext build() {
      return new DetachedStepContext(this);
    }

    private static String requireText(String field, String value) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(field + " must not be blank, but was " + (value == null ? "null" : "'" + value + "'"));
      }
      return value;
    }
  }
}
