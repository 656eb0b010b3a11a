package dev.rollback.core.internal;

import dev.rollback.core.Phase;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.decision.Assessment;
import dev.rollback.core.decision.Assessor;
import dev.rollback.core.decision.DatabaseFacts;
import dev.rollback.core.decision.Decision;
import dev.rollback.core.decision.Impact;
import dev.rollback.core.decision.Severity;
import dev.rollback.core.decision.Verdict;
import dev.rollback.core.health.HealthCheck;
import dev.rollback.core.health.HealthObservation;
import dev.rollback.core.release.ReleaseLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * The ASSESS step a plan gets from {@code assess(Assessor)}: gathers the facts, decides, records the
 * decision with its rationale and evidence, and concludes the run unless the verdict is ROLLBACK.
 */
public final class AssessStep implements Step {
  /** The step's id. */
  public static final String ID = "assess";

  private final Assessor assessor;
  private final TargetStability stability;

  /**
   * @param assessor what to gather and how to decide
   * @param stability how the target's stability is judged
   */
  public AssessStep(Assessor assessor, TargetStability stability) {
    this.assessor = assessor;
    this.stability = stability;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Phase phase() {
    return Phase.ASSESS;
  }

  @Override
  public boolean idempotent() {
    return true;
  }

  @Override
  public StepResult execute(StepContext ctx) throws Exception {
    Instant now = ctx.clock().instant();
    HealthObservation health = null;
    if (assessor.health().isPresent()) {
      HealthCheck check = assessor.health().get();
      health = check.check();
    }
    Double errorRate = read(assessor.errorRateSource().orElse(null), assessor.errorRateQuery().orElse(null), ctx, "error rate");
    Double latencyMs = read(assessor.latencySource().orElse(null), assessor.latencyQuery().orElse(null), ctx, "p99 latency");
    Duration sinceDeploy = null;
    ReleaseLedger ledger = stability.ledger();
    if (ledger != null) {
      sinceDeploy = ledger.latest(ctx.service(), ctx.fromVersion()).map(r -> Duration.between(r.deployedAt(), now)).orElse(null);
    }
    DatabaseFacts db = null;
    if (assessor.migrations().isPresent()) {
      db = assessor.migrations().get().between(ctx.fromVersion(), ctx.toVersion());
    }
    TargetStability.Verdict target = stability.judge(ctx.service(), ctx.toVersion(), now);
    Assessment a = new Assessment(ctx.service(), ctx.fromVersion(), ctx.toVersion(), health, errorRate,
        assessor.baselineErrorRate().orElse(null), assessor.errorRateThreshold(),
        latencyMs == null ? null : Duration.ofMillis(Math.round(latencyMs)), assessor.latencyThreshold().orElse(null),
        sinceDeploy, assessor.affectedSystems(), db, target.acceptable(), target.sentence());
    Decision d = assessor.policy().decide(a);

    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("kind", "decision");
    facts.put("verdict", d.verdict().name());
    facts.put("rule", d.rule());
    facts.put("rationale", d.rationaleText());
    facts.putAll(d.evidence());
    ctx.record("decision: " + d.verdict(), facts);
    if (assessor.impact().isPresent()) {
      Impact impact = assessor.impact().get();
      Severity sev = impact.severity();
      Map<String, String> impactFacts = new LinkedHashMap<>();
      impactFacts.put("kind", "impact");
      impactFacts.put("severity", sev.name());
      impactFacts.put("usersAffectedPercent", String.valueOf(impact.usersAffectedPercent()));
      impactFacts.put("businessFunctions", String.join(", ", impact.businessFunctions()));
      impactFacts.put("criticalFunctions", String.join(", ", impact.criticalFunctions()));
      impactFacts.put("revenueLoss", String.valueOf(impact.revenueLoss()));
      impactFacts.put("dataLoss", String.valueOf(impact.dataLoss()));
      impactFacts.put("description", impact.description());
      ctx.record("severity " + sev + ": " + impact.description(), impactFacts);
      facts.put("severity", sev.name());
    }
    StepResult result = d.verdict() == Verdict.ROLLBACK
        ? StepResult.succeeded("decided to roll back: " + d.rationaleText())
        : StepResult.concludeRun(d.verdict() == Verdict.NO_ACTION ? RunOutcome.NO_ACTION : RunOutcome.FORWARD_FIX,
            "decided " + d.verdict() + ": " + d.rationaleText());
    for (Map.Entry<String, String> f : facts.entrySet()) {
      if (!f.getKey().equals("kind")) {
        result = result.withFact(f.getKey(), f.getValue());
      }
    }
    return result;
  }

  private static @Nullable Double read(dev.rollback.core.health.@Nullable MetricSource source, @Nullable String query, StepContext ctx,
      String what) throws Exception {
    if (source == null || query == null) {
      return null;
    }
    OptionalDouble v = source.read(query);
    if (v.isEmpty()) {
      ctx.record(what + ": no data for " + query, Map.of("query", query));
      return null;
    }
    return v.getAsDouble();
  }

  @Override
  public String preview(StepContext ctx) {
    return "would assess " + ctx.service() + " " + ctx.fromVersion()
        + (assessor.health().map(h -> " with " + h.name()).orElse("")) + " and decide with " + assessor.policy().rules().size()
        + " rules whether to roll back to " + ctx.toVersion();
  }
}
