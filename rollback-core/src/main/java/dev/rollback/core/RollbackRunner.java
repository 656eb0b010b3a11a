package dev.rollback.core;

import dev.rollback.core.event.RollbackListener;
import dev.rollback.core.internal.InProcessRollbackLock;
import dev.rollback.core.internal.RunControl;
import dev.rollback.core.internal.RunEngine;
import dev.rollback.core.internal.RunIds;
import dev.rollback.core.internal.RunnerSettings;
import dev.rollback.core.journal.RunJournal;
import dev.rollback.core.lock.RollbackLock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * Runs rollback plans: blocking ({@link #run}), in the background ({@link #start}), as a dry run
 * ({@link #preview}), or from the journal of a run that crashed ({@link #resume}).
 *
 * <pre>{@code
 * RollbackRunner runner = RollbackRunner.builder()
 *     .journal(RunJournal.directory(Path.of("/var/lib/rollback/runs")))
 *     .lock(RollbackLock.directory(Path.of("/var/lib/rollback/locks"), Clock.systemUTC()))
 *     .listener(new ConsoleProgress(System.out))
 *     .build();
 * RollbackResult result = runner.run(plan);
 * }</pre>
 *
 * <p>A runner is thread-safe and meant to be shared; each run takes the service's lock, so two runs
 * for one service never overlap.
 *
 * @since 0.1.0
 */
public final class RollbackRunner {
  private static final RollbackLock JVM_WIDE_LOCK = new InProcessRollbackLock(Clock.systemUTC());
  private static final ExecutorService WORKERS = Executors.newCachedThreadPool(daemon("rollback-worker-"));
  private static final ScheduledExecutorService HEARTBEAT =
      Executors.newSingleThreadScheduledExecutor(daemon("rollback-lock-heartbeat-"));

  private final RunnerSettings settings;
  private final RunEngine engine;

  private RollbackRunner(RunnerSettings settings) {
    this.settings = settings;
    this.engine = new RunEngine(settings);
  }

  /**
   * A runner with the defaults: system clock and sleeper, in-memory journal, a JVM-wide in-process
   * lock, the global Micrometer registry, and an approval gate that denies.
   *
   * @return the runner
   */
  public static RollbackRunner create() {
    return builder().build();
  }

  /** @return a builder starting from the defaults of {@link #create()} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs a plan on the calling thread.
   *
   * @param plan the plan
   * @return how it ended; step failures are in the result, not thrown
   * @throws RollbackInProgressException when another run holds the service's lock
   * @throws RollbackException when the current version or the target cannot be read (nothing was
   *     changed then)
   */
  public RollbackResult run(RollbackPlan plan) {
    return engine.run(plan, newRunId(plan), new RunControl());
  }

  /**
   * Starts a plan on a background thread.
   *
   * @param plan the plan
   * @return the execution: its result, cancel, and listener registration
   */
  public RollbackExecution start(RollbackPlan plan) {
    String runId = newRunId(plan);
    RunControl control = new RunControl();
    CompletableFuture<RollbackResult> result = new CompletableFuture<>();
    Execution exec = new Execution(runId, control, result);
    WORKERS.execute(() -> {
      try {
        result.complete(engine.run(plan, runId, control));
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    });
    return exec;
  }

  /**
   * A dry run: reads the versions and asks every step what it would do. Takes no lock, writes no
   * journal, changes nothing.
   *
   * @param plan the plan
   * @return what would happen
   */
  public RollbackPreview preview(RollbackPlan plan) {
    return engine.preview(plan);
  }

  /**
   * Resumes a run from its journal after a crash: completed steps are skipped, an interrupted
   * idempotent step runs again, and an interrupted non-idempotent step makes the run end with
   * {@link RunOutcome#AWAITING_OPERATOR} until a {@link ResumeDecision} for it is given.
   *
   * @param plan the plan the run started with
   * @param runId the run's id
   * @param decisions decisions about the interrupted step, if one needs one
   * @return how it ended
   * @throws RollbackException with {@link ErrorCode#RUN_NOT_FOUND}, {@link ErrorCode#JOURNAL_MISMATCH}
   *     or {@link ErrorCode#RESUME_NOT_POSSIBLE} when it cannot be resumed
   */
  public RollbackResult resume(RollbackPlan plan, String runId, ResumeDecision... decisions) {
    return engine.resume(plan, RunIds.requireSafe("run id", runId), List.of(decisions), new RunControl());
  }

  /** @return the journal store runs are written to */
  public RunJournal journal() {
    return settings.journal();
  }

  private String newRunId(RollbackPlan plan) {
    Instant now = settings.clock().instant();
    return RunIds.requireSafe("generated run id", settings.runIds().apply(plan.service(), now));
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private record Execution(String runId, RunControl control, CompletableFuture<RollbackResult> future)
      implements RollbackExecution {
    @Override
    public CompletableFuture<RollbackResult> result() {
      return future;
    }

    @Override
    public void cancel() {
      control.cancel("cancelled by the caller");
    }

    @Override
    public void addListener(RollbackListener listener) {
      control.addListener(java.util.Objects.requireNonNull(listener, "listener"));
    }
  }

  /** Configures a {@link RollbackRunner}; problems are collected and reported at {@link #build()}. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private RunJournal journal;
    private RollbackLock lock;
    private Duration lockTtl = Duration.ofMinutes(2);
    private String owner = defaultOwner();
    private MeterRegistry meterRegistry;
    private ObservationRegistry observationRegistry;
    private ApprovalGate approvalGate = ApprovalGate.denyAll();
    private final List<RollbackListener> listeners = new ArrayList<>();
    private BiFunction<String, Instant, String> runIds = RunIds::next;
    private final List<String> problems = new ArrayList<>();

    private Builder() {}

    /**
     * @param clock the clock every time in a run is read from
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = check(clock, "clock", "Clock.systemUTC()");
      return this;
    }

    /**
     * @param sleeper the sleeper every wait in a run goes through
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = check(sleeper, "sleeper", "Sleeper.system()");
      return this;
    }

    /**
     * @param journal where runs are journaled; default in memory (no resume after a crash)
     * @return this builder
     */
    public Builder journal(RunJournal journal) {
      this.journal = check(journal, "journal", "RunJournal.directory(path)");
      return this;
    }

    /**
     * @param lock the lock that keeps runs for one service apart; default JVM-wide in-process
     * @return this builder
     */
    public Builder lock(RollbackLock lock) {
      this.lock = check(lock, "lock", "RollbackLock.directory(path, clock)");
      return this;
    }

    /**
     * @param ttl how long a lease lasts without renewal (renewed every third of it while the run
     *     lives); positive
     * @return this builder
     */
    public Builder lockTtl(Duration ttl) {
      if (ttl == null || ttl.isNegative() || ttl.isZero()) {
        problems.add("lockTtl must be positive, but was " + ttl + ": give e.g. Duration.ofMinutes(2)");
      } else {
        this.lockTtl = ttl;
      }
      return this;
    }

    /**
     * @param owner who runs (shown to a second run that finds the lock taken); default
     *     user@host:pid
     * @return this builder
     */
    public Builder owner(String owner) {
      if (owner == null || owner.isBlank()) {
        problems.add("owner must not be blank, but was " + (owner == null ? "null" : "'" + owner + "'"));
      } else {
        this.owner = owner;
      }
      return this;
    }

    /**
     * @param registry where run and step timers and counters go
     * @return this builder
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = check(registry, "meterRegistry", "new SimpleMeterRegistry()");
      return this;
    }

    /**
     * @param registry where run and step observations go; default: one that records into the
     *     meter registry when one was given
     * @return this builder
     */
    public Builder observationRegistry(ObservationRegistry registry) {
      this.observationRegistry = check(registry, "observationRegistry", "ObservationRegistry.create()");
      return this;
    }

    /**
     * @param gate where paused runs ask an operator; default denies
     * @return this builder
     */
    public Builder approvalGate(ApprovalGate gate) {
      this.approvalGate = check(gate, "approvalGate", "ApprovalGate.denyAll()");
      return this;
    }

    /**
     * @param listener receives the events of every run
     * @return this builder
     */
    public Builder listener(RollbackListener listener) {
      listeners.add(check(listener, "listener", "a RollbackListener"));
      return this;
    }

    /**
     * @param runIds makes a run id from the service and start time; ids must be safe as file names
     * @return this builder
     */
    public Builder runIds(BiFunction<String, Instant, String> runIds) {
      this.runIds = check(runIds, "runIds", "a function of service and time");
      return this;
    }

    private <T> T check(T value, String name, String example) {
      if (value == null) {
        problems.add(name + " must not be null: pass e.g. " + example);
      }
      return value;
    }

    /**
     * @return the runner
     * @throws RollbackException listing every problem
     */
    public RollbackRunner build() {
      if (!problems.isEmpty()) {
        throw RollbackException.invalid("invalid runner configuration", problems);
      }
      MeterRegistry meters = meterRegistry != null ? meterRegistry : Metrics.globalRegistry;
      ObservationRegistry observations = observationRegistry;
      if (observations == null) {
        if (meterRegistry != null) {
          observations = ObservationRegistry.create();
          observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meterRegistry));
        } else {
          observations = ObservationRegistry.NOOP;
        }
      }
      RunnerSettings s = new RunnerSettings(
          clock,
          sleeper,
          journal != null ? journal : RunJournal.inMemory(),
          lock != null ? lock : JVM_WIDE_LOCK,
          lockTtl,
          owner,
          meters,
          observations,
          approvalGate,
          listeners,
          runIds,
          WORKERS,
          HEARTBEAT);
      return new RollbackRunner(s);
    }

    private static String defaultOwner() {
      String host;
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        host = "unknown-host";
      }
      return System.getProperty("user.name", "unknown") + "@" + host + ":" + ProcessHandle.current().pid();
    }
  }

  @Override
  public String toString() {
    return "RollbackRunner[journal=" + settings.journal() + ", lock=" + settings.lock() + ", listeners="
        + Arrays.toString(settings.listeners().toArray()) + "]";
  }
}
