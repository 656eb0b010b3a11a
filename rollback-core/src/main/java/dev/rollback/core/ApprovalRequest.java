package dev.rollback.core;

import java.time.Instant;

/**
 * What the runner asks the {@link ApprovalGate} when a step with {@link FailureAction#PAUSE} fails.
 *
 * @param runId the run
 * @param service the service
 * @param stepId the step that failed
 * @param failure the failure, secrets masked
 * @param deadline when the runner stops waiting and aborts
 * @since 0.1.0
 */
public record ApprovalRequest(String runId, String service, String stepId, String failure, Instant deadline) {}
