package dev.rollback.core;

import static dev.rollback.core.support.Steps.noop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.journal.RunJournal;
import dev.rollback.core.release.ReleaseLedger;
import dev.rollback.core.release.ReleaseOutcome;
import dev.rollback.core.release.ReleaseRecord;
import dev.rollback.core.support.FakeCatalog;
import dev.rollback.core.support.TestClock;
import dev.rollback.core.version.TagFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TargetSelectionTest {
  private static final Duration DAY = Duration.ofDays(1);
  private final TestClock clock = new TestClock(Instant.parse("2026-11-28T03:00:00Z"));
  private final ReleaseLedger ledger = ReleaseLedger.inMemory();
  private final FakeCatalog catalog = new FakeCatalog("v1.3.0", "v1.2.10", "v1.2.9", "v1.2.8", "v1.2.7");
  private final RollbackRunner runner = RollbackRunner.builder().clock(clock).sleeper(clock.sleeper()).journal(RunJournal.inMemory()).build();
  private final AtomicInteger rolledBack = new AtomicInteger();

  @BeforeEach
  void history() {
    Instant t = Instant.parse("2026-11-01T00:00:00Z");
    ledger.record(new ReleaseRecord("checkout", "v1.2.7", t, t.plus(Duration.ofDays(5)), ReleaseOutcome.STABLE, List.of()));
    ledger.record(new ReleaseRecord("checkout", "v1.2.8", t.plus(Duration.ofDays(5)), t.plus(Duration.ofDays(12)), ReleaseOutcome.STABLE, List.of()));
    // v1.2.9 ran for three hours only; v1.2.10 failed in production.
    ledger.record(new ReleaseRecord("checkout", "v1.2.9", t.plus(Duration.ofDays(12)), t.plus(Duration.ofDays(12)).plus(Duration.ofHours(3)),
        ReleaseOutcome.STABLE, List.of()));
    ledger.record(new ReleaseRecord("checkout", "v1.2.10", t.plus(Duration.ofDays(12)).plus(Duration.ofHours(3)), t.plus(Duration.ofDays(13)),
        ReleaseOutcome.FAILED, List.of("INC-41")));
    ledger.deployed("checkout", "v1.3.0", Instant.parse("2026-11-27T22:00:00Z"));
  }

  private RollbackPlan.Builder plan() {
    return RollbackPlan.builder("checkout")
        .currentVersion("v1.3.0")
        .versions(catalog)
        .ledger(ledger)
        .step(Step.builder("rollback", Phase.PLATFORM_ROLLBACK).execute(ctx -> {
          rolledBack.incrementAndGet();
          return StepResult.succeeded("now on " + ctx.toVersion());
        }).build());
  }

  @Test
  void previousStableSkipsAFailedVersionAndOneYoungerThanTheSoakTime() {
    RollbackResult result = runner.run(plan().target(TargetSelector.previousStable(DAY)).build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(result.toVersion()).isEqualTo("v1.2.8");
    assertThat(result.timeline().get(0).message())
        .startsWith("target v1.2.8: v1.2.8 is the newest version older than v1.3.0 that ran at least PT24H")
        .contains("skipped v1.2.10 ran 21 hours")
        .contains("ended FAILED with incidents [INC-41]")
        .contains("v1.2.9 ran 3 hours").contains("shorter than the soak time of 24 hours");
  }

  @Test
  void aSuccessfulRollbackIsRecordedInTheLedger() {
    RollbackResult result = runner.run(plan().target(TargetSelector.previousStable(DAY)).build());

    List<ReleaseRecord> all = ledger.releases("checkout");
    ReleaseRecord bad = ledger.latest("checkout", "v1.3.0").orElseThrow();
    assertThat(bad.outcome()).isEqualTo(ReleaseOutcome.ROLLED_BACK);
    assertThat(all.get(all.size() - 1)).satisfies(r -> {
      assertThat(r.version()).isEqualTo("v1.2.8");
      assertThat(r.outcome()).isEqualTo(ReleaseOutcome.RUNNING);
      assertThat(r.deployedAt()).isEqualTo(result.finishedAt());
    });
  }

  @Test
  void aTargetNeverStableIsRefusedBeforeAnythingIsTouched() {
    RollbackResult result = runner.run(plan().target("v1.2.10").build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(rolledBack).hasValue(0);
    assertThat(result.failure())
        .contains("v1.2.10 was never recorded stable in production for at least PT24H")
        .contains("ended FAILED with incidents [INC-41]")
        .contains("give overrideTargetStability(reason)");
  }

  @Test
  void anOverrideReasonLetsAnUnprovenTargetThroughAndIsRecorded() {
    RollbackResult result = runner.run(plan().target("v1.2.9")
        .overrideTargetStability("v1.2.9 only lacks the 24h soak; it was pulled for a marketing freeze, not a defect")
        .build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(rolledBack).hasValue(1);
    assertThat(result.timeline()).anySatisfy(t -> assertThat(t.message())
        .contains("v1.2.9 was never recorded stable in production")
        .contains("operator override: v1.2.9 only lacks the 24h soak"));
    assertThat(result.warnings()).anySatisfy(w -> assertThat(w).contains("operator override"));
  }

  @Test
  void compareAndSetStopsWhenTheCurrentVersionMoved() {
    RollbackResult result = runner.run(plan().currentVersion("v1.3.1").expectCurrentVersion("v1.3.0").target("v1.2.8").build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(rolledBack).hasValue(0);
    assertThat(result.failure()).contains("expected v1.3.0 to be running, but fixed v1.3.1 reports v1.3.1")
        .contains("someone deployed meanwhile").contains("nothing was changed");
    assertThat(result.steps()).extracting(StepRecord::outcome).containsOnly(StepOutcome.NOT_RUN);
  }

  @Test
  void compareAndSetGoesAheadWhenTheCurrentVersionIsTheExpectedOne() {
    RollbackResult result = runner.run(plan().expectCurrentVersion("v1.3.0").target("v1.2.8").build());
    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
  }

  @Test
  void endsAsNoActionWhenTheCurrentVersionAlreadyIsTheTarget() {
    RollbackResult result = runner.run(plan().currentVersion("v1.2.8").target("v1.2.8").build());
    assertThat(result.outcome()).isEqualTo(RunOutcome.NO_ACTION);
    assertThat(rolledBack).hasValue(0);
  }

  @Test
  void latestMatchingPicksTheNewestMatchingTagOtherThanTheRunningOne() {
    RollbackResult result = runner.run(plan().target(TargetSelector.latestMatching(TagFilter.glob("v1.2.?"))).build());
    assertThat(result.toVersion()).isEqualTo("v1.2.9");
    assertThat(result.failure()).contains("v1.2.9 was never recorded stable"); // the ledger still guards it
  }

  @Test
  void aTargetThatIsNotATagIsRejectedNamingIt() {
    RollbackResult result = runner.run(plan().target("v9.9.9").build());
    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.failure()).contains("tag v9.9.9 does not exist");
  }

  @Test
  void selectionFailuresAreClearAndChangeNothing() {
    assertThatThrownBy(() -> runner.run(plan().target(TargetSelector.latestMatching(TagFilter.glob("release-*"))).build()))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("no tag other than the running v1.3.0 matches glob 'release-*'")
        .hasMessageContaining("newest tags: [v1.3.0, v1.2.10");
    assertThatThrownBy(() -> runner.run(RollbackPlan.builder("checkout").currentVersion("v1.3.0").versions(new FakeCatalog())
            .ledger(ledger).target(TargetSelector.previousStable(DAY)).step(noop("x", Phase.VALIDATE)).build()))
        .hasMessageContaining("the version catalogue has no tags");
    assertThatThrownBy(() -> runner.run(plan().currentVersion("v2.0.0").target(TargetSelector.previousStable(DAY)).build()))
        .hasMessageContaining("the running version v2.0.0 is not a tag among all tags");
    assertThatThrownBy(() -> runner.run(RollbackPlan.builder("checkout").currentVersion("v1.3.0")
            .target(TargetSelector.previousStable(DAY)).step(noop("x", Phase.VALIDATE)).build()))
        .hasMessageContaining("previousStable(PT24H) needs the versions: add versions(GitVersionCatalog.open(path)) to the plan");
    assertThatThrownBy(() -> runner.run(plan().target(TargetSelector.previousStable(Duration.ofDays(30))).build()))
        .hasMessageContaining("no version older than v1.3.0 was stable in production for at least PT720H");
    assertThat(rolledBack).hasValue(0);
  }

  @Test
  void aNegativeSoakTimeIsRejected() {
    assertThatThrownBy(() -> TargetSelector.previousStable(Duration.ofHours(-1)))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("soak time must not be negative, but was PT-1H");
  }
}
