package dev.rollback.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How a run ended, with every step, compensation, warning and timeline entry.
 *
 * @param runId the run
 * @param service the service
 * @param fromVersion the version running when the run started
 * @param toVersion the target
 * @param outcome how it ended
 * @param steps every step of the plan, in run order
 * @param compensations compensations, in the order they ran
 * @param warnings warnings, secrets masked
 * @param timeline timeline entries recorded by steps
 * @param failure what failed, when the outcome is not a success (secrets masked)
 * @param startedAt when the run started
 * @param finishedAt when it ended
 * @since 0.1.0
 */
public record RollbackResult(
    String runId,
    String service,
    String fromVersion,
    String toVersion,
    RunOutcome outcome,
    List<StepRecord> steps,
    List<CompensationRecord> compensations,
    List<String> warnings,
    List<TimelineEntry> timeline,
    @Nullable String failure,
    Instant startedAt,
    Instant finishedAt) {

  /** Copies the lists. */
  public RollbackResult {
    steps = List.copyOf(steps);
    compensations = List.copyOf(compensations);
    warnings = List.copyOf(warnings);
    timeline = List.copyOf(timeline);
  }

  /** @return true when the outcome is {@link RunOutcome#SUCCEEDED} */
  public boolean succeeded() {
    return outcome == RunOutcome.SUCCEEDED;
  }

  /**
   * @param stepId a step's id
   * @return its record, if the plan has it
   */
  public Optional<StepRecord> step(String stepId) {
    return steps.stream().filter(s -> s.stepId().equals(stepId)).findFirst();
  }

  /** @return the failure, when there was one */
  public Optional<String> failureMessage() {
    return Optional.ofNullable(failure);
  }

  /** @return how long the run took */
  public Duration duration() {
    return Duration.between(startedAt, finishedAt);
  }
}
