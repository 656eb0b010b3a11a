package dev.rollback.core.internal;

import dev.rollback.core.Phase;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.strategy.Convergence;
import dev.rollback.core.strategy.PlatformState;
import dev.rollback.core.strategy.RollbackRequest;
import dev.rollback.core.strategy.RollbackStrategy;
import java.util.Map;

/** Runs a {@link RollbackStrategy} as the plan's platform rollback: inspect, roll back, await. */
public final class PlatformRollbackStep implements Step {
  private final String id;
  private final RollbackStrategy strategy;

  /**
   * @param id the step id
   * @param strategy the strategy
   */
  public PlatformRollbackStep(String id, RollbackStrategy strategy) {
    this.id = id;
    this.strategy = strategy;
  }

  /** @return the strategy */
  public RollbackStrategy strategy() {
    return strategy;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Phase phase() {
    return Phase.PLATFORM_ROLLBACK;
  }

  @Override
  public StepResult execute(StepContext ctx) throws Exception {
    PlatformState before = strategy.inspect();
    ctx.record(
        strategy.name() + " runs " + before.currentVersion() + " before the rollback",
        Map.of("strategy", strategy.name(), "running", before.currentVersion(), "history", String.valueOf(before.history().size())));
    strategy.rollback(new RollbackRequest(ctx.fromVersion(), ctx.toVersion(), null), ctx);
    Convergence c = strategy.awaitConvergence(strategy.convergenceTimeout(), ctx);
    if (!c.converged()) {
      throw new IllegalStateException(
          strategy.name() + " did not converge on " + ctx.toVersion() + " within " + strategy.convergenceTimeout() + ": " + c.message());
    }
    StepResult r = StepResult.succeeded(strategy.name() + " rolled back to " + ctx.toVersion() + ": " + c.message())
        .withFact("strategy", strategy.name())
        .withFact("from", before.currentVersion())
        .withFact("to", ctx.toVersion());
    for (Map.Entry<String, String> f : c.facts().entrySet()) {
      r = r.withFact(f.getKey(), f.getValue());
    }
    return r;
  }

  @Override
  public String preview(StepContext ctx) {
    return "would roll back " + ctx.service() + " with strategy '" + strategy.name() + "' from " + ctx.fromVersion() + " to "
        + ctx.toVersion() + " and wait up to " + strategy.convergenceTimeout() + " for it to converge";
  }
}
