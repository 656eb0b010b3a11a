package dev.rollback.core;

import java.time.Instant;
import java.util.Map;

/**
 * One line of the run's timeline: what happened, when, with supporting facts. The incident report
 * is written from these.
 *
 * @param at when
 * @param stepId the step that recorded it
 * @param message what happened
 * @param facts supporting facts
 * @since 0.1.0
 */
public record TimelineEntry(Instant at, String stepId, String message, Map<String, String> facts) {
  /** Copies the map. */
  public TimelineEntry {
    facts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(facts));
  }
}
