package dev.rollback.core.strategy;

import java.util.Map;

/**
 * Makes a {@link RollbackStrategy} available by name. Register implementations in {@code
 * META-INF/services/dev.rollback.core.strategy.RollbackStrategyProvider}; {@link Strategies} finds
 * them through {@link java.util.ServiceLoader}.
 *
 * @since 0.1.0
 */
public interface RollbackStrategyProvider {

  /** @return the name runbooks use, e.g. {@code kubernetes} */
  String name();

  /** @return when two providers share a name, the higher priority wins; default 0 */
  default int priority() {
    return 0;
  }

  /** @return false to stand aside (for example when a required tool is missing) */
  default boolean enabled() {
    return true;
  }

  /**
   * Creates a strategy from settings.
   *
   * @param settings the runbook's settings, e.g. {@code deployment=checkout, namespace=prod}
   * @return the strategy
   * @throws dev.rollback.core.RollbackException naming each bad or missing setting
   */
  RollbackStrategy create(Map<String, String> settings);
}
