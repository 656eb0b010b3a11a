package dev.rollback.core.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.ResumeDecision;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackPreview;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.journal.JournalReplay;
import java.util.List;

/** Starts, resumes and previews runs with one runner's settings. */
public final class RunEngine {
  private final RunnerSettings settings;

  /** @param settings the runner's settings */
  public RunEngine(RunnerSettings settings) {
    this.settings = settings;
  }

  /**
   * @param plan the plan
   * @param runId the new run's id
   * @param control its cancellation and listeners
   * @return the result
   */
  public RollbackResult run(RollbackPlan plan, String runId, RunControl control) {
    return new Run(settings, plan, runId, control).start();
  }

  /**
   * @param plan the plan the run started with
   * @param runId the run
   * @param decisions operator decisions
   * @param control its cancellation and listeners
   * @return the result
   */
  public RollbackResult resume(RollbackPlan plan, String runId, List<ResumeDecision> decisions, RunControl control) {
    JournalReplay replay = settings.journal().read(runId)
        .orElseThrow(() -> new RollbackException(ErrorCode.RUN_NOT_FOUND,
            "no journal for run " + runId + " in " + settings.journal() + "; known runs: " + settings.journal().runIds()));
    return new Run(settings, plan, runId, control).resume(replay, decisions);
  }

  /**
   * @param plan the plan
   * @return what it would do
   */
  public RollbackPreview preview(RollbackPlan plan) {
    return new Run(settings, plan, "preview", new RunControl()).preview();
  }
}
