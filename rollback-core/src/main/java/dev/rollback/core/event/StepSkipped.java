package dev.rollback.core.event;

import java.time.Instant;

/**
 * A step was not run: it completed in an earlier attempt of this run, or an operator chose to skip
 * it.
 *
 * @param runId the run
 * @param at when
 * @param stepId the step
 * @param reason why
 * @since 0.1.0
 */
public record StepSkipped(String runId, Instant at, String stepId, String reason) implements RollbackEvent {}
