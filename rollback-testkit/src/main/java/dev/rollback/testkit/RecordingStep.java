package dev.rollback.testkit;

import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A configurable fake {@link Step} that remembers how often it ran and was compensated, and can
 * fail on demand: the building block for testing what a runbook's policies do.
 *
 * <pre>{@code
 * StepLog log = new StepLog();
 * RecordingStep drain = RecordingStep.named("drain", Phase.TRAFFIC_DRAIN).log(log).build();
 * RecordingStep deploy = RecordingStep.named("deploy", Phase.PLATFORM_ROLLBACK)
 *     .failing(new IllegalStateException("image pull failed"))
 *     .log(log)
 *     .build();
 * }</pre>
 *
 * <p>Each attempt of {@link #execute(StepContext)} does, in this order: count the execution, write
 * {@code execute:<id>} to the log, sleep through the context when {@link Builder#waiting(Duration)}
 * was given, then throw the configured failure or return the configured result ({@link
 * StepResult#succeeded(String)} by default). Each {@link #compensate(StepContext)} counts, writes
 * {@code compensate:<id>}, then throws the configured failure or returns a success, which the
 * runner records as {@link dev.rollback.core.CompensationOutcome#COMPENSATED}.
 *
 * <p>Thread-safe; a step keeps counting across runs, so build a fresh one per test.
 *
 * @since 0.1.0
 */
public final class RecordingStep implements Step {
  private final String id;
  private final Phase phase;
  private final boolean idempotent;
  private final @Nullable Duration waiting;
  private final StepResult result;
  private final int failures;
  private final @Nullable Supplier<? extends RuntimeException> failure;
  private final @Nullable RuntimeException compensationFailure;
  private final @Nullable StepLog log;
  private final AtomicInteger executions = new AtomicInteger();
  private final AtomicInteger compensations = new AtomicInteger();

  private RecordingStep(Builder b) {
    this.id = b.id;
    this.phase = b.phase;
    this.idempotent = b.idempotent;
    this.waiting = b.waiting;
    this.result = b.result;
    this.failures = b.failures;
    this.failure = b.failure;
    this.compensationFailure = b.compensationFailure;
    this.log = b.log;
  }

  /**
   * Starts a step that succeeds every time, is not idempotent, and compensates successfully.
   *
   * @param id the step's id, unique within the plan
   * @param phase its phase
   * @return a builder
   */
  public static Builder named(String id, Phase phase) {
    return new Builder(id, phase);
  }

  /** @return the step's id */
  @Override
  public String id() {
    return id;
  }

  /** @return the step's phase */
  @Override
  public Phase phase() {
    return phase;
  }

  /** @return whether the step said it may be repeated safely */
  @Override
  public boolean idempotent() {
    return idempotent;
  }

  /**
   * Records the attempt, waits through the context if asked, then fails or returns as configured.
   *
   * @param ctx the run's context
   * @return the configured result
   * @throws InterruptedException when the wait was interrupted
   */
  @Override
  public StepResult execute(StepContext ctx) throws InterruptedException {
    int attempt = executions.incrementAndGet();
    if (log != null) {
      log.executing(id);
    }
    if (waiting != null) {
      ctx.sleep(waiting);
    }
    if (failure != null && attempt <= failures) {
      throw Objects.requireNonNull(failure.get(), () -> "the failure supplier of step '" + id + "' returned null");
    }
    return result;
  }

  /**
   * Records the compensation, then fails or succeeds as configured.
   *
   * @param ctx the run's context
   * @return a success
   */
  @Override
  public StepResult compensate(StepContext ctx) {
    compensations.incrementAndGet();
    if (log != null) {
      log.compensating(id);
    }
    if (compensationFailure != null) {
      throw compensationFailure;
    }
    return StepResult.succeeded("undid " + id);
  }

  /**
   * @param ctx the run's context
   * @return a line naming the step
   */
  @Override
  public String preview(StepContext ctx) {
    return "would run recording step " + id;
  }

  /** @return how many times {@link #execute(StepContext)} was called: one per attempt */
  public int executions() {
    return executions.get();
  }

  /** @return how many times {@link #compensate(StepContext)} was called */
  public int compensations() {
    return compensations.get();
  }

  /** @return the id, phase and counts */
  @Override
  public String toString() {
    return "RecordingStep[" + id + ", " + phase + ", executions=" + executions() + ", compensations=" + compensations() + "]";
  }

  /**
   * Configures a {@link RecordingStep}. Setters collect problems; {@link #build()} reports them all
   * at once.
   */
  public static final class Builder {
    private final String id;
    private final Phase phase;
    private boolean idempotent;
    private @Nullable Duration waiting;
    private StepResult result;
    private int failures;
    private @Nullable Supplier<? extends RuntimeException> failure;
    private @Nullable RuntimeException compensationFailure;
    private @Nullable StepLog log;
    private final List<String> problems = new ArrayList<>();

    private Builder(String id, Phase phase) {
      this.id = id;
      this.phase = phase;
      this.result = StepResult.succeeded(id + " done");
    }

    /**
     * Makes every attempt throw the given exception (the same instance each time).
     *
     * @param failure what to throw
     * @return this builder
     */
    public Builder failing(RuntimeException failure) {
      if (failure == null) {
        problems.add("failing(..) needs an exception, but was null");
        return this;
      }
      return fail(Integer.MAX_VALUE, () -> failure, "failing");
    }

    /**
     * Makes the first {@code times} attempts throw, then the step succeeds: a flaky step for testing
     * retries.
     *
     * @param times how many attempts fail; at least 1
     * @param failure makes the exception of each failing attempt
     * @return this builder
     */
    public Builder failingTimes(int times, Supplier<? extends RuntimeException> failure) {
      if (times < 1) {
        problems.add("failingTimes needs at least 1 failing attempt, but was " + times + ": leave it out for a step that succeeds");
      }
      if (failure == null) {
        problems.add("failingTimes(" + times + ", ..) needs a supplier of the exception, but was null");
        return this;
      }
      return fail(times, failure, "failingTimes");
    }

    private Builder fail(int times, Supplier<? extends RuntimeException> supplier, String how) {
      if (this.failure != null) {
        problems.add(how + "(..) was called after another failing(..)/failingTimes(..): choose one");
      }
      this.failures = times;
      this.failure = supplier;
      return this;
    }

    /**
     * Makes every compensation throw the given exception.
     *
     * @param failure what to throw
     * @return this builder
     */
    public Builder failingCompensation(RuntimeException failure) {
      if (failure == null) {
        problems.add("failingCompensation(..) needs an exception, but was null");
      }
      this.compensationFailure = failure;
      return this;
    }

    /**
     * @param idempotent whether the step says it may be repeated safely (decides what a resumed run
     *     repeats); default false
     * @return this builder
     */
    public Builder idempotent(boolean idempotent) {
      this.idempotent = idempotent;
      return this;
    }

    /**
     * Makes every attempt wait through {@link StepContext#sleep(Duration)} before it fails or
     * returns; with a {@link ManualSleeper} the wait moves the manual clock instead.
     *
     * @param duration how long; positive
     * @return this builder
     */
    public Builder waiting(Duration duration) {
      if (duration == null || duration.isNegative() || duration.isZero()) {
        problems.add("waiting must be positive, but was " + duration + ": give e.g. Duration.ofMinutes(30)");
      } else {
        this.waiting = duration;
      }
      return this;
    }

    /**
     * @param result what a successful attempt returns; default {@code StepResult.succeeded("<id>
     *     done")}
     * @return this builder
     */
    public Builder returning(StepResult result) {
      if (result == null) {
        problems.add("returning(..) needs a result, but was null: use StepResult.succeeded()");
      } else {
        this.result = result;
      }
      return this;
    }

    /**
     * @param log where to write {@code execute:<id>} and {@code compensate:<id>}; share one log
     *     between steps to assert their order
     * @return this builder
     */
    public Builder log(StepLog log) {
      if (log == null) {
        problems.add("log must not be null: pass a StepLog, or leave log(..) out");
      }
      this.log = log;
      return this;
    }

    /**
     * @return the step
     * @throws RollbackException listing every problem
     */
    public RecordingStep build() {
      List<String> all = new ArrayList<>();
      if (id == null || id.isBlank()) {
        all.add("id must not be blank, but was " + (id == null ? "null" : "'" + id + "'") + ": name the step, e.g. \"drain\"");
      }
      if (phase == null) {
        all.add("phase must not be null for step " + (id == null ? "null" : "'" + id + "'") + ": pass e.g. Phase.TRAFFIC_DRAIN");
      }
      all.addAll(problems);
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid RecordingStep", all);
      }
      return new RecordingStep(this);
    }
  }
}
