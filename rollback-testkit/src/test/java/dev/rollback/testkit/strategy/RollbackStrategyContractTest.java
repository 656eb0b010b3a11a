package dev.rollback.testkit.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.testkit.strategy.InMemoryPlatform.Mistake;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * The contract catches a strategy that is wrong: each test breaks one rule of an otherwise correct
 * in-memory strategy and runs the contract test for that rule, which must fail naming what is wrong.
 */
class RollbackStrategyContractTest {

  /** The contract against an in-memory platform with one mistake. */
  private static final class Against extends RollbackStrategyContract {
    private final InMemoryPlatform platform;

    Against(InMemoryPlatform platform) {
      this.platform = platform;
    }

    @Override
    protected StrategyFixture createFixture() {
      return platform;
    }
  }

  @FunctionalInterface
  interface ContractTest {
    void run(RollbackStrategyContract contract) throws Exception;
  }

  /** Runs one contract test the way JUnit does: set-up, the test, clean-up. */
  static void run(InMemoryPlatform platform, ContractTest test) throws Exception {
    Against contract = new Against(platform);
    contract.releaseThreeVersions();
    try {
      test.run(contract);
    } finally {
      contract.closeFixture();
    }
  }

  static void run(Mistake mistake, ContractTest test) throws Exception {
    run(new InMemoryPlatform(mistake), test);
  }

  @Test
  void aHistoryThatListsTheRunningReleaseFails() {
    assertThatThrownBy(() -> run(Mistake.HISTORY_WITH_THE_RUNNING_RELEASE,
            RollbackStrategyContract::inspectReportsTheRunningReleaseAndTheEarlierOnesNewestFirstWithIds))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("without the running one");
  }

  @Test
  void aHistoryOldestFirstFails() {
    assertThatThrownBy(() -> run(Mistake.HISTORY_OLDEST_FIRST,
            RollbackStrategyContract::inspectReportsTheRunningReleaseAndTheEarlierOnesNewestFirstWithIds))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("newest first");
    assertThatThrownBy(() -> run(Mistake.HISTORY_OLDEST_FIRST, RollbackStrategyContract::historyEntriesCarryCreationTimesNewestFirst))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("was released after");
  }

  @Test
  void anInspectThatChangesThePlatformFails() {
    assertThatThrownBy(() -> run(Mistake.INSPECT_COUNTS_ITSELF, RollbackStrategyContract::inspectChangesNothing))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("after two inspect() calls");
  }

  @Test
  void aRollbackThatAlwaysGoesToThePreviousReleaseFails() {
    assertThatThrownBy(() -> run(Mistake.ALWAYS_TO_THE_PREVIOUS_RELEASE,
            RollbackStrategyContract::rollsBackPastThePreviousReleaseToTheVersionAskedFor))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("converged? Convergence[converged=false, message=runs v1.1.0, not v1.0.0");
  }

  @Test
  void aRollbackThatMisreadsTheRevisionFails() {
    assertThatThrownBy(() -> run(Mistake.MISREADS_THE_REVISION, RollbackStrategyContract::rollsBackToTheRevisionNamedByItsHistoryId))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("converged? Convergence[converged=false, message=runs v1.1.0, not v1.0.0");
  }

  @Test
  void aRestartForTheVersionThatAlreadyRunsFails() {
    assertThatThrownBy(() -> run(Mistake.RESTARTS_WHEN_ALREADY_RUNNING,
            RollbackStrategyContract::rollingBackToTheVersionThatAlreadyRunsChangesNothingAndSaysSo))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("a timeline entry must name the version and say it already runs");
  }

  @Test
  void aSilentNoOpFails() {
    assertThatThrownBy(() -> run(Mistake.SILENT_WHEN_ALREADY_RUNNING,
            RollbackStrategyContract::rollingBackToTheVersionThatAlreadyRunsChangesNothingAndSaysSo))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("say it already runs");
  }

  @Test
  void aRefusalThatDoesNotNameTheAvailableReleasesFails() {
    assertThatThrownBy(() -> run(Mistake.MISSING_TARGET_WITHOUT_ALTERNATIVES,
            RollbackStrategyContract::aVersionThatWasNeverReleasedIsRefusedNamingTheReleasesThereAre))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the releases there are");
    assertThatThrownBy(() -> run(Mistake.MISSING_TARGET_WITHOUT_ALTERNATIVES,
            RollbackStrategyContract::aRemovedReleaseIsRefusedNamingTheReleasesStillThere))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the release still there");
  }

  @Test
  void aMissingTargetThatFallsBackToAnotherReleaseFails() {
    assertThatThrownBy(() -> run(Mistake.MISSING_TARGET_FALLS_BACK_TO_PREVIOUS,
            RollbackStrategyContract::aVersionThatWasNeverReleasedIsRefusedNamingTheReleasesThereAre))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("must throw");
  }

  @Test
  void aWaitThatConvergesWithoutLookingFails() {
    assertThatThrownBy(() -> run(Mistake.CONVERGED_WITHOUT_LOOKING,
            RollbackStrategyContract::awaitConvergenceDoesNotReportConvergedWhileTheTargetDoesNotRun))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("while v1.2.0 runs");
    assertThatThrownBy(() -> run(Mistake.CONVERGED_WITHOUT_LOOKING,
            RollbackStrategyContract::aFailingRolloutIsNotReportedAsConvergedAndNamesTheReason))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("a failed rollout reported as");
  }

  @Test
  void aFailureWithoutItsReasonFails() {
    assertThatThrownBy(() -> run(Mistake.FAILURE_WITHOUT_REASON,
            RollbackStrategyContract::aFailingRolloutIsNotReportedAsConvergedAndNamesTheReason))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("must give the reason");
    assertThatThrownBy(() -> run(Mistake.FAILURE_WITHOUT_REASON,
            RollbackStrategyContract::aPlanWhoseRolloutFailsDoesNotSucceedAndGivesTheReason))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the run's failure must give the reason");
  }

  @Test
  void aTestThatNeedsALeftOutCapabilityIsSkippedNamingIt() {
    InMemoryPlatform platform = new InMemoryPlatform(Mistake.NONE, EnumSet.complementOf(EnumSet.of(StrategyCapability.NAMED_REVISIONS)));

    assertThatThrownBy(() -> run(platform, RollbackStrategyContract::rollsBackToTheRevisionNamedByItsHistoryId))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("'in-memory' leaves out NAMED_REVISIONS (it does not take a revision id in the request)");
  }

  @Test
  void aFixtureThatDoesNotRunTheLastReleaseIsReportedBeforeAnyTest() {
    InMemoryPlatform platform = new InMemoryPlatform(Mistake.NONE) {
      @Override
      public void release(java.util.List<String> versions) {
        super.release(versions.subList(0, 2));
      }
    };

    assertThatThrownBy(() -> run(platform, c -> {}))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the fixture's own observation after release");
    assertThat(platform.runningVersions()).containsExactly(RollbackStrategyContract.V1_1_0);
  }
}
