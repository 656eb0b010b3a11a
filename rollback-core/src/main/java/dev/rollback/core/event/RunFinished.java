package dev.rollback.core.event;

import dev.rollback.core.RunOutcome;
import java.time.Duration;
import java.time.Instant;

/**
 * A run ended.
 *
 * @param runId the run
 * @param at when
 * @param outcome how it ended
 * @param message one line for people
 * @param took how long the run took
 * @since 0.1.0
 */
public record RunFinished(String runId, Instant at, RunOutcome outcome, String message, Duration took)
    implements RollbackEvent {}
