package dev.rollback.core.event;

import dev.rollback.core.Phase;
import java.time.Instant;

/**
 * A step attempt started.
 *
 * @param runId the run
 * @param at when
 * @param stepId the step
 * @param phase its phase
 * @param attempt 1 for the first attempt
 * @param index the step's position in the plan, from 1
 * @param total how many steps the plan has
 * @since 0.1.0
 */
public record StepStarted(String runId, Instant at, String stepId, Phase phase, int attempt, int index, int total)
    implements RollbackEvent {}
