package dev.rollback.core.event;

import java.time.Instant;

/**
 * A long step reported progress.
 *
 * @param runId the run
 * @param at when
 * @param stepId the step
 * @param message what is happening
 * @param fraction done so far, 0 to 1, negative when unknown
 * @since 0.1.0
 */
public record StepProgress(String runId, Instant at, String stepId, String message, double fraction)
    implements RollbackEvent {}
