package dev.rollback.testkit.strategy;

import dev.rollback.core.StepContext;
import dev.rollback.core.strategy.Convergence;
import dev.rollback.core.strategy.PlatformState;
import dev.rollback.core.strategy.Revision;
import dev.rollback.core.strategy.RollbackRequest;
import dev.rollback.core.strategy.RollbackStrategy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A platform in memory (releases with revision numbers, the running one, a restart counter) with a
 * strategy that meets the contract, and ways to break that strategy one rule at a time, to show that
 * the contract catches each.
 */
class InMemoryPlatform implements StrategyFixture {
  /** One way to get the contract wrong. */
  enum Mistake {
    NONE,
    HISTORY_WITH_THE_RUNNING_RELEASE,
    HISTORY_OLDEST_FIRST,
    INSPECT_COUNTS_ITSELF,
    ALWAYS_TO_THE_PREVIOUS_RELEASE,
    MISREADS_THE_REVISION,
    RESTARTS_WHEN_ALREADY_RUNNING,
    SILENT_WHEN_ALREADY_RUNNING,
    MISSING_TARGET_WITHOUT_ALTERNATIVES,
    MISSING_TARGET_FALLS_BACK_TO_PREVIOUS,
    CONVERGED_WITHOUT_LOOKING,
    FAILURE_WITHOUT_REASON
  }

  private static final Instant RELEASED = Instant.parse("2025-12-01T09:00:00Z");

  private final Mistake mistake;
  private final Set<StrategyCapability> capabilities;
  private final Map<String, Integer> revisions = new LinkedHashMap<>();
  private final List<Instant> releasedAt = new ArrayList<>();
  private String running = "";
  private int restarts;
  private int reads;
  private @Nullable String broken;

  InMemoryPlatform(Mistake mistake, Set<StrategyCapability> capabilities) {
    this.mistake = mistake;
    this.capabilities = Set.copyOf(capabilities);
  }

  InMemoryPlatform(Mistake mistake) {
    this(mistake, EnumSet.allOf(StrategyCapability.class));
  }

  /** What the fixture sees; two are equal when nothing changed. */
  record Snapshot(Map<String, Integer> revisions, String running, int restarts, int reads, @Nullable String broken) {}

  @Override
  public void release(List<String> versions) {
    for (String v : versions) {
      revisions.put(v, revisions.size() + 1);
      releasedAt.add(RELEASED.plus(Duration.ofDays(releasedAt.size())));
      running = v;
    }
  }

  @Override
  public RollbackStrategy strategy() {
    return new Strategy();
  }

  @Override
  public List<String> runningVersions() {
    return List.of(running);
  }

  @Override
  public Object snapshot() {
    return new Snapshot(Map.copyOf(revisions), running, restarts, reads, broken);
  }

  @Override
  public String failNextRollout() {
    broken = "image pull back-off: manifest unknown";
    return "manifest unknown";
  }

  @Override
  public void remove(String version) {
    revisions.remove(version);
  }

  @Override
  public Set<StrategyCapability> capabilities() {
    return capabilities;
  }

  private final class Strategy implements RollbackStrategy {
    @Override
    public String name() {
      return "in-memory";
    }

    @Override
    public PlatformState inspect() {
      if (mistake == Mistake.INSPECT_COUNTS_ITSELF) {
        reads++;
      }
      List<Revision> history = new ArrayList<>();
      List<String> versions = new ArrayList<>(revisions.keySet());
      for (int i = versions.size() - 1; i >= 0; i--) {
        String v = versions.get(i);
        if (!v.equals(running) || mistake == Mistake.HISTORY_WITH_THE_RUNNING_RELEASE) {
          int n = revisions.get(v);
          history.add(new Revision(String.valueOf(n), v, releasedAt.get(n - 1), Map.of()));
        }
      }
      if (mistake == Mistake.HISTORY_OLDEST_FIRST) {
        java.util.Collections.reverse(history);
      }
      return new PlatformState(running, history);
    }

    @Override
    public void rollback(RollbackRequest request, StepContext ctx) {
      String target = request.toVersion();
      if (request.revision() != null && mistake != Mistake.MISREADS_THE_REVISION) {
        target = revisions.entrySet().stream()
            .filter(e -> String.valueOf(e.getValue()).equals(request.revision()))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no revision " + request.revision() + "; revisions: " + revisions));
      } else if (mistake == Mistake.MISREADS_THE_REVISION && request.revision() != null) {
        target = previous();
      }
      if (mistake == Mistake.ALWAYS_TO_THE_PREVIOUS_RELEASE) {
        target = previous();
      }
      if (!revisions.containsKey(target)) {
        if (mistake == Mistake.MISSING_TARGET_FALLS_BACK_TO_PREVIOUS) {
          target = previous();
        } else if (mistake == Mistake.MISSING_TARGET_WITHOUT_ALTERNATIVES) {
          throw new IllegalArgumentException("release '" + target + "' does not exist");
        } else {
          throw new IllegalArgumentException("release '" + target + "' does not exist; releases: " + revisions.keySet());
        }
      }
      if (target.equals(running) && mistake != Mistake.RESTARTS_WHEN_ALREADY_RUNNING) {
        if (mistake != Mistake.SILENT_WHEN_ALREADY_RUNNING) {
          ctx.record(target + " already runs: nothing to roll back", Map.of());
        }
        return;
      }
      running = target;
      restarts++;
    }

    private String previous() {
      List<String> versions = new ArrayList<>(revisions.keySet());
      return versions.get(Math.max(0, versions.indexOf(running) - 1));
    }

    @Override
    public Convergence awaitConvergence(Duration timeout, StepContext ctx) throws InterruptedException {
      if (mistake == Mistake.CONVERGED_WITHOUT_LOOKING) {
        return Convergence.reached("done");
      }
      if (broken != null) {
        return Convergence.notReached(mistake == Mistake.FAILURE_WITHOUT_REASON ? "not ready" : "0/1 ready: " + broken);
      }
      boolean ok = ctx.await("in-memory on " + ctx.toVersion(), () -> running.equals(ctx.toVersion()), timeout, Duration.ofSeconds(1));
      return ok ? Convergence.reached("1/1 on " + ctx.toVersion()) : Convergence.notReached("runs " + running + ", not " + ctx.toVersion());
    }
  }
}
