package dev.rollback.core.event;

import java.time.Instant;

/**
 * Something that happened in a run. Every event carries the run id and the time on the run's
 * clock. Text in events has secrets masked.
 *
 * @since 0.1.0
 */
public sealed interface RollbackEvent
    permits RunStarted,
        StepStarted,
        StepProgress,
        StepSucceeded,
        StepFailed,
        StepSkipped,
        StepCompensated,
        ApprovalRequested,
        ApprovalAnswered,
        TimelineRecorded,
        RunFinished {

  /** @return the run's id */
  String runId();

  /** @return when it happened, on the run's clock */
  Instant at();
}
