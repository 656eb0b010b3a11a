package dev.rollback.benchmarks;

import dev.rollback.core.Phase;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.Step;
import dev.rollback.core.StepOutcome;
import dev.rollback.core.StepRecord;
import dev.rollback.core.StepResult;
import dev.rollback.core.journal.JournalReplay;
import dev.rollback.core.journal.JournalWriter;
import dev.rollback.core.journal.RunJournal;
import dev.rollback.core.lock.RollbackLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the runner costs per step when the steps themselves cost nothing: plans of no-op steps, run
 * start to finish with {@link RollbackRunner#run(RollbackPlan)}, lock and journal included.
 *
 * <ul>
 *   <li>{@code inMemory100Steps}, {@code inMemory1000Steps}: in-memory journal, score per step
 *       (target: under 20 µs per step).
 *   <li>{@code fileJournal1000Steps}: file journal (one fsync per step), score per whole plan of
 *       1,000 steps (target: under one second).
 * </ul>
 *
 * <p>Every invocation checks that the run succeeded and ran every step, so a broken runner fails the
 * benchmark instead of producing a fast score; once per trial a run is checked step by step and
 * against its journal. The step count is fixed per method because {@link OperationsPerInvocation}
 * takes a constant. The heap is fixed at 2 GiB so that results do not follow the machine's memory,
 * and touched at start-up: on a virtual machine the first touch of each heap page is slow, and
 * without {@code -XX:+AlwaysPreTouch} the in-memory runs took 10-20 µs per step for the first ten
 * seconds, instead of under 1 µs.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar}; see the module's README. The file
 * journal goes to a fresh folder under {@code java.io.tmpdir}; to measure another disk, add {@code
 * -jvmArgsPrepend -Djava.io.tmpdir=/path/on/that/disk} ({@code -jvmArgsAppend} on the command line
 * would replace the heap settings below).
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class RunnerOverheadBenchmark {

  static RollbackPlan noOpPlan(int steps) {
    RollbackPlan.Builder b = RollbackPlan.builder("bench").currentVersion("v2").target("v1");
    for (int i = 0; i < steps; i++) {
      b.step(Step.builder("s-" + i, Phase.VALIDATE).execute(ctx -> StepResult.succeeded()).idempotent(true).build());
    }
    return b.build();
  }

  static RollbackRunner runner(RunJournal journal) {
    return RollbackRunner.builder().journal(journal).lock(RollbackLock.inProcess(Clock.systemUTC())).build();
  }

  /** Cheap enough for every invocation: a broken run must not score. */
  static RollbackResult check(RollbackResult result, int steps) {
    if (result.outcome() != RunOutcome.SUCCEEDED || result.steps().size() != steps) {
      throw new IllegalStateException("benchmark run did not succeed with " + steps + " steps: outcome "
          + result.outcome() + ", " + result.steps().size() + " steps, failure " + result.failure());
    }
    return result;
  }

  /** Thorough, once per trial: every step succeeded and the journal holds what the run did. */
  static void verify(RollbackRunner runner, RollbackPlan plan) {
    int steps = plan.steps().size();
    RollbackResult result = check(runner.run(plan), steps);
    for (StepRecord r : result.steps()) {
      if (r.outcome() != StepOutcome.SUCCEEDED || r.attempts() != 1) {
        throw new IllegalStateException("step " + r.stepId() + " ended " + r.outcome() + " after " + r.attempts() + " attempts");
      }
    }
    JournalReplay replay = runner.journal().read(result.runId())
        .orElseThrow(() -> new IllegalStateException("run " + result.runId() + " is not in " + runner.journal()));
    // At least a start and a completion per step.
    if (replay.entries().size() < 2 * steps) {
      throw new IllegalStateException("journal of run " + result.runId() + " has " + replay.entries().size()
          + " entries for " + steps + " steps");
    }
  }

  /**
   * {@link RunJournal#inMemory()} behind a reference the benchmark swaps for an empty one, so the
   * runner can stay while the journal does not. Everything else is the in-memory journal's own.
   */
  static final class ResettableInMemoryJournal implements RunJournal {
    private RunJournal current = RunJournal.inMemory();

    void reset() {
      current = RunJournal.inMemory();
    }

    @Override
    public JournalWriter open(String runId) {
      return current.open(runId);
    }

    @Override
    public Optional<JournalReplay> read(String runId) {
      return current.read(runId);
    }

    @Override
    public List<String> runIds() {
      return current.runIds();
    }
  }

  /** A plan of no-op steps and a runner with an in-memory journal. */
  @State(Scope.Thread)
  public abstract static class InMemory {
    final ResettableInMemoryJournal journal = new ResettableInMemoryJournal();
    RollbackPlan plan;
    RollbackRunner runner;

    abstract int steps();

    @Setup(Level.Trial)
    public void setUp() {
      plan = noOpPlan(steps());
      runner = runner(journal);
      verify(runner, plan);
    }

    /**
     * The in-memory journal keeps every run it is given. Kept for a whole iteration (millions of
     * entries), collecting them took 55-80% of the measured time, so each run starts with an empty
     * journal. An invocation is a whole run of at least 100 steps, long enough for an
     * invocation-level setup to cost nothing measurable.
     */
    @Setup(Level.Invocation)
    public void emptyJournal() {
      journal.reset();
    }
  }

  /** 100 no-op steps, in-memory journal. */
  public static class InMemory100 extends InMemory {
    @Override
    int steps() {
      return 100;
    }
  }

  /** 1,000 no-op steps, in-memory journal. */
  public static class InMemory1000 extends InMemory {
    @Override
    int steps() {
      return 1000;
    }
  }

  /** 1,000 no-op steps and a runner with a file journal in a fresh temporary folder. */
  @State(Scope.Thread)
  public static class FileJournal1000 {
    static final int STEPS = 1000;
    Path folder;
    RollbackPlan plan;
    RollbackRunner runner;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      folder = Files.createTempDirectory("rollback-bench-journal-");
      plan = noOpPlan(STEPS);
      runner = runner(RunJournal.directory(folder));
      verify(runner, plan);
    }

    @TearDown(Level.Trial)
    public void deleteFolder() throws IOException {
      try (Stream<Path> paths = Files.walk(folder)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> {
          try {
            Files.delete(p);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }
    }
  }

  /**
   * @param s 100 no-op steps
   * @return the run's result
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @OperationsPerInvocation(100)
  public RollbackResult inMemory100Steps(InMemory100 s) {
    return check(s.runner.run(s.plan), 100);
  }

  /**
   * @param s 1,000 no-op steps
   * @return the run's result
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @OperationsPerInvocation(1000)
  public RollbackResult inMemory1000Steps(InMemory1000 s) {
    return check(s.runner.run(s.plan), 1000);
  }

  /**
   * One whole run per measurement: a run lasts about as long as a JMH iteration would.
   *
   * @param s 1,000 no-op steps, file journal
   * @return the run's result
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 5)
  @Measurement(iterations = 20)
  public RollbackResult fileJournal1000Steps(FileJournal1000 s) {
    return check(s.runner.run(s.plan), FileJournal1000.STEPS);
  }
}
