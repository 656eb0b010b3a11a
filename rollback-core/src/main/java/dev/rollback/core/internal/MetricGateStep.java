package dev.rollback.core.internal;

import dev.rollback.core.Phase;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.StepStatus;
import dev.rollback.core.metric.GateFailedException;
import dev.rollback.core.metric.GateResult;
import dev.rollback.core.metric.GateVerdict;
import dev.rollback.core.metric.MetricGate;
import java.util.Map;

/** A {@link MetricGate} run as a step: records its result, fails on FAIL, warns when undecided. */
public final class MetricGateStep implements Step {
  private final String id;
  private final Phase phase;
  private final MetricGate gate;

  /**
   * @param id the step id
   * @param phase the phase
   * @param gate the gate
   */
  public MetricGateStep(String id, Phase phase, MetricGate gate) {
    this.id = id;
    this.phase = phase;
    this.gate = gate;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Phase phase() {
    return phase;
  }

  @Override
  public boolean idempotent() {
    return true;
  }

  @Override
  public StepResult execute(StepContext ctx) throws Exception {
    GateResult r = gate.evaluate(ctx);
    Map<String, String> facts = r.facts();
    ctx.record("gate " + gate.name() + " (" + gate.metric() + "): " + r.verdict() + ": " + r.reason(), facts);
    if (r.verdict() == GateVerdict.FAIL) {
      throw new GateFailedException(r);
    }
    StepStatus status = r.verdict() == GateVerdict.PASS ? StepStatus.SUCCEEDED : StepStatus.WARNED;
    StepResult result = new StepResult(status, "gate " + gate.name() + ": " + r.verdict() + ": " + r.reason(), Map.of());
    return result.withFact("gate", gate.name()).withFact("metric", gate.metric()).withFact("verdict", r.verdict().name())
        .withFact("threshold", r.threshold()).withFact("value", facts.getOrDefault("value", "none"));
  }

  @Override
  public String preview(StepContext ctx) {
    return "would check gate " + gate.name() + ": " + gate.metric() + " " + gate.describeThreshold(null) + " over "
        + gate.count() + " sample" + (gate.count() == 1 ? "" : "s") + " (" + gate.query() + ")";
  }
}
