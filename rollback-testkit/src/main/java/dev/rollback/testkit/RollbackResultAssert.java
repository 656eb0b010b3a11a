package dev.rollback.testkit;

import dev.rollback.core.CompensationRecord;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.StepOutcome;
import dev.rollback.core.StepRecord;
import dev.rollback.testkit.internal.ResultDescription;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * AssertJ assertions on a {@link RollbackResult}; start with {@link
 * RollbackAssertions#assertThat(RollbackResult)}. A failing assertion says what it expected and
 * lists the run's outcome, every step with its outcome and attempts, the compensations and the
 * warnings.
 *
 * @since 0.1.0
 */
public final class RollbackResultAssert extends AbstractAssert<RollbackResultAssert, RollbackResult> {
  /** The step outcomes {@link #ranSteps(String...)} counts as "ran". */
  private static final Set<StepOutcome> RAN = EnumSet.of(StepOutcome.SUCCEEDED, StepOutcome.WARNED, StepOutcome.SKIPPED);

  /**
   * Prefer {@link RollbackAssertions#assertThat(RollbackResult)}.
   *
   * @param actual the result under test
   */
  public RollbackResultAssert(@Nullable RollbackResult actual) {
    super(actual, RollbackResultAssert.class);
  }

  /**
   * Checks that the run's outcome is {@link RunOutcome#SUCCEEDED}.
   *
   * @return this
   */
  public RollbackResultAssert succeeded() {
    return hasOutcome(RunOutcome.SUCCEEDED);
  }

  /**
   * Checks that the run's outcome is {@link RunOutcome#FAILED}.
   *
   * @return this
   */
  public RollbackResultAssert failed() {
    return hasOutcome(RunOutcome.FAILED);
  }

  /**
   * Checks that the run's outcome is {@link RunOutcome#CANCELLED}.
   *
   * @return this
   */
  public RollbackResultAssert cancelled() {
    return hasOutcome(RunOutcome.CANCELLED);
  }

  /**
   * Checks the run's outcome.
   *
   * @param expected the outcome the run should have ended with
   * @return this
   */
  public RollbackResultAssert hasOutcome(RunOutcome expected) {
    Objects.requireNonNull(expected, "expected outcome");
    RollbackResult result = result();
    if (result.outcome() != expected) {
      failBecause("Expecting " + ResultDescription.name(result) + " to have outcome " + expected + ", but it was " + result.outcome(), result);
    }
    return this;
  }

  /**
   * Checks exactly which steps ran to completion in this run, in run order. A step counts as run
   * when its outcome is {@link StepOutcome#SUCCEEDED}, {@link StepOutcome#WARNED} or {@link
   * StepOutcome#SKIPPED} (it returned, or an operator skipped it after a failure). A step that
   * {@link StepOutcome#FAILED}, {@link StepOutcome#COMPLETED_EARLIER} (before a resume) or was
   * {@link StepOutcome#NOT_RUN} does not count. A step that ran and was later compensated still
   * counts: compensation does not change its outcome; check it with {@link
   * #compensated(String...)}.
   *
   * @param stepIds the ids of the steps that ran, in run order; none to check that no step ran
   * @return this
   */
  public RollbackResultAssert ranSteps(String... stepIds) {
    RollbackResult result = result();
    List<String> expected = List.of(stepIds);
    List<String> actual = result.steps().stream().filter(s -> RAN.contains(s.outcome())).map(StepRecord::stepId).toList();
    if (!actual.equals(expected)) {
      failBecause("Expecting " + ResultDescription.name(result) + " to have run exactly the steps " + expected
          + " (outcome SUCCEEDED, WARNED or SKIPPED, in run order), but the steps that ran were " + actual, result);
    }
    return this;
  }

  /**
   * Checks that each of the given steps is in the result with the outcome {@link
   * StepOutcome#NOT_RUN}: the run ended before reaching it.
   *
   * @param stepIds ids of steps of the plan
   * @return this
   */
  public RollbackResultAssert didNotRun(String... stepIds) {
    RollbackResult result = result();
    for (String id : stepIds) {
      StepRecord step = step(result, id);
      if (step.outcome() != StepOutcome.NOT_RUN) {
        failBecause("Expecting step '" + id + "' of " + ResultDescription.name(result) + " not to have run, but its outcome was " + step.outcome(), result);
      }
    }
    return this;
  }

  /**
   * Checks the outcome of one step.
   *
   * @param stepId the id of a step of the plan
   * @param expected its expected outcome
   * @return this
   */
  public RollbackResultAssert hasStep(String stepId, StepOutcome expected) {
    Objects.requireNonNull(expected, "expected outcome");
    RollbackResult result = result();
    StepRecord step = step(result, stepId);
    if (step.outcome() != expected) {
      failBecause("Expecting step '" + stepId + "' of " + ResultDescription.name(result) + " to have outcome " + expected
          + ", but it was " + step.outcome(), result);
    }
    return this;
  }

  /**
   * Checks the compensations: the step ids of all the result's compensation records, whatever their
   * {@link dev.rollback.core.CompensationOutcome}, are exactly these in this order (the order they
   * ran: the reverse of the order the steps completed).
   *
   * @param stepIds the compensated steps in the order they were compensated; none to check that
   *     nothing was compensated
   * @return this
   */
  public RollbackResultAssert compensated(String... stepIds) {
    RollbackResult result = result();
    List<String> expected = List.of(stepIds);
    List<String> actual = result.compensations().stream().map(CompensationRecord::stepId).toList();
    if (!actual.equals(expected)) {
      failBecause("Expecting " + ResultDescription.name(result) + " to have compensated exactly " + expected
          + " in that order, but its compensations were " + actual, result);
    }
    return this;
  }

  /**
   * Checks that at least one warning contains the text.
   *
   * @param text part of the expected warning
   * @return this
   */
  public RollbackResultAssert hasWarningContaining(String text) {
    Objects.requireNonNull(text, "text");
    RollbackResult result = result();
    if (result.warnings().stream().noneMatch(w -> w.contains(text))) {
      failBecause("Expecting a warning of " + ResultDescription.name(result) + " containing \"" + text + "\", but "
          + (result.warnings().isEmpty() ? "it has no warnings" : "its warnings were " + result.warnings()), result);
    }
    return this;
  }

  /**
   * Checks that the run recorded a failure and that it contains the text.
   *
   * @param text part of the expected failure
   * @return this
   */
  public RollbackResultAssert failureContains(String text) {
    Objects.requireNonNull(text, "text");
    RollbackResult result = result();
    Optional<String> failure = result.failureMessage();
    if (failure.isEmpty()) {
      failBecause("Expecting the failure of " + ResultDescription.name(result) + " to contain \"" + text + "\", but it has no failure (outcome "
          + result.outcome() + ")", result);
    } else if (!failure.get().contains(text)) {
      failBecause("Expecting the failure of " + ResultDescription.name(result) + " to contain \"" + text + "\", but it was \""
          + failure.get() + "\"", result);
    }
    return this;
  }

  private RollbackResult result() {
    isNotNull();
    return Objects.requireNonNull(actual);
  }

  private StepRecord step(RollbackResult result, String stepId) {
    Objects.requireNonNull(stepId, "stepId");
    Optional<StepRecord> step = result.step(stepId);
    if (step.isEmpty()) {
      failBecause("Expecting " + ResultDescription.name(result) + " to have a step '" + stepId + "', but its steps are "
          + result.steps().stream().map(StepRecord::stepId).toList(), result);
    }
    return step.orElseThrow();
  }

  private void failBecause(String expectation, RollbackResult result) {
    failWithMessage("%s", expectation + "\n\n" + ResultDescription.describe(result));
  }
}
