package dev.rollback.core.internal;

import dev.rollback.core.Phase;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import org.jspecify.annotations.Nullable;

/** A step made of lambdas by {@link Step#builder(String, Phase)}. */
public final class LambdaStep implements Step {
  private final String id;
  private final Phase phase;
  private final Step.Action execute;
  private final Step.@Nullable Action compensate;
  private final @Nullable String description;
  private final boolean idempotent;

  /**
   * @param id the id
   * @param phase the phase
   * @param execute the work
   * @param compensate the undo, or null
   * @param description the preview text, or null
   * @param idempotent whether it may be repeated
   */
  public LambdaStep(
      String id,
      Phase phase,
      Step.Action execute,
      Step.@Nullable Action compensate,
      @Nullable String description,
      boolean idempotent) {
    this.id = id;
    this.phase = phase;
    this.execute = execute;
    this.compensate = compensate;
    this.description = description;
    this.idempotent = idempotent;
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
  public StepResult execute(StepContext ctx) throws Exception {
    return execute.run(ctx);
  }

  @Override
  public StepResult compensate(StepContext ctx) throws Exception {
    return compensate == null ? Step.super.compensate(ctx) : compensate.run(ctx);
  }

  @Override
  public String preview(StepContext ctx) {
    return description == null ? "would run " + id : description;
  }

  @Override
  public boolean idempotent() {
    return idempotent;
  }

  @Override
  public String toString() {
    return "Step[" + id + ", " + phase + "]";
  }
}
