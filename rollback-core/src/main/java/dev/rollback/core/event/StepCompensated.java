package dev.rollback.core.event;

import dev.rollback.core.CompensationOutcome;
import java.time.Instant;

/**
 * A completed step's compensation ran.
 *
 * @param runId the run
 * @param at when
 * @param stepId the step
 * @param outcome how it ended
 * @param message its message or failure, secrets masked
 * @since 0.1.0
 */
public record StepCompensated(String runId, Instant at, String stepId, CompensationOutcome outcome, String message)
    implements RollbackEvent {}
