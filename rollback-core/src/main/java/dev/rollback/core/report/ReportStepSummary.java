package dev.rollback.core.report;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one step of the plan did, as far as the journal tells.
 *
 * @param stepId the step
 * @param phase its phase's name, {@code UNKNOWN} when the journal does not say
 * @param outcome SUCCEEDED, SKIPPED, WARNED, DEGRADED, FAILED, RUNNING (started, not ended) or
 *     NOT_RUN
 * @param attempts how many attempts started
 * @param startedAt when its first attempt started, or null
 * @param endedAt when it ended, or null
 * @param message its last message or error, "" when none
 * @param compensation how its compensation ended (COMPENSATED, NOTHING_TO_UNDO, FAILED), or null
 *     when it was not compensated
 * @param compensationMessage the compensation's message, "" when none
 * @since 0.1.0
 */
public record ReportStepSummary(String stepId, String phase, String outcome, int attempts, @Nullable Instant startedAt,
    @Nullable Instant endedAt, String message, @Nullable String compensation, String compensationMessage) {
  /** Checks the components. */
  public ReportStepSummary {
    Objects.requireNonNull(stepId, "stepId");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(compensationMessage, "compensationMessage");
  }
}
