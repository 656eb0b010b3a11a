package dev.rollback.core;

import dev.rollback.core.internal.LambdaStep;

/**
 * The unit of work of a rollback: drain a backend, roll back a Deployment, check health.
 *
 * <p>A step has a stable {@link #id()} (it names the step in the journal, so a resumed run can tell
 * which steps already ran), a {@link #phase()}, and may undo its effect in {@link
 * #compensate(StepContext)} when a later step aborts the run. Implementations wait only through
 * {@link StepContext#sleep(java.time.Duration)} or {@link StepContext#await}, so that tests can
 * compress time and runs can be cancelled.
 *
 * <pre>{@code
 * Step drain = Step.builder("drain-blue", Phase.TRAFFIC_DRAIN)
 *     .execute(ctx -> { lb.drain("blue"); return StepResult.succeeded("blue drained"); })
 *     .compensate(ctx -> { lb.undrain("blue"); return StepResult.succeeded("blue back"); })
 *     .idempotent(true)
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public interface Step {

  /** @return unique id within the plan; stable across versions of the runbook */
  String id();

  /** @return the phase this step belongs to */
  Phase phase();

  /**
   * Does the work.
   *
   * @param ctx the run's context
   * @return how it ended
   * @throws Exception any failure; the step's {@link StepPolicy} decides what happens next
   */
  StepResult execute(StepContext ctx) throws Exception;

  /**
   * Undoes this step's effect, after it completed and a later step aborted the run (maintenance mode
   * off, drained servers back). The default has nothing to undo.
   *
   * @param ctx the run's context
   * @return how the compensation ended; {@link StepStatus#SKIPPED} when there was nothing to undo
   * @throws Exception a failure; it is recorded and the other compensations still run
   */
  default StepResult compensate(StepContext ctx) throws Exception {
    return StepResult.skipped("nothing to undo");
  }

  /**
   * Says what this step would do, for a dry run. It must not change anything.
   *
   * @param ctx the run's context, with {@link StepContext#dryRun()} true
   * @return one line for people
   */
  default String preview(StepContext ctx) {
    return "would run " + id() + " (" + getClass().getSimpleName() + ")";
  }

  /**
   * Whether running this step twice has the same effect as running it once. A resumed run repeats
   * an interrupted idempotent step; an interrupted non-idempotent step waits for an operator's
   * decision. Defaults to {@code false}, the safe answer.
   *
   * @return true if the step may be repeated safely
   */
  default boolean idempotent() {
    return false;
  }

  /**
   * Starts a step made of lambdas, for runbooks and tests.
   *
   * @param id unique id within the plan
   * @param phase the phase the step belongs to
   * @return a builder
   */
  static Builder builder(String id, Phase phase) {
    return new Builder(id, phase);
  }

  /** The work of a step, as a lambda. */
  @FunctionalInterface
  interface Action {
    /**
     * @param ctx the run's context
     * @return how it ended
     * @throws Exception any failure
     */
    StepResult run(StepContext ctx) throws Exception;
  }

  /** Builds a step from lambdas. */
  final class Builder {
    private final String id;
    private final Phase phase;
    private Action execute;
    private Action compensate;
    private String description;
    private boolean idempotent;

    private Builder(String id, Phase phase) {
      this.id = id;
      this.phase = phase;
    }

    /**
     * @param action the work
     * @return this builder
     */
    public Builder execute(Action action) {
      this.execute = action;
      return this;
    }

    /**
     * @param action the undo
     * @return this builder
     */
    public Builder compensate(Action action) {
      this.compensate = action;
      return this;
    }

    /**
     * @param description what the step would do, shown by a dry run
     * @return this builder
     */
    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /**
     * @param idempotent whether the step may be repeated safely
     * @return this builder
     */
    public Builder idempotent(boolean idempotent) {
      this.idempotent = idempotent;
      return this;
    }

    /**
     * @return the step
     * @throws RollbackException listing every problem (blank id, no phase, no action)
     */
    public Step build() {
      java.util.List<String> problems = new java.util.ArrayList<>();
      if (id == null || id.isBlank()) {
        problems.add("id must not be blank, but was " + (id == null ? "null" : "'" + id + "'") + ": give the step a stable name such as 'drain-blue'");
      }
      if (phase == null) {
        problems.add("phase must be set for step '" + id + "': pass one of " + java.util.Arrays.toString(Phase.values()));
      }
      if (execute == null) {
        problems.add("execute action must be set for step '" + id + "': call execute(ctx -> ...)");
      }
      if (!problems.isEmpty()) {
        throw RollbackException.invalid("invalid step", problems);
      }
      return new LambdaStep(id, phase, execute, compensate, description, idempotent);
    }
  }
}
