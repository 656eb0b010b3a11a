package dev.rollback.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.TargetSelector;
import dev.rollback.core.release.ReleaseLedger;
import dev.rollback.core.release.ReleaseOutcome;
import dev.rollback.core.release.ReleaseRecord;
import dev.rollback.core.version.FileChange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

@RollbackTest
class InMemoryVersionCatalogTest {

  @Test
  void verifiesExistenceReachabilityAndRequiredFiles() {
    InMemoryVersionCatalog c = InMemoryVersionCatalog.newestFirst("v3", "v2", "v1")
        .file("v3", "Dockerfile", "FROM scratch\n").file("v2", "Dockerfile", "FROM scratch\n")
        .unreachable("v2").requiredFiles("Dockerfile");

    assertThat(c.verify("v3").name()).isEqualTo("v3");
    assertThatThrownBy(() -> c.verify("v9")).isInstanceOf(RollbackException.class).hasMessageContaining("tag v9 does not exist");
    assertThatThrownBy(() -> c.verify("v2")).hasMessageContaining("tag v2 is not reachable");
    assertThatThrownBy(() -> c.verify("v1")).hasMessageContaining("tag v1 is not deployable: missing [Dockerfile]");
  }

  @Test
  void readsListsAndDiffsFilesAtTags() {
    InMemoryVersionCatalog c = InMemoryVersionCatalog.newestFirst("v2", "v1")
        .file("v1", "config/app.yaml", "pool: 20\n").file("v1", "config/old.yaml", "x\n")
        .file("v2", "config/app.yaml", "pool: 5\ntimeout: 1s\n").file("v2", "db/V2__add.sql", "ALTER TABLE t ADD c int;\n");

    assertThat(new String(c.read("v1", "config/app.yaml").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("pool: 20\n");
    assertThat(c.read("v1", "missing")).isEmpty();
    assertThat(c.list("v2", "config")).containsExactly("config/app.yaml");
    assertThat(c.changes("v2")).containsExactly(
        new FileChange("config/app.yaml", null, FileChange.Type.MODIFY, 2, 1),
        new FileChange("config/old.yaml", null, FileChange.Type.DELETE, 0, 1),
        new FileChange("db/V2__add.sql", null, FileChange.Type.ADD, 1, 0));
  }

  @Test
  void drivesPreviousStableInARunbookTest(RollbackRunner runner, ManualClock clock) {
    ReleaseLedger ledger = ReleaseLedger.inMemory();
    Instant t = clock.instant().minus(Duration.ofDays(10));
    ledger.record(new ReleaseRecord("shop", "v1", t, t.plus(Duration.ofDays(4)), ReleaseOutcome.STABLE, List.of()));
    ledger.record(new ReleaseRecord("shop", "v2", t.plus(Duration.ofDays(4)), t.plus(Duration.ofDays(5)), ReleaseOutcome.FAILED, List.of()));
    ledger.deployed("shop", "v3", t.plus(Duration.ofDays(5)));

    RollbackResult result = runner.run(RollbackPlan.builder("shop").currentVersion("v3")
        .versions(InMemoryVersionCatalog.newestFirst("v3", "v2", "v1")).ledger(ledger)
        .target(TargetSelector.previousStable(Duration.ofHours(24)))
        .step(RecordingStep.named("deploy", Phase.PLATFORM_ROLLBACK).build())
        .build());

    RollbackAssertions.assertThat(result).succeeded().ranSteps("verify-target", "deploy");
    assertThat(result.toVersion()).isEqualTo("v1");
  }
}
