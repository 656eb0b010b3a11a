package dev.rollback.core.event;

import java.time.Instant;

/**
 * A step attempt failed.
 *
 * @param runId the run
 * @param at when
 * @param stepId the step
 * @param attempt which attempt failed
 * @param error the failure, secrets masked
 * @param next what happens now: {@code RETRY}, {@code ABORT}, {@code CONTINUE}, {@code PAUSE}
 * @since 0.1.0
 */
public record StepFailed(String runId, Instant at, String stepId, int attempt, String error, String next)
    implements RollbackEvent {}
