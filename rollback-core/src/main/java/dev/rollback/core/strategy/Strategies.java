package dev.rollback.core.strategy;

import dev.rollback.core.internal.StrategyRegistry;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Finds strategies by name. {@link #load} and {@link #available} use the providers found on the
 * class path through {@link java.util.ServiceLoader}; {@link #builder()} makes a set of providers
 * of your own, with discovery switched off if you like (the testkit does).
 *
 * <pre>{@code
 * RollbackStrategy k8s = Strategies.load("kubernetes", Map.of("deployment", "checkout"));
 * Strategies mine = Strategies.builder().discover(false).provider(new FakeProvider()).build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Strategies {
  private static volatile Strategies discovered;

  private final StrategyRegistry registry;

  private Strategies(StrategyRegistry registry) {
    this.registry = registry;
  }

  /** @return the providers on the class path, loaded once */
  public static Strategies discovered() {
    Strategies s = discovered;
    if (s == null) {
      synchronized (Strategies.class) {
        s = discovered;
        if (s == null) {
          s = builder().build();
          discovered = s;
        }
      }
    }
    return s;
  }

  /**
   * Creates a strategy by name from the providers on the class path.
   *
   * @param name the strategy's name
   * @param settings its settings
   * @return the strategy
   * @throws dev.rollback.core.RollbackException with {@link dev.rollback.core.ErrorCode#UNKNOWN_STRATEGY}
   *     listing the names that are available
   */
  public static RollbackStrategy load(String name, Map<String, String> settings) {
    return discovered().create(name, settings);
  }

  /** @return the names available on the class path, sorted */
  public static List<String> available() {
    return discovered().names();
  }

  /** @return a builder for a set of providers */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @param name the strategy's name
   * @param settings its settings
   * @return the strategy
   * @throws dev.rollback.core.RollbackException when no provider has that name
   */
  public RollbackStrategy create(String name, Map<String, String> settings) {
    return registry.create(name, settings);
  }

  /**
   * @param name a strategy name
   * @return whether a provider has it
   */
  public boolean has(String name) {
    return registry.has(name);
  }

  /** @return the names available, sorted */
  public List<String> names() {
    return registry.names();
  }

  /** Builds a set of providers. */
  public static final class Builder {
    private boolean discover = true;
    private ClassLoader classLoader;
    private final List<RollbackStrategyProvider> providers = new java.util.ArrayList<>();

    private Builder() {}

    /**
     * @param discover whether to add the providers found by {@link java.util.ServiceLoader}
     * @return this builder
     */
    public Builder discover(boolean discover) {
      this.discover = discover;
      return this;
    }

    /**
     * @param classLoader where to look for providers; default: the thread's context class loader
     * @return this builder
     */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
      return this;
    }

    /**
     * @param provider a provider to add in code
     * @return this builder
     */
    public Builder provider(RollbackStrategyProvider provider) {
      providers.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * @return the set
     * @throws dev.rollback.core.RollbackException with {@link
     *     dev.rollback.core.ErrorCode#DUPLICATE_PROVIDER} when two providers share a name and a
     *     priority
     */
    public Strategies build() {
      ClassLoader cl = classLoader;
      if (cl == null) {
        cl = Thread.currentThread().getContextClassLoader();
      }
      if (cl == null) {
        cl = Strategies.class.getClassLoader();
      }
      return new Strategies(StrategyRegistry.of(discover ? cl : null, providers));
    }
  }
}
