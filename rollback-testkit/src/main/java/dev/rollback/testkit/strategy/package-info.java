/**
 * A compatibility kit for {@link dev.rollback.core.strategy.RollbackStrategy} implementations: a
 * strategy's tests extend {@link dev.rollback.testkit.strategy.RollbackStrategyContract} and provide
 * a {@link dev.rollback.testkit.strategy.StrategyFixture} that sets up a real (or simulated)
 * platform with three releases, and the contract checks that the strategy reads the history, rolls
 * back, refuses, waits and reports failures the way every strategy must.
 *
 * <pre>{@code
 * class SymlinkStrategyContractTest extends RollbackStrategyContract {
 *   @TempDir Path root;
 *
 *   @Override
 *   protected StrategyFixture createFixture() {
 *     return new SymlinkFixture(root);
 *   }
 * }
 * }</pre>
 */
@NullMarked
package dev.rollback.testkit.strategy;

import org.jspecify.annotations.NullMarked;
