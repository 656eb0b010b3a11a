package dev.rollback.core.event;

import java.time.Instant;
import java.util.List;

/**
 * A run started (or resumed).
 *
 * @param runId the run
 * @param at when
 * @param service the service
 * @param fromVersion the version running now
 * @param toVersion the target
 * @param stepIds the plan's steps in run order
 * @param resumed true when this continues a run from its journal
 * @since 0.1.0
 */
public record RunStarted(
    String runId, Instant at, String service, String fromVersion, String toVersion, List<String> stepIds, boolean resumed)
    implements RollbackEvent {
  /** Copies the list. */
  public RunStarted {
    stepIds = List.copyOf(stepIds);
  }
}
