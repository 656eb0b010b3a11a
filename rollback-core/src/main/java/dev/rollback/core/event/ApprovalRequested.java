package dev.rollback.core.event;

import java.time.Instant;

/**
 * A paused run asks an operator what to do with a failed step.
 *
 * @param runId the run
 * @param at when
 * @param stepId the step
 * @param failure the failure, secrets masked
 * @param deadline when the runner stops waiting and aborts
 * @since 0.1.0
 */
public record ApprovalRequested(String runId, Instant at, String stepId, String failure, Instant deadline)
    implements RollbackEvent {}
