package dev.rollback.core.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.metric.MetricGate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/** Reads a gate's query once before the rollback and stores it as the gate's captured baseline. */
public final class GateBaselineCaptureStep implements Step {
  private final String id;
  private final Phase phase;
  private final MetricGate gate;

  /**
   * @param id the step id
   * @param phase the phase
   * @param gate the gate
   */
  public GateBaselineCaptureStep(String id, Phase phase, MetricGate gate) {
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
    OptionalDouble v = gate.source().read(gate.query());
    if (v.isEmpty() || Double.isNaN(v.getAsDouble())) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "cannot capture the baseline of gate '" + gate.name()
          + "': the source has no data for '" + gate.query() + "'; use Baseline.fixed(..) or Baseline.query(..) instead");
    }
    double value = v.getAsDouble();
    ctx.put(gate.baselineKey(), value);
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("kind", "baseline");
    facts.put("gate", gate.name());
    facts.put("metric", gate.metric());
    facts.put("value", GateResultText.number(value));
    facts.put("at", ctx.clock().instant().toString());
    ctx.record("baseline of " + gate.name() + " (" + gate.metric() + "): " + GateResultText.number(value), facts);
    return StepResult.succeeded("baseline of " + gate.name() + " is " + GateResultText.number(value))
        .withFact("baseline", GateResultText.number(value));
  }

  @Override
  public String preview(StepContext ctx) {
    return "would capture the baseline of gate " + gate.name() + " from '" + gate.query() + "'";
  }
}
