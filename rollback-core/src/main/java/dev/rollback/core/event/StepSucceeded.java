package dev.rollback.core.event;

import dev.rollback.core.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A step finished without throwing (succeeded, skipped or warned).
 *
 * @param runId the run
 * @param at when
 * @param stepId the step
 * @param status how it ended
 * @param message its message
 * @param facts its facts
 * @param took how long the step took, all attempts together
 * @since 0.1.0
 */
public record StepSucceeded(
    String runId, Instant at, String stepId, StepStatus status, String message, Map<String, String> facts, Duration took)
    implements RollbackEvent {
  /** Copies the map. */
  public StepSucceeded {
    facts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(facts));
  }
}
