/**
 * The public API of Rollback: build a {@link dev.rollback.core.RollbackPlan}, run it with a {@link
 * dev.rollback.core.RollbackRunner}, and extend it with {@link dev.rollback.core.Step}s.
 *
 * <p>Everything under {@code dev.rollback.core.internal} is implementation and may change without
 * notice.
 */
@NullMarked
package dev.rollback.core;

import org.jspecify.annotations.NullMarked;
