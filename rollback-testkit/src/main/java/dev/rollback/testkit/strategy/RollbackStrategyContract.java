package dev.rollback.testkit.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.Phase;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.StepOutcome;
import dev.rollback.core.StepRecord;
import dev.rollback.core.TimelineEntry;
import dev.rollback.core.strategy.Convergence;
import dev.rollback.core.strategy.PlatformState;
import dev.rollback.core.strategy.Revision;
import dev.rollback.core.strategy.RollbackRequest;
import dev.rollback.core.strategy.RollbackStrategy;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link RollbackStrategy} must meet, as JUnit 5 tests. A strategy's test class
 * extends it and provides a {@link StrategyFixture}; the tests run against the platform the fixture
 * sets up (three releases, {@value #V1_0_0}, {@value #V1_1_0} and {@value #V1_2_0}, the last one
 * running) and check the strategy's answers against what the fixture sees on the platform itself.
 *
 * <pre>{@code
 * class SymlinkStrategyContractTest extends RollbackStrategyContract {
 *   @TempDir Path root;
 *
 *   @Override
 *   protected StrategyFixture createFixture() {
 *     return new SymlinkFixture(root);   // your StrategyFixture
 *   }
 * }
 * }</pre>
 *
 * <p>What the contract holds a strategy to:
 *
 * <ul>
 *   <li>{@link RollbackStrategy#inspect()} reports the running version, and the earlier releases
 *       newest first (not the running one), each with a non-blank id of its own; it changes nothing.
 *   <li>{@link RollbackStrategy#rollback} with no revision rolls back to the version asked for;
 *       with a revision id from the history, to that revision.
 *   <li>Asked for the version that already runs, it changes nothing and says so: it either throws,
 *       or records a timeline entry, whose message names the version and contains "already".
 *   <li>Asked for a version that is not there, it throws before it changes anything, with a message
 *       that names the version asked for and the versions that are there.
 *   <li>{@link RollbackStrategy#awaitConvergence} reports converged once the target runs
 *       everywhere, and not converged while it does not.
 *   <li>A rollout that fails is reported with its reason: an exception, or a convergence that did
 *       not converge, whose message contains the reason; a plan with the strategy does not succeed.
 * </ul>
 *
 * <p>Every call runs inside a real {@link dev.rollback.core.RollbackRunner} run (see {@link
 * StrategyFixture#runner()}), so the strategy gets a real step context. Tests that need a {@link
 * StrategyCapability} the fixture leaves out are skipped with a message naming it. The test
 * methods are final: a strategy that cannot meet a rule declares it, it does not override the test.
 *
 * @since 0.1.0
 */
public abstract class RollbackStrategyContract {
  /** The oldest release. */
  public static final String V1_0_0 = "v1.0.0";

  /** The previous release. */
  public static final String V1_1_0 = "v1.1.0";

  /** The release that runs when each test starts. */
  public static final String V1_2_0 = "v1.2.0";

  /** The releases {@link StrategyFixture#release} is given, oldest first. */
  public static final List<String> RELEASES = List.of(V1_0_0, V1_1_0, V1_2_0);

  /** A version the fixture never released. */
  public static final String NEVER_RELEASED = "v0.9.0";

  /** The version a runbook believes runs when the platform still runs {@link #V1_2_0} (a deploy that never landed). */
  public static final String NEVER_LANDED = "v1.3.0";

  private @Nullable StrategyFixture fixture;
  private @Nullable RollbackStrategy strategy;
  private @Nullable ContractRuns runs;

  /**
   * Creates the fixture for one test; the contract calls {@link StrategyFixture#release}, then
   * {@link StrategyFixture#strategy()}, and closes the fixture after the test.
   *
   * @return a fresh fixture
   * @throws Exception when it cannot be created
   */
  protected abstract StrategyFixture createFixture() throws Exception;

  /** @return the fixture of the running test */
  protected final StrategyFixture fixture() {
    return Objects.requireNonNull(fixture, "the fixture is created before each test");
  }

  /** @return the strategy of the running test */
  protected final RollbackStrategy strategy() {
    return Objects.requireNonNull(strategy, "the strategy is created before each test");
  }

  private ContractRuns runs() {
    return Objects.requireNonNull(runs, "the runner is created before each test");
  }

  /**
   * Sets up the platform with {@link #RELEASES} and checks that the fixture sees {@link #V1_2_0}
   * running everywhere.
   *
   * @throws Exception when the fixture fails
   */
  @BeforeEach
  protected final void releaseThreeVersions() throws Exception {
    fixture = createFixture();
    fixture.release(RELEASES);
    strategy = fixture.strategy();
    runs = new ContractRuns(fixture.runner().build());
    assertThat(fixture.runningVersions())
        .as("the fixture's own observation after release(%s): %s must run everywhere", RELEASES, V1_2_0)
        .isNotEmpty()
        .containsOnly(V1_2_0);
  }

  /**
   * Closes the fixture.
   *
   * @throws Exception when the fixture fails to close
   */
  @AfterEach
  protected final void closeFixture() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  /** The strategy has a one-word name and a positive default convergence timeout. */
  @Test
  public final void hasAOneWordNameAndAPositiveConvergenceTimeout() {
    assertThat(strategy().name()).as("name()").isNotBlank().doesNotContainAnyWhitespaces();
    assertThat(strategy().convergenceTimeout()).as("convergenceTimeout()").isPositive();
  }

  /**
   * Inspect reports the running release, and the earlier ones newest first, with ids.
   *
   * @throws Exception when the platform cannot be read
   */
  @Test
  public final void inspectReportsTheRunningReleaseAndTheEarlierOnesNewestFirstWithIds() throws Exception {
    PlatformState state = strategy().inspect();

    assertThat(state.currentVersion()).as("currentVersion() of %s", state).isEqualTo(V1_2_0);
    assertThat(state.history())
        .as("history(): the earlier releases, newest first, without the running one")
        .extracting(Revision::version)
        .containsExactly(V1_1_0, V1_0_0);
    assertThat(state.history())
        .as("history(): every entry has an id of its own")
        .extracting(Revision::id)
        .allSatisfy(id -> assertThat(id).isNotBlank())
        .doesNotHaveDuplicates();
  }

  /**
   * History entries carry creation times, the newest first.
   *
   * @throws Exception when the platform cannot be read
   */
  @Test
  public final void historyEntriesCarryCreationTimesNewestFirst() throws Exception {
    assumeCapable(StrategyCapability.CREATION_TIMES);

    List<Revision> history = strategy().inspect().history();

    assertThat(history).as("history()").hasSize(2);
    Instant previous = history.get(0).createdAt();
    Instant older = history.get(1).createdAt();
    assertThat(previous).as("createdAt of %s", history.get(0)).isNotNull();
    assertThat(older).as("createdAt of %s", history.get(1)).isNotNull();
    assertThat(previous).as("%s was released after %s", V1_1_0, V1_0_0).isAfter(older);
  }

  /**
   * Inspecting changes nothing on the platform and gives the same answer twice.
   *
   * @throws Exception when the platform cannot be read
   */
  @Test
  public final void inspectChangesNothing() throws Exception {
    Object before = fixture().snapshot();

    PlatformState first = strategy().inspect();
    PlatformState second = strategy().inspect();

    assertThat(second).as("a second inspect()").isEqualTo(first);
    assertThat(fixture().snapshot()).as("the platform after two inspect() calls").isEqualTo(before);
    assertThat(fixture().runningVersions()).as("running after inspect()").containsOnly(V1_2_0);
  }

  /**
   * A plan with the strategy rolls back to the previous release (no revision named), and the
   * strategy then reports it running.
   *
   * @throws Exception when the platform cannot be read
   */
  @Test
  public final void aPlanRollsBackToThePreviousReleaseWhenNoRevisionIsNamed() throws Exception {
    String previous = strategy().inspect().history().get(0).version();
    assertThat(previous).as("the newest history entry").isEqualTo(V1_1_0);

    RollbackResult run = runs().plan(V1_2_0, previous, strategy());

    assertThat(run.outcome()).as(ContractRuns.describe(run)).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(fixture().runningVersions()).as("running after the rollback, seen by the fixture").containsOnly(V1_1_0);
    PlatformState after = strategy().inspect();
    assertThat(after.currentVersion()).as("inspect() after the rollback").isEqualTo(V1_1_0);
    assertThat(after.history())
        .as("history() after the rollback: not the running release; the older one is still there")
        .extracting(Revision::version)
        .doesNotContain(V1_1_0)
        .contains(V1_0_0);
  }

  /**
   * Rolling back to a version older than the previous release, without a revision, reaches that
   * version.
   */
  @Test
  public final void rollsBackPastThePreviousReleaseToTheVersionAskedFor() throws Exception {
    assumeCapable(StrategyCapability.ANY_EARLIER_RELEASE);

    ContractRuns.Call<Convergence> call = runs().call("older", V1_2_0, V1_0_0, ctx -> {
      strategy().rollback(new RollbackRequest(V1_2_0, V1_0_0, null), ctx);
      return strategy().awaitConvergence(strategy().convergenceTimeout(), ctx);
    });

    assertThat(call.thrown()).as("rollback to %s threw: %s", V1_0_0, call.thrownMessages()).isNull();
    assertThat(call.value()).as("convergence").isNotNull();
    assertThat(call.value().converged()).as("converged? %s", call.value()).isTrue();
    assertThat(fixture().runningVersions()).as("running after the rollback, seen by the fixture").containsOnly(V1_0_0);
    assertThat(strategy().inspect().currentVersion()).as("inspect() after the rollback").isEqualTo(V1_0_0);
  }

  /**
   * Rolling back with the id of a history entry as the revision reaches that entry's version.
   *
   * @throws Exception when the platform cannot be read
   */
  @Test
  public final void rollsBackToTheRevisionNamedByItsHistoryId() throws Exception {
    assumeCapable(StrategyCapability.NAMED_REVISIONS);
    assumeCapable(StrategyCapability.ANY_EARLIER_RELEASE);
    Revision oldest = strategy().inspect().history().stream()
        .filter(r -> r.version().equals(V1_0_0))
        .findFirst()
        .orElseThrow(() -> new AssertionError("inspect() lists no revision of " + V1_0_0));

    ContractRuns.Call<Convergence> call = runs().call("revision", V1_2_0, V1_0_0, ctx -> {
      strategy().rollback(new RollbackRequest(V1_2_0, V1_0_0, oldest.id()), ctx);
      return strategy().awaitConvergence(strategy().convergenceTimeout(), ctx);
    });

    assertThat(call.thrown()).as("rollback to revision %s threw: %s", oldest.id(), call.thrownMessages()).isNull();
    assertThat(call.value()).as("convergence").isNotNull();
    assertThat(call.value().converged()).as("converged? %s", call.value()).isTrue();
    assertThat(fixture().runningVersions()).as("running after the rollback to revision %s", oldest.id()).containsOnly(V1_0_0);
  }

  /**
   * Asked to roll back to the version that already runs (the runbook believed {@value
   * #NEVER_LANDED} ran), the strategy changes nothing and says so, in an exception or in the
   * timeline; when it does not throw, the wait converges at once.
   *
   * @throws Exception when the platform cannot be read
   */
  @Test
  public final void rollingBackToTheVersionThatAlreadyRunsChangesNothingAndSaysSo() throws Exception {
    Object before = fixture().snapshot();

    ContractRuns.Call<Convergence> call = runs().call("already", NEVER_LANDED, V1_2_0, ctx -> {
      strategy().rollback(new RollbackRequest(NEVER_LANDED, V1_2_0, null), ctx);
      return strategy().awaitConvergence(strategy().convergenceTimeout(), ctx);
    });

    if (call.thrown() != null) {
      assertThat(call.thrownMessages())
          .as("the refusal must name the version and say it already runs")
          .contains(V1_2_0)
          .containsIgnoringCase("already");
    } else {
      assertThat(call.run().timeline())
          .as("without an exception, a timeline entry must name the version and say it already runs")
          .extracting(TimelineEntry::message)
          .anySatisfy(m -> assertThat(m).contains(V1_2_0).containsIgnoringCase("already"));
      assertThat(call.value()).as("convergence").isNotNull();
      assertThat(call.value().converged()).as("converged? %s", call.value()).isTrue();
    }
    assertThat(fixture().snapshot()).as("the platform after a rollback to the running version").isEqualTo(before);
    assertThat(fixture().runningVersions()).as("running").containsOnly(V1_2_0);
  }

  /**
   * A version that was never released is refused before anything changes, naming the version and
   * the releases there are.
   *
   * @throws Exception when the platform cannot be read
   */
  @Test
  public final void aVersionThatWasNeverReleasedIsRefusedNamingTheReleasesThereAre() throws Exception {
    Object before = fixture().snapshot();

    ContractRuns.Call<Void> call = runs().call("missing", V1_2_0, NEVER_RELEASED, ctx -> {
      strategy().rollback(new RollbackRequest(V1_2_0, NEVER_RELEASED, null), ctx);
      return null;
    });

    assertThat(call.thrown()).as("rollback to %s, which was never released, must throw", NEVER_RELEASED).isNotNull();
    assertThat(call.thrownMessages())
        .as("the refusal must name the version asked for and the releases there are")
        .contains(NEVER_RELEASED, V1_1_0, V1_0_0);
    assertThat(fixture().snapshot()).as("the platform after the refusal").isEqualTo(before);
    assertThat(fixture().runningVersions()).as("running after the refusal").containsOnly(V1_2_0);
  }

  /**
   * A release removed from the platform disappears from the history, and rolling back to it is
   * refused before anything changes, naming it and the release still there.
   *
   * @throws Exception when the platform cannot be read or changed
   */
  @Test
  public final void aRemovedReleaseIsRefusedNamingTheReleasesStillThere() throws Exception {
    assumeCapable(StrategyCapability.REMOVABLE_RELEASES);
    fixture().remove(V1_1_0);
    assertThat(strategy().inspect().history())
        .as("history() after %s was removed", V1_1_0)
        .extracting(Revision::version)
        .containsExactly(V1_0_0);
    Object before = fixture().snapshot();

    ContractRuns.Call<Void> call = runs().call("removed", V1_2_0, V1_1_0, ctx -> {
      strategy().rollback(new RollbackRequest(V1_2_0, V1_1_0, null), ctx);
      return null;
    });

    assertThat(call.thrown()).as("rollback to the removed %s must throw", V1_1_0).isNotNull();
    assertThat(call.thrownMessages())
        .as("the refusal must name the version asked for and the release still there")
        .contains(V1_1_0, V1_0_0);
    assertThat(fixture().snapshot()).as("the platform after the refusal").isEqualTo(before);
    assertThat(fixture().runningVersions()).as("running after the refusal").containsOnly(V1_2_0);
  }

  /**
   * After a rollback, the wait reports converged, with a message, and the target runs everywhere.
   */
  @Test
  public final void awaitConvergenceReportsConvergedOnceTheTargetRunsEverywhere() throws Exception {
    ContractRuns.Call<Convergence> call = runs().call("converge", V1_2_0, V1_1_0, ctx -> {
      strategy().rollback(new RollbackRequest(V1_2_0, V1_1_0, null), ctx);
      return strategy().awaitConvergence(strategy().convergenceTimeout(), ctx);
    });

    assertThat(call.thrown()).as("rollback and wait threw: %s", call.thrownMessages()).isNull();
    assertThat(call.value()).as("convergence").isNotNull();
    assertThat(call.value().converged()).as("converged? %s", call.value()).isTrue();
    assertThat(call.value().message()).as("the convergence message").isNotBlank();
    assertThat(fixture().runningVersions()).as("running when the wait said converged").containsOnly(V1_1_0);
  }

  /**
   * Without a rollback, a wait for the previous release does not report converged (it times out
   * on the run's clock) and changes nothing.
   *
   * @throws Exception when the platform cannot be read
   */
  @Test
  public final void awaitConvergenceDoesNotReportConvergedWhileTheTargetDoesNotRun() throws Exception {
    Object before = fixture().snapshot();

    ContractRuns.Call<Convergence> call = runs().call("not-converged", V1_2_0, V1_1_0,
        ctx -> strategy().awaitConvergence(fixture().notConvergingWait(), ctx));

    assertThat(call.thrown()).as("a wait on a healthy platform threw: %s", call.thrownMessages()).isNull();
    assertThat(call.value()).as("convergence").isNotNull();
    assertThat(call.value().converged()).as("converged? %s, while %s runs", call.value(), V1_2_0).isFalse();
    assertThat(call.value().message()).as("the message of a wait that did not converge").isNotBlank();
    assertThat(fixture().snapshot()).as("the platform after waiting").isEqualTo(before);
  }

  /**
   * A rollout that fails is reported with the reason: the rollback or the wait throws with it, or
   * the wait does not converge and its message has it.
   *
   * @throws Exception when the platform cannot be changed
   */
  @Test
  public final void aFailingRolloutIsNotReportedAsConvergedAndNamesTheReason() throws Exception {
    assumeCapable(StrategyCapability.FAILING_ROLLOUT);
    String reason = fixture().failNextRollout();

    ContractRuns.Call<Convergence> call = runs().call("failing", V1_2_0, V1_1_0, ctx -> {
      strategy().rollback(new RollbackRequest(V1_2_0, V1_1_0, null), ctx);
      return strategy().awaitConvergence(strategy().convergenceTimeout(), ctx);
    });

    if (call.thrown() != null) {
      assertThat(call.thrownMessages()).as("the exception of a failed rollout must give the reason").contains(reason);
    } else {
      assertThat(call.value()).as("convergence").isNotNull();
      assertThat(call.value().converged()).as("a failed rollout reported as %s", call.value()).isFalse();
      assertThat(call.value().message()).as("the message of a failed rollout must give the reason").contains(reason);
    }
  }

  /**
   * A plan whose rollout fails does not succeed; its failure and its platform step give the reason.
   *
   * @throws Exception when the platform cannot be changed
   */
  @Test
  public final void aPlanWhoseRolloutFailsDoesNotSucceedAndGivesTheReason() throws Exception {
    assumeCapable(StrategyCapability.FAILING_ROLLOUT);
    String reason = fixture().failNextRollout();

    RollbackResult run = runs().plan(V1_2_0, V1_1_0, strategy());

    assertThat(run.outcome()).as(ContractRuns.describe(run)).isNotEqualTo(RunOutcome.SUCCEEDED);
    assertThat(run.failureMessage()).as("the run's failure").isPresent();
    assertThat(run.failureMessage().orElseThrow()).as("the run's failure must give the reason").contains(reason);
    assertThat(run.steps())
        .as("the platform step")
        .filteredOn(s -> s.phase() == Phase.PLATFORM_ROLLBACK)
        .singleElement()
        .satisfies(s -> assertThat(s.outcome()).isEqualTo(StepOutcome.FAILED))
        .extracting(StepRecord::message)
        .asString()
        .contains(reason);
  }

  private void assumeCapable(StrategyCapability capability) {
    Assumptions.assumeTrue(fixture().capabilities().contains(capability),
        () -> "skipped: the fixture of '" + strategy().name() + "' leaves out " + capability + " (" + capability.whenMissing() + ")");
  }
}
