package dev.rollback.core.internal;

import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.StepStatus;
import dev.rollback.core.decision.Severity;
import dev.rollback.core.notify.Incident;

/**
 * Finds the run's incident for the progress and status steps. When the plan has no open-incident
 * step, a stand-in (SEV3, owner "unassigned", opened now) lets the message still go out, and the
 * step warns.
 */
final class IncidentLookup {
  private IncidentLookup() {}

  /**
   * @param incident the incident
   * @param standIn true when no step opened one
   */
  record Found(Incident incident, boolean standIn) {}

  static Found find(StepContext ctx) {
    return ctx.get(Incident.KEY)
        .map(i -> new Found(i, false))
        .orElseGet(() -> new Found(Incident.open(ctx, Severity.SEV3, null, null, "unassigned"), true));
  }

  static StepResult warnStandIn(StepResult r) {
    return new StepResult(StepStatus.WARNED, r.message() + "; no incident was opened before this step, so a stand-in was used"
        + " (add IncidentSteps.openIncident(..) in MOBILIZE)", r.facts(), r.conclusion());
  }
}
