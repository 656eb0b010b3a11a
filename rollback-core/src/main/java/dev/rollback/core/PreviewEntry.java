package dev.rollback.core;

/**
 * What one step would do.
 *
 * @param stepId the step
 * @param phase its phase
 * @param description what it would do
 * @param idempotent whether it may be repeated safely
 * @param policy its policy
 * @since 0.1.0
 */
public record PreviewEntry(String stepId, Phase phase, String description, boolean idempotent, StepPolicy policy) {}
