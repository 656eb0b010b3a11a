package dev.rollback.core.metric;

import dev.rollback.core.Phase;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.Step;
import dev.rollback.core.StepResult;
import dev.rollback.core.support.TestClock;
import java.util.concurrent.atomic.AtomicReference;

/** Runs gates inside a real run (so they get a real StepContext), on a test clock or the system clock. */
public final class GateHarness {
  private GateHarness() {}

  /** A runner on the test clock: sleeps move the clock. */
  public static RollbackRunner runner(TestClock clock) {
    return RollbackRunner.builder().clock(clock).sleeper(clock.sleeper()).build();
  }

  /** A plan for the service "checkout" from v1.3.0 to v1.2.9 with the given steps. */
  public static RollbackResult run(RollbackRunner runner, Step... steps) {
    RollbackPlan.Builder plan = RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9");
    for (Step s : steps) {
      plan.step(s);
    }
    return runner.run(plan.build());
  }

  /** Evaluates a gate in a run and returns its result. */
  public static GateResult evaluate(RollbackRunner runner, MetricGate gate, Step... before) {
    AtomicReference<GateResult> result = new AtomicReference<>();
    Step[] steps = new Step[before.length + 1];
    System.arraycopy(before, 0, steps, 0, before.length);
    steps[before.length] = Step.builder("evaluate-" + gate.name(), Phase.VALIDATE)
        .execute(ctx -> {
          result.set(gate.evaluate(ctx));
          return StepResult.succeeded();
        })
        .build();
    RollbackResult r = run(runner, steps);
    if (result.get() == null) {
      throw new AssertionError("the gate was not evaluated: " + r.outcome() + " " + r.failure());
    }
    return result.get();
  }
}
