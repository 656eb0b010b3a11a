package dev.rollback.core.event;

import dev.rollback.core.ApprovalDecision;
import java.time.Instant;

/**
 * The answer to an approval request (or the abort that replaced a late one).
 *
 * @param runId the run
 * @param at when
 * @param stepId the step
 * @param decision the decision
 * @since 0.1.0
 */
public record ApprovalAnswered(String runId, Instant at, String stepId, ApprovalDecision decision)
    implements RollbackEvent {}
