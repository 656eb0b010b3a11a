/**
 * The platform SPI: a {@link dev.rollback.core.strategy.RollbackStrategy} rolls one platform back,
 * and a {@link dev.rollback.core.strategy.RollbackStrategyProvider} registered in {@code
 * META-INF/services} makes it available by name.
 */
@NullMarked
package dev.rollback.core.strategy;

import org.jspecify.annotations.NullMarked;
