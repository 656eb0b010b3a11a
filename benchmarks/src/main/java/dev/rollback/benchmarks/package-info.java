/**
 * JMH benchmarks of the runner's own cost: what {@link dev.rollback.core.RollbackRunner} adds around
 * steps that do nothing, with the in-memory and the file journal.
 */
@NullMarked
package dev.rollback.benchmarks;

import org.jspecify.annotations.NullMarked;
