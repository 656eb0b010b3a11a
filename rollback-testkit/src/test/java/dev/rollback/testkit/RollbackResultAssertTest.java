package dev.rollback.testkit;

import static dev.rollback.testkit.RollbackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.CompensationOutcome;
import dev.rollback.core.CompensationRecord;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.StepOutcome;
import dev.rollback.core.StepRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class RollbackResultAssertTest {
  private static final Instant T = ManualClock.DEFAULT_START;

  /** drain succeeded, deploy failed twice, validate never ran; drain was compensated. */
  private static final RollbackResult FAILED_RUN = result(
      RunOutcome.FAILED,
      List.of(
          step("drain", StepOutcome.SUCCEEDED, 1, "drain done"),
          step("deploy", StepOutcome.FAILED, 2, "java.lang.IllegalStateException: image pull failed"),
          step("validate", StepOutcome.NOT_RUN, 0, "")),
      List.of(new CompensationRecord("drain", CompensationOutcome.COMPENSATED, T, "undid drain")),
      List.of(),
      "step 'deploy' failed after 2 attempts: java.lang.IllegalStateException: image pull failed");

  private static final RollbackResult SUCCEEDED_RUN = result(
      RunOutcome.SUCCEEDED,
      List.of(
          step("restored", StepOutcome.COMPLETED_EARLIER, 1, ""),
          step("drain", StepOutcome.SUCCEEDED, 1, ""),
          step("page", StepOutcome.FAILED, 1, "PagerDuty is down"),
          step("cache", StepOutcome.WARNED, 1, "cache cold"),
          step("smoke", StepOutcome.SKIPPED, 2, "skipped by alice")),
      List.of(),
      List.of("step 'cache': cache cold", "step 'page' failed after 1 attempt: PagerDuty is down (the run went on: onFailure=CONTINUE)"),
      null);

  @Test
  void passesWhenTheResultMatches() {
    assertThat(FAILED_RUN)
        .failed()
        .hasOutcome(RunOutcome.FAILED)
        .ranSteps("drain")
        .hasStep("deploy", StepOutcome.FAILED)
        .didNotRun("validate")
        .compensated("drain")
        .failureContains("image pull failed");
    assertThat(SUCCEEDED_RUN).succeeded().compensated().hasWarningContaining("cache cold");
    assertThat(result(RunOutcome.CANCELLED, List.of(), List.of(), List.of(), "cancelled by the caller")).cancelled();
  }

  @Test
  void ranStepsCountsSucceededWarnedAndSkippedStepsButNotFailedOrEarlierOnes() {
    assertThat(SUCCEEDED_RUN).ranSteps("drain", "cache", "smoke");

    assertThatThrownBy(() -> assertThat(SUCCEEDED_RUN).ranSteps("restored", "drain", "page", "cache", "smoke"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("but the steps that ran were [drain, cache, smoke]");
  }

  @Test
  void ranStepsSaysWhatWasExpectedAndWhatRan() {
    assertThatThrownBy(() -> assertThat(FAILED_RUN).ranSteps("drain", "deploy"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to have run exactly the steps [drain, deploy]")
        .hasMessageContaining("(outcome SUCCEEDED, WARNED or SKIPPED, in run order)")
        .hasMessageContaining("but the steps that ran were [drain]");
  }

  @Test
  void ranStepsIsStrictAboutOrder() {
    assertThatThrownBy(() -> assertThat(SUCCEEDED_RUN).ranSteps("cache", "drain", "smoke"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("but the steps that ran were [drain, cache, smoke]");
  }

  @Test
  void anOutcomeMismatchNamesTheRunAndListsEveryStepOutcome() {
    assertThatThrownBy(() -> assertThat(FAILED_RUN).succeeded())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expecting run run-1 of checkout-api (v1.3.0 -> v1.2.9) to have outcome SUCCEEDED, but it was FAILED")
        .hasMessageContaining("ended FAILED: step 'deploy' failed after 2 attempts")
        .hasMessageContaining("drain     SUCCEEDED          1 attempt  drain done")
        .hasMessageContaining("deploy    FAILED             2 attempts  java.lang.IllegalStateException: image pull failed")
        .hasMessageContaining("validate  NOT_RUN")
        .hasMessageContaining("compensations:\n  drain     COMPENSATED  undid drain")
        .hasMessageContaining("warnings: none");
  }

  @Test
  void failedAndCancelledSayWhichOutcomeTheyExpected() {
    assertThatThrownBy(() -> assertThat(SUCCEEDED_RUN).failed())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to have outcome FAILED, but it was SUCCEEDED");
    assertThatThrownBy(() -> assertThat(FAILED_RUN).cancelled())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to have outcome CANCELLED, but it was FAILED");
  }

  @Test
  void didNotRunFailsForAStepThatRan() {
    assertThatThrownBy(() -> assertThat(FAILED_RUN).didNotRun("validate", "drain"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expecting step 'drain' of run run-1")
        .hasMessageContaining("not to have run, but its outcome was SUCCEEDED");
  }

  @Test
  void aStepTheResultDoesNotHaveIsNamedWithTheStepsItHas() {
    assertThatThrownBy(() -> assertThat(FAILED_RUN).didNotRun("valdiate"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to have a step 'valdiate', but its steps are [drain, deploy, validate]");
    assertThatThrownBy(() -> assertThat(FAILED_RUN).hasStep("deplyo", StepOutcome.FAILED))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to have a step 'deplyo'");
  }

  @Test
  void hasStepSaysTheOutcomeTheStepHad() {
    assertThatThrownBy(() -> assertThat(FAILED_RUN).hasStep("deploy", StepOutcome.SUCCEEDED))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expecting step 'deploy' of run run-1 of checkout-api (v1.3.0 -> v1.2.9) to have outcome SUCCEEDED, but it was FAILED");
  }

  @Test
  void compensatedChecksTheExactOrder() {
    RollbackResult twoCompensations = result(
        RunOutcome.FAILED,
        List.of(step("maintenance-on", StepOutcome.SUCCEEDED, 1, ""), step("drain", StepOutcome.SUCCEEDED, 1, "")),
        List.of(
            new CompensationRecord("drain", CompensationOutcome.FAILED, T, "load balancer unreachable"),
            new CompensationRecord("maintenance-on", CompensationOutcome.COMPENSATED, T, "")),
        List.of(),
        "aborted");

    assertThat(twoCompensations).compensated("drain", "maintenance-on");
    assertThatThrownBy(() -> assertThat(twoCompensations).compensated("maintenance-on", "drain"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to have compensated exactly [maintenance-on, drain] in that order")
        .hasMessageContaining("but its compensations were [drain, maintenance-on]")
        .hasMessageContaining("drain           FAILED  load balancer unreachable");
  }

  @Test
  void compensatedWithNoStepsFailsWhenACompensationRan() {
    assertThatThrownBy(() -> assertThat(FAILED_RUN).compensated())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to have compensated exactly [] in that order, but its compensations were [drain]");
  }

  @Test
  void hasWarningContainingListsTheWarningsThereAre() {
    assertThatThrownBy(() -> assertThat(SUCCEEDED_RUN).hasWarningContaining("disk full"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("containing \"disk full\", but its warnings were [step 'cache': cache cold, ");
    assertThatThrownBy(() -> assertThat(FAILED_RUN).hasWarningContaining("disk full"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("containing \"disk full\", but it has no warnings");
  }

  @Test
  void failureContainsShowsTheFailureOrSaysThereWasNone() {
    assertThatThrownBy(() -> assertThat(FAILED_RUN).failureContains("timeout"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to contain \"timeout\", but it was \"step 'deploy' failed after 2 attempts");
    assertThatThrownBy(() -> assertThat(SUCCEEDED_RUN).failureContains("timeout"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to contain \"timeout\", but it has no failure (outcome SUCCEEDED)");
  }

  @Test
  void aDescriptionGivenWithAsPrefixesTheMessage() {
    assertThatThrownBy(() -> assertThat(FAILED_RUN).as("checkout runbook").succeeded())
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("[checkout runbook] Expecting run run-1");
  }

  @Test
  void aMissingResultFailsPlainly() {
    assertThatThrownBy(() -> new RollbackResultAssert(null).succeeded())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expecting actual not to be null");
  }

  @Test
  void textWithPercentSignsIsShownAsIs() {
    RollbackResult result = result(RunOutcome.FAILED, List.of(), List.of(), List.of(), "error rate 12%s above 5%");

    assertThatThrownBy(() -> assertThat(result).failureContains("latency"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("but it was \"error rate 12%s above 5%\"");
  }

  private static RollbackResult result(
      RunOutcome outcome, List<StepRecord> steps, List<CompensationRecord> compensations, List<String> warnings, @Nullable String failure) {
    return new RollbackResult("run-1", "checkout-api", "v1.3.0", "v1.2.9", outcome, steps, compensations, warnings, List.of(), failure, T, T);
  }

  private static StepRecord step(String id, StepOutcome outcome, int attempts, String message) {
    boolean ran = attempts > 0;
    return new StepRecord(id, Phase.VALIDATE, outcome, attempts, ran ? T : null, ran ? T : null, message, Map.of());
  }
}
