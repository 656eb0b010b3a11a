package dev.rollback.db;

import dev.rollback.core.Phase;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import java.util.concurrent.atomic.AtomicReference;

/** Runs one action as the single step of a real run, to give it a real {@link StepContext}. */
final class StepRuns {
  private StepRuns() {}

  @FunctionalInterface
  interface Action {
    void run(StepContext ctx) throws Exception;
  }

  /** The run's result and what the action threw, if anything. */
  record Outcome(RollbackResult result, Exception thrown) {}

  static Outcome run(String service, Action action) {
    AtomicReference<Exception> thrown = new AtomicReference<>();
    RollbackPlan plan = RollbackPlan.builder(service).currentVersion("v2").target("v1")
        .step(Step.builder("migrate-down", Phase.DATABASE_ROLLBACK).execute(ctx -> {
          try {
            action.run(ctx);
          } catch (Exception e) {
            thrown.set(e);
            throw e;
          }
          return StepResult.succeeded();
        }).build())
        .build();
    RollbackResult result = RollbackRunner.builder().build().run(plan);
    return new Outcome(result, thrown.get());
  }
}
