/**
 * Health and metrics: the {@link dev.rollback.core.health.HealthCheck} and {@link
 * dev.rollback.core.health.MetricSource} SPIs that assessment, validation and monitoring read.
 */
@NullMarked
package dev.rollback.core.health;

import org.jspecify.annotations.NullMarked;
