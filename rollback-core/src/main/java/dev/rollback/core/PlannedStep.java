package dev.rollback.core;

import java.util.Objects;

/**
 * A step as the plan holds it: the step and its policy.
 *
 * @param step the step
 * @param policy its policy
 * @since 0.1.0
 */
public record PlannedStep(Step step, StepPolicy policy) {
  /** Checks the components. */
  public PlannedStep {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(policy, "policy");
  }

  /** @return the step's id */
  public String id() {
    return step.id();
  }
}
