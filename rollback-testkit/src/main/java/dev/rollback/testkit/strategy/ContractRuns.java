package dev.rollback.testkit.strategy;

import dev.rollback.core.Phase;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.strategy.RollbackStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Runs strategy calls the way a runbook does: inside a real run of a {@link RollbackRunner}, so that
 * the strategy gets a real {@link StepContext} (run id, clock, sleeper, timeline, cancellation).
 */
final class ContractRuns {
  static final String SERVICE = "contract-kit";

  private final RollbackRunner runner;

  ContractRuns(RollbackRunner runner) {
    this.runner = runner;
  }

  /** One call of the strategy inside a step, with what it returned or threw, and the run around it. */
  record Call<T>(RollbackResult run, @Nullable T value, @Nullable Exception thrown) {
    /** @return the messages of the exception and its causes, joined; empty when nothing was thrown */
    String thrownMessages() {
      return messages(thrown);
    }
  }

  /** A strategy call made with the step's context. */
  @FunctionalInterface
  interface Action<T> {
    @Nullable T run(StepContext ctx) throws Exception;
  }

  /**
   * Runs {@code action} as the only step of a plan from {@code from} to {@code to}.
   *
   * @param what a step id suffix
   */
  <T> Call<T> call(String what, String from, String to, Action<T> action) {
    AtomicReference<@Nullable T> value = new AtomicReference<>();
    AtomicReference<@Nullable Exception> thrown = new AtomicReference<>();
    Step step = Step.builder("contract-" + what, Phase.PLATFORM_ROLLBACK)
        .execute(ctx -> {
          try {
            value.set(action.run(ctx));
          } catch (Exception e) {
            thrown.set(e);
            throw e;
          }
          return StepResult.succeeded(what);
        })
        .build();
    RollbackResult run = runner.run(RollbackPlan.builder(SERVICE).currentVersion(from).target(to).step(step).build());
    return new Call<>(run, value.get(), thrown.get());
  }

  /** Runs a plan from {@code from} to {@code to} whose only step is the strategy, as runbooks add it. */
  RollbackResult plan(String from, String to, RollbackStrategy strategy) {
    return runner.run(RollbackPlan.builder(SERVICE).currentVersion(from).target(to).strategy(strategy).build());
  }

  static String messages(@Nullable Throwable thrown) {
    List<String> all = new ArrayList<>();
    for (Throwable t = thrown; t != null && all.size() < 10; t = t.getCause()) {
      all.add(t.getClass().getSimpleName() + ": " + t.getMessage());
    }
    return String.join(" / caused by ", all);
  }

  /** Describes a run for assertion messages. */
  static String describe(RollbackResult run) {
    StringBuilder sb = new StringBuilder("run ").append(run.outcome());
    run.failureMessage().ifPresent(f -> sb.append(": ").append(f));
    run.steps().forEach(s -> sb.append("\n  step ").append(s.stepId()).append(' ').append(s.outcome()).append(": ").append(s.message()));
    run.timeline().forEach(t -> sb.append("\n  timeline: ").append(t.message()));
    return sb.toString();
  }
}
