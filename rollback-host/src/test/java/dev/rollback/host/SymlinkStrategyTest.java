package dev.rollback.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.StepOutcome;
import dev.rollback.core.TimelineEntry;
import dev.rollback.core.service.ServiceControl;
import dev.rollback.core.strategy.PlatformState;
import dev.rollback.core.strategy.Revision;
import dev.rollback.core.strategy.RollbackStrategy;
import dev.rollback.core.strategy.Strategies;
import dev.rollback.host.internal.SymlinkStrategyProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The symlink strategy on a real filesystem, run by the real runner, with real commands as the service. */
class SymlinkStrategyTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  private static final Instant NOW = Instant.parse("2026-11-28T09:30:15Z");

  @TempDir Path root;
  @TempDir Path work;

  private SymlinkStrategy.Builder strategy() {
    Path restarted = work.resolve("restarted");
    ServiceControl service = ServiceControls.commands(List.of("touch", restarted.toString()), List.of("test", "-f", restarted.toString()));
    return SymlinkStrategy.builder(root).marker("REVISION").service(service).readinessTimeout(Duration.ofSeconds(10));
  }

  private RollbackResult run(SymlinkStrategy s, String from, String to) {
    RollbackPlan.Builder plan = RollbackPlan.builder("checkout").currentVersion(from).target(to);
    s.steps().forEach(plan::step);
    plan.step(s.cleanUpStep());
    return RollbackRunner.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).runIds((svc, at) -> "run-7").build().run(plan.build());
  }

  @Test
  void rollsBackSwapsCurrentLogsTheRollbackKeepsTheFailedReleaseAndRestartsTheService() throws Exception {
    SymlinkReleases layout = ReleaseLayoutFixture.deployed(root, T0, "v1.2.8", "v1.2.9", "v1.3.0");

    RollbackResult r = run(strategy().build(), "v1.3.0", "v1.2.9");

    assertThat(r.outcome()).as(r.failureMessage().orElse("")).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(layout.current()).contains("v1.2.9");
    assertThat(Files.readSymbolicLink(layout.currentLink())).isEqualTo(Path.of("releases", "v1.2.9"));
    assertThat(layout.failedReleases()).containsExactly("v1.3.0.failed-20261128-093015");
    assertThat(layout.exists("v1.3.0")).isFalse();
    RevisionLogEntry last = layout.revisions().get(layout.revisions().size() - 1);
    assertThat(last).isEqualTo(new RevisionLogEntry(NOW, "v1.2.9", "rollback", "rollback", Map.of("from", "v1.3.0", "run", "run-7")));
    assertThat(work.resolve("restarted")).exists();
    assertThat(r.step(SymlinkStrategy.SWAP_STEP).orElseThrow().facts()).containsEntry("swapped", "true").containsEntry("from", "v1.3.0");
    assertThat(r.timeline()).extracting(TimelineEntry::message)
        .anySatisfy(m -> assertThat(m).startsWith("current -> releases/v1.2.9 (was v1.3.0)"))
        .anySatisfy(m -> assertThat(m).startsWith("kept failed release v1.3.0 as v1.3.0.failed-"))
        .anySatisfy(m -> assertThat(m).startsWith("restart command touch: touch ").contains("exited 0"));
  }

  @Test
  void aMissingTargetIsRejectedNamingTheVersionAndNothingChanges() throws Exception {
    SymlinkReleases layout = ReleaseLayoutFixture.deployed(root, T0, "v1.2.9", "v1.3.0");
    long lines = layout.revisions().size();

    RollbackResult r = run(strategy().build(), "v1.3.0", "v1.2.7");

    assertThat(r.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(r.failureMessage()).hasValueSatisfying(m -> assertThat(m)
        .contains("target 'v1.2.7' does not exist").contains("releases present: [v1.3.0, v1.2.9]"));
    assertThat(layout.current()).contains("v1.3.0");
    assertThat(layout.revisions()).hasSize((int) lines);
    assertThat(work.resolve("restarted")).doesNotExist();
  }

  @Test
  void anIncompleteTargetIsRejectedNamingTheMissingMarker() throws Exception {
    SymlinkReleases layout = ReleaseLayoutFixture.deployed(root, T0, "v1.2.9", "v1.3.0");
    Files.delete(layout.release("v1.2.9").resolve("REVISION"));

    RollbackResult r = run(strategy().build(), "v1.3.0", "v1.2.9");

    assertThat(r.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(r.failureMessage()).hasValueSatisfying(m -> assertThat(m).contains("target 'v1.2.9' is incomplete: marker file REVISION is missing"));
    assertThat(layout.current()).contains("v1.3.0");
  }

  @Test
  void requiredPathsDecideCompletenessWhenConfigured() throws Exception {
    ReleaseLayoutFixture.deployed(root, T0, "v1.2.9", "v1.3.0");
    SymlinkStrategy s = SymlinkStrategy.builder(root).requiredPaths("app.txt", "bin/start").build();

    assertThat(s.incompleteness("v1.2.9")).hasValueSatisfying(m -> assertThat(m).contains("required paths [bin/start] are missing"));
    Files.createDirectories(root.resolve("releases/v1.2.9/bin"));
    Files.writeString(root.resolve("releases/v1.2.9/bin/start"), "#!/bin/sh\n");
    assertThat(s.incompleteness("v1.2.9")).isEmpty();
  }

  @Test
  void aTargetEqualToTheCurrentReleaseIsRejectedEvenWhenThePlanThinksOtherwise() throws Exception {
    SymlinkReleases layout = ReleaseLayoutFixture.deployed(root, T0, "v1.2.9", "v1.3.0");

    // the plan's version probe is stale: it says v1.2.9 runs, but current already points to v1.3.0
    RollbackResult r = run(strategy().build(), "v1.2.9", "v1.3.0");

    assertThat(r.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(r.failureMessage()).hasValueSatisfying(m -> assertThat(m)
        .contains("target 'v1.3.0' is already the current release").contains("pick an earlier release from [v1.2.9]"));
    assertThat(layout.failedReleases()).isEmpty();
  }

  @Test
  void aHostileTargetIsRejectedBeforeItTouchesTheFilesystem() throws Exception {
    SymlinkReleases layout = ReleaseLayoutFixture.deployed(root, T0, "v1.2.9", "v1.3.0");

    RollbackResult r = run(strategy().build(), "v1.3.0", "../../etc");

    assertThat(r.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(r.failureMessage()).hasValueSatisfying(m -> assertThat(m).contains("version '../../etc' contains a path separator"));
    assertThat(layout.current()).contains("v1.3.0");
  }

  @Test
  void theFailedReleaseIsLeftAsItIsWhenKeepingIsSwitchedOff() throws Exception {
    SymlinkReleases layout = ReleaseLayoutFixture.deployed(root, T0, "v1.2.9", "v1.3.0");

    RollbackResult r = run(strategy().keepFailedRelease(false).build(), "v1.3.0", "v1.2.9");

    assertThat(r.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(layout.exists("v1.3.0")).isTrue();
    assertThat(layout.failedReleases()).isEmpty();
  }

  @Test
  void theCleanUpStepKeepsNReleasesTheTargetAndTheYoungFailedRelease() throws Exception {
    SymlinkReleases layout = ReleaseLayoutFixture.deployed(root, T0, "v1", "v2", "v3", "v4", "v5");

    RollbackResult r = run(strategy().keep(2).build(), "v5", "v1");

    assertThat(r.outcome()).as(r.failureMessage().orElse("")).isEqualTo(RunOutcome.SUCCEEDED);
    // v1 is the target and current; v4 is the newest other; v5 failed an instant ago and is kept.
    assertThat(layout.releases()).containsExactly("v1", "v4");
    assertThat(layout.failedReleases()).containsExactly("v5.failed-20261128-093015");
    assertThat(r.step(SymlinkStrategy.CLEAN_UP_STEP).orElseThrow().facts().get("removed")).contains("v2", "v3");
  }

  @Test
  void inspectReadsTheCurrentReleaseAndTheHistoryNewestFirstWithoutFailedReleases() throws Exception {
    SymlinkReleases layout = ReleaseLayoutFixture.deployed(root, T0, "v1", "v2", "v3", "v4");
    layout.switchTo("v3");
    layout.markFailed("v4", T0.plusSeconds(90_000));

    PlatformState state = strategy().build().inspect();

    assertThat(state.currentVersion()).isEqualTo("v3");
    assertThat(state.history()).extracting(Revision::version).containsExactly("v2", "v1");
    assertThat(state.history().get(0).createdAt()).isEqualTo(T0.plusSeconds(3600));
    assertThat(state.history().get(0).details()).containsEntry("complete", "true").containsEntry("lastAction", "deploy");
  }

  @Test
  void asAPlanStrategyItRollsBackAndConverges() throws Exception {
    SymlinkReleases layout = ReleaseLayoutFixture.deployed(root, T0, "v1.2.9", "v1.3.0");
    SymlinkStrategy s = strategy().build();

    RollbackResult r = RollbackRunner.create().run(RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9").strategy(s).build());

    assertThat(r.outcome()).as(r.failureMessage().orElse("")).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(layout.current()).contains("v1.2.9");
    assertThat(r.steps()).anySatisfy(step -> assertThat(step.outcome()).isEqualTo(StepOutcome.SUCCEEDED));
  }

  @Test
  void aServiceThatNeverBecomesReadyFailsTheRunNamingTheService() throws Exception {
    ReleaseLayoutFixture.deployed(root, T0, "v1.2.9", "v1.3.0");
    SymlinkStrategy s = SymlinkStrategy.builder(root)
        .service(ServiceControls.commands(List.of("true"), List.of("false")))
        .readinessTimeout(Duration.ofMillis(300))
        .build();

    RollbackResult r = RollbackRunner.create().run(plan(s));

    assertThat(r.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(r.failureMessage()).hasValueSatisfying(m -> assertThat(m).contains("command true not ready within PT0.3S"));
  }

  @Test
  void theBuilderReportsEveryProblemAtOnce() {
    assertThatThrownBy(() -> SymlinkStrategy.builder(null).keep(0).marker("../x").readinessTimeout(Duration.ZERO).operator("two words").build())
        .isInstanceOf(RollbackException.class)
        .satisfies(e -> assertThat(((RollbackException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .satisfies(e -> assertThat(((RollbackException) e).problems()).hasSize(5))
        .hasMessageContaining("root must be set")
        .hasMessageContaining("keep must be at least 1, but was 0")
        .hasMessageContaining("marker must be a relative path inside a release, but was '../x'")
        .hasMessageContaining("readinessTimeout must be positive, but was PT0S")
        .hasMessageContaining("operator must be one word");
  }

  @Test
  void theProviderMakesTheStrategyFromSettings() throws Exception {
    ReleaseLayoutFixture.deployed(root, T0, "v1.2.9", "v1.3.0");
    Strategies strategies = Strategies.builder().discover(false).provider(new SymlinkStrategyProvider()).build();

    RollbackStrategy s = strategies.create("symlink",
        Map.of("root", root.toString(), "keep", "3", "marker", "REVISION", "readinessTimeout", "PT30S", "service", "checkout.service"));

    assertThat(s).isInstanceOf(SymlinkStrategy.class);
    assertThat(s.name()).isEqualTo("symlink");
    assertThat(s.convergenceTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(((SymlinkStrategy) s).keep()).isEqualTo(3);
    assertThat(((SymlinkStrategy) s).service()).hasValueSatisfying(c -> assertThat(c.name()).isEqualTo("systemd checkout.service"));
    assertThat(s.inspect().currentVersion()).isEqualTo("v1.3.0");
  }

  @Test
  void theProviderNamesEveryBadSetting() {
    SymlinkStrategyProvider provider = new SymlinkStrategyProvider();

    assertThatThrownBy(() -> provider.create(Map.of("kep", "5", "keep", "five", "service", "-x", "readinessTimeout", "soon")))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("unknown setting 'kep' (did you mean 'keep'?)")
        .hasMessageContaining("setting 'root' is required")
        .hasMessageContaining("setting 'keep' must be a whole number of releases, but was 'five'")
        .hasMessageContaining("setting 'service': unit must be a systemd unit name")
        .hasMessageContaining("setting 'readinessTimeout' must be ISO-8601 (PT2M) or seconds (120), but was 'soon'");
  }

  private static RollbackPlan plan(SymlinkStrategy s) {
    RollbackPlan.Builder plan = RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9");
    s.steps().forEach(plan::step);
    return plan.build();
  }
}
