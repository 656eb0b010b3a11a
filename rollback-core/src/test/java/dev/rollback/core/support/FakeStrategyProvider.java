package dev.rollback.core.support;

import dev.rollback.core.StepContext;
import dev.rollback.core.strategy.Convergence;
import dev.rollback.core.strategy.PlatformState;
import dev.rollback.core.strategy.RollbackRequest;
import dev.rollback.core.strategy.RollbackStrategy;
import dev.rollback.core.strategy.RollbackStrategyProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A provider whose strategy keeps the "running version" in memory, for discovery tests. */
public class FakeStrategyProvider implements RollbackStrategyProvider {
  private final String name;
  private final int priority;

  public FakeStrategyProvider() {
    this("test-platform", 0);
  }

  public FakeStrategyProvider(String name) {
    this(name, 0);
  }

  public FakeStrategyProvider(String name, int priority) {
    this.name = name;
    this.priority = priority;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int priority() {
    return priority;
  }

  @Override
  public RollbackStrategy create(Map<String, String> settings) {
    return new InMemoryPlatform(name, settings.getOrDefault("running", "v2"));
  }

  /** A platform that switches versions when asked and converges after a few polls. */
  public static final class InMemoryPlatform implements RollbackStrategy {
    private final String name;
    private volatile String running;
    private volatile int pollsUntilReady;
    public final List<RollbackRequest> requests = new ArrayList<>();

    public InMemoryPlatform(String name, String running) {
      this.name = name;
      this.running = running;
    }

    @Override
    public String name() {
      return name;
    }

    public String running() {
      return running;
    }

    @Override
    public PlatformState inspect() {
      return new PlatformState(running, List.of());
    }

    @Override
    public void rollback(RollbackRequest request, StepContext ctx) {
      requests.add(request);
      running = request.toVersion();
      pollsUntilReady = 3;
    }

    @Override
    public Convergence awaitConvergence(Duration timeout, StepContext ctx) throws InterruptedException {
      boolean ok = ctx.await("rollout of " + name, () -> pollsUntilReady-- <= 0, timeout, Duration.ofSeconds(5));
      return ok ? Convergence.reached("running " + running) : Convergence.notReached("still rolling");
    }
  }
}
