package dev.rollback.core;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One step as the result records it.
 *
 * @param stepId the step
 * @param phase its phase
 * @param outcome how it ended
 * @param attempts how many attempts ran (0 when not run)
 * @param startedAt when the first attempt started, if it ran
 * @param finishedAt when it ended, if it ran
 * @param message its message, or its failure (secrets masked)
 * @param facts its facts
 * @since 0.1.0
 */
public record StepRecord(
    String stepId,
    Phase phase,
    StepOutcome outcome,
    int attempts,
    @Nullable Instant startedAt,
    @Nullable Instant finishedAt,
    String message,
    Map<String, String> facts) {
  /** Copies the map. */
  public StepRecord {
    facts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(facts));
  }
}
