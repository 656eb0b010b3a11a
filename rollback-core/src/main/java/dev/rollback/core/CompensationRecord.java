package dev.rollback.core;

import java.time.Instant;

/**
 * One compensation as the result records it.
 *
 * @param stepId the step whose effect was undone
 * @param outcome how it ended
 * @param at when it ended
 * @param message its message or failure (secrets masked)
 * @since 0.1.0
 */
public record CompensationRecord(String stepId, CompensationOutcome outcome, Instant at, String message) {}
