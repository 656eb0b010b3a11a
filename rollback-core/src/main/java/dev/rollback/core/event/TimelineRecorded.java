package dev.rollback.core.event;

import dev.rollback.core.TimelineEntry;
import java.time.Instant;

/**
 * A step recorded an entry in the run's timeline.
 *
 * @param runId the run
 * @param at when
 * @param entry the entry
 * @since 0.1.0
 */
public record TimelineRecorded(String runId, Instant at, TimelineEntry entry) implements RollbackEvent {}
