package dev.rollback.core.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.strategy.RollbackStrategy;
import dev.rollback.core.strategy.RollbackStrategyProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Providers by name; the highest priority wins, and a tie fails fast naming both classes. */
public final class StrategyRegistry {
  /** Which module provides the strategies users ask for most, for the "not found" message. */
  private static final Map<String, String> MODULE_HINTS =
      Map.ofEntries(
          Map.entry("kubernetes", "rollback-k8s"),
          Map.entry("kubernetes-deployment", "rollback-k8s"),
          Map.entry("kubernetes-statefulset", "rollback-k8s"),
          Map.entry("kubernetes-daemonset", "rollback-k8s"),
          Map.entry("swarm", "rollback-docker"),
          Map.entry("docker-swarm", "rollback-docker"),
          Map.entry("container", "rollback-docker"),
          Map.entry("docker-container", "rollback-docker"),
          Map.entry("blue-green", "rollback-traffic"),
          Map.entry("symlink", "rollback-host"),
          Map.entry("rolling", "rollback-host"));

  private final Map<String, RollbackStrategyProvider> byName;

  private StrategyRegistry(Map<String, RollbackStrategyProvider> byName) {
    this.byName = byName;
  }

  /**
   * @param discoverFrom class loader to run {@link ServiceLoader} on, or null for none
   * @param explicit providers added in code
   * @return the registry
   */
  public static StrategyRegistry of(@Nullable ClassLoader discoverFrom, List<RollbackStrategyProvider> explicit) {
    List<RollbackStrategyProvider> all = new ArrayList<>();
    if (discoverFrom != null) {
      try {
        for (RollbackStrategyProvider p : ServiceLoader.load(RollbackStrategyProvider.class, discoverFrom)) {
          all.add(p);
        }
      } catch (ServiceConfigurationError e) {
        throw new RollbackException(
            ErrorCode.UNKNOWN_STRATEGY, "a strategy provider on the class path could not be loaded: " + e.getMessage(), e);
      }
    }
    all.addAll(explicit);
    Map<String, RollbackStrategyProvider> byName = new TreeMap<>();
    for (RollbackStrategyProvider p : all) {
      if (!p.enabled()) {
        continue;
      }
      String name = p.name();
      if (name == null || name.isBlank()) {
        throw new RollbackException(ErrorCode.DUPLICATE_PROVIDER, "strategy provider " + p.getClass().getName() + " has a blank name");
      }
      RollbackStrategyProvider existing = byName.get(name);
      if (existing == null || p.priority() > existing.priority()) {
        byName.put(name, p);
      } else if (p.priority() == existing.priority() && existing != p) {
        throw new RollbackException(
            ErrorCode.DUPLICATE_PROVIDER,
            "two strategy providers claim '" + name + "' at priority " + p.priority() + ": " + existing.getClass().getName()
                + " and " + p.getClass().getName() + "; remove one from the class path or give one a higher priority()");
      }
    }
    return new StrategyRegistry(byName);
  }

  /**
   * @param name a name
   * @return whether a provider has it
   */
  public boolean has(String name) {
    return byName.containsKey(name);
  }

  /** @return the names, sorted */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /**
   * @param name a name
   * @return the message for a name nobody provides
   */
  public String unknownMessage(String name) {
    String hint = MODULE_HINTS.get(name);
    return "no strategy '" + name + "'"
        + (hint == null ? ": add the module that provides it to the class path" : ": add " + hint + " to the class path")
        + "; available: " + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet()));
  }

  /**
   * @param name a name
   * @param settings settings
   * @return the strategy
   */
  public RollbackStrategy create(String name, Map<String, String> settings) {
    RollbackStrategyProvider p = byName.get(name);
    if (p == null) {
      throw new RollbackException(ErrorCode.UNKNOWN_STRATEGY, unknownMessage(name));
    }
    return p.create(Map.copyOf(settings));
  }
}
