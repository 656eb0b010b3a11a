package dev.rollback.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.RollbackException;
import dev.rollback.core.release.ReleaseLedger;
import dev.rollback.core.release.ReleaseOutcome;
import dev.rollback.core.release.ReleaseRecord;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code JdbcReleaseLedger} held to core's ledger rules (the cases of core's {@code
 * ReleaseLedgerTest}), plus what only a shared store shows. Run on H2 and the real PostgreSQL.
 */
abstract class JdbcReleaseLedgerContract {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  abstract ConnectionSource database();

  String prefix;
  ReleaseLedger ledger;

  @BeforeEach
  void newTables() {
    prefix = "l" + PREFIXES.incrementAndGet() + "_";
    ledger = another();
  }

  /** @return a ledger on the same table, as another process would open it */
  ReleaseLedger another() {
    return JdbcStores.builder(database()).tablePrefix(prefix).build().releaseLedger();
  }

  @Test
  void aNewDeployEndsTheRunningReleaseAsStable() {
    ledger.deployed("checkout", "v1.2.9", T0);
    another().deployed("checkout", "v1.3.0", T0.plus(Duration.ofDays(3)));

    List<ReleaseRecord> all = ledger.releases("checkout");
    assertThat(all).extracting(ReleaseRecord::version).containsExactly("v1.2.9", "v1.3.0");
    assertThat(all.get(0).outcome()).isEqualTo(ReleaseOutcome.STABLE);
    assertThat(all.get(0).retiredAt()).isEqualTo(T0.plus(Duration.ofDays(3)));
    assertThat(all.get(1).outcome()).isEqualTo(ReleaseOutcome.RUNNING);
    assertThat(all.get(1).retiredAt()).isNull();
    assertThat(ledger.releases("other")).isEmpty();
  }

  @Test
  void stabilityNeedsTheSoakTimeNoIncidentAndNoFailure() {
    Instant now = T0.plus(Duration.ofDays(10));
    ledger.record(new ReleaseRecord("svc", "v1", T0, T0.plus(Duration.ofDays(2)), ReleaseOutcome.STABLE, List.of()));
    ledger.record(new ReleaseRecord("svc", "v2", T0.plus(Duration.ofDays(2)), T0.plus(Duration.ofDays(3)), ReleaseOutcome.FAILED, List.of()));
    ledger.record(new ReleaseRecord("svc", "v3", T0.plus(Duration.ofDays(3)), T0.plus(Duration.ofDays(4)), ReleaseOutcome.STABLE, List.of("INC-7")));
    ledger.record(new ReleaseRecord("svc", "v4", T0.plus(Duration.ofDays(4)), T0.plus(Duration.ofDays(4)).plus(Duration.ofHours(2)),
        ReleaseOutcome.STABLE, List.of()));

    Duration soak = Duration.ofHours(24);
    assertThat(ledger.stableRecord("svc", "v1", soak, now)).isPresent();
    assertThat(ledger.stableRecord("svc", "v2", soak, now)).isEmpty();
    assertThat(ledger.stableRecord("svc", "v3", soak, now)).isEmpty();
    assertThat(ledger.stableRecord("svc", "v4", soak, now)).isEmpty();
    assertThat(ledger.stableRecord("svc", "v4", Duration.ofHours(1), now)).isPresent();
    assertThat(ledger.latest("svc", "v4").orElseThrow().describe(soak, now))
        .isEqualTo("v4 ran 2 hours from 2026-11-24T10:00:00Z, ended STABLE, shorter than the soak time of 24 hours");
  }

  @Test
  void endingAReleaseThatDoesNotRunIsAClearError() {
    ledger.deployed("svc", "v2", T0);
    assertThatThrownBy(() -> ledger.ended("svc", "v1", T0.plusSeconds(60), ReleaseOutcome.ROLLED_BACK, List.of()))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("no running release of svc v1 to end; running now: [v2]");
    assertThatThrownBy(() -> ledger.ended("svc", "v2", T0.plusSeconds(60), ReleaseOutcome.RUNNING, List.of()))
        .hasMessageContaining("a release cannot end as RUNNING");
    assertThat(ledger.releases("svc")).singleElement().satisfies(r -> assertThat(r.outcome()).isEqualTo(ReleaseOutcome.RUNNING));
  }

  @Test
  void anEndedReleaseKeepsItsIncidentsOnceEachAcrossInstances() {
    ledger.deployed("svc", "v1", T0);
    ledger.ended("svc", "v1", T0.plusSeconds(3600), ReleaseOutcome.ROLLED_BACK, List.of("INC-1", "INC-2", "INC-1"));

    assertThat(another().releases("svc")).singleElement().satisfies(r -> {
      assertThat(r.outcome()).isEqualTo(ReleaseOutcome.ROLLED_BACK);
      assertThat(r.retiredAt()).isEqualTo(T0.plusSeconds(3600));
      assertThat(r.incidents()).containsExactly("INC-1", "INC-2");
    });
  }

  @Test
  void aDeployBeforeTheRunningReleaseStartedIsRefusedAndChangesNothing() {
    ledger.deployed("svc", "v2", T0);

    assertThatThrownBy(() -> ledger.deployed("svc", "v3", T0.minusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retired at 2026-11-20T09:59:59Z, before it was deployed at 2026-11-20T10:00:00Z");
    assertThat(ledger.releases("svc")).singleElement().satisfies(r -> assertThat(r.outcome()).isEqualTo(ReleaseOutcome.RUNNING));
  }

  @Test
  void recordsWithOneDeployTimeComeBackInTheOrderTheyWereAdded() {
    for (String v : List.of("v9", "v1", "v5")) {
      ledger.record(new ReleaseRecord("svc", v, T0, T0, ReleaseOutcome.FAILED, List.of()));
    }
    assertThat(another().releases("svc")).extracting(ReleaseRecord::version).containsExactly("v9", "v1", "v5");
  }

  @Test
  void anUnreadableRowIsAClearError() throws Exception {
    ledger.deployed("svc", "v1", T0);
    try (Connection c = database().open(); Statement s = c.createStatement()) {
      s.execute("UPDATE " + prefix + "releases SET outcome = 'EXPLODED'");
    }
    assertThatThrownBy(() -> ledger.releases("svc"))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("release ledger table " + prefix + "releases holds an unreadable row (id 1)")
        .hasMessageContaining("fix or delete the row");
  }
}
