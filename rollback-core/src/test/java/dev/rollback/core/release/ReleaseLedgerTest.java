package dev.rollback.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.RollbackException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ReleaseLedgerTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  @TempDir static Path dir;

  static Stream<Arguments> ledgers() {
    return Stream.of(
        Arguments.of("in-memory", (Supplier<ReleaseLedger>) ReleaseLedger::inMemory),
        Arguments.of("json-file", (Supplier<ReleaseLedger>) () -> ReleaseLedger.jsonFile(dir.resolve("ledger-" + System.nanoTime() + ".json"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ledgers")
  void aNewDeployEndsTheRunningReleaseAsStable(String kind, Supplier<ReleaseLedger> factory) {
    ReleaseLedger ledger = factory.get();
    ledger.deployed("checkout", "v1.2.9", T0);
    ledger.deployed("checkout", "v1.3.0", T0.plus(Duration.ofDays(3)));

    List<ReleaseRecord> all = ledger.releases("checkout");
    assertThat(all).extracting(ReleaseRecord::version).containsExactly("v1.2.9", "v1.3.0");
    assertThat(all.get(0).outcome()).isEqualTo(ReleaseOutcome.STABLE);
    assertThat(all.get(0).retiredAt()).isEqualTo(T0.plus(Duration.ofDays(3)));
    assertThat(all.get(1).outcome()).isEqualTo(ReleaseOutcome.RUNNING);
    assertThat(ledger.releases("other")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ledgers")
  void stabilityNeedsTheSoakTimeNoIncidentAndNoFailure(String kind, Supplier<ReleaseLedger> factory) {
    ReleaseLedger ledger = factory.get();
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

  @ParameterizedTest(name = "{0}")
  @MethodSource("ledgers")
  void endingAReleaseThatDoesNotRunIsAClearError(String kind, Supplier<ReleaseLedger> factory) {
    ReleaseLedger ledger = factory.get();
    ledger.deployed("svc", "v2", T0);
    assertThatThrownBy(() -> ledger.ended("svc", "v1", T0.plusSeconds(60), ReleaseOutcome.ROLLED_BACK, List.of()))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("no running release of svc v1 to end; running now: [v2]");
  }

  @Test
  void theJsonFileLedgerKeepsRecordsAcrossInstances() throws Exception {
    Path file = dir.resolve("shared.json");
    ReleaseLedger.jsonFile(file).deployed("svc", "v1", T0);
    ReleaseLedger.jsonFile(file).ended("svc", "v1", T0.plusSeconds(3600), ReleaseOutcome.ROLLED_BACK, List.of("INC-1"));

    assertThat(ReleaseLedger.jsonFile(file).releases("svc")).singleElement().satisfies(r -> {
      assertThat(r.outcome()).isEqualTo(ReleaseOutcome.ROLLED_BACK);
      assertThat(r.incidents()).containsExactly("INC-1");
    });
    assertThat(Files.readString(file)).contains("\"deployedAt\" : \"2026-11-20T10:00:00Z\"");
  }

  @Test
  void anUnreadableLedgerFileIsAClearError() throws Exception {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "[{\"service\": ");
    assertThatThrownBy(() -> ReleaseLedger.jsonFile(file).releases("svc"))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("release ledger " + file.toAbsolutePath() + " cannot be read");
  }
}
