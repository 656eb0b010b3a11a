package dev.rollback.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The release layout on a real filesystem: atomic swaps, name checks, history, clean-up. */
class SymlinkReleasesTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  @TempDir Path root;

  @Test
  void aReaderResolvingCurrentThousandsOfTimesDuring100SwapsNeverSeesAMissingLink() throws Exception {
    SymlinkReleases layout = ReleaseLayoutFixture.deployed(root, T0, "v1", "v2");
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger reads = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      while (!stop.get()) {
        try {
          Path link = Files.readSymbolicLink(layout.currentLink());
          Path real = layout.currentLink().toRealPath();
          String app = Files.readString(real.resolve("app.txt"));
          if (!link.toString().startsWith("releases/") || !app.startsWith("app v")) {
            throw new AssertionError("unexpected " + link + " / " + app);
          }
          reads.incrementAndGet();
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
          return;
        }
      }
    }, "current-reader");
    reader.start();
    for (int i = 0; i < 100; i++) {
      assertThat(layout.switchTo(i % 2 == 0 ? "v1" : "v2")).isTrue();
      while (reads.get() < 30 * (i + 1) && reader.isAlive()) {
        Thread.onSpinWait();
      }
    }
    stop.set(true);
    reader.join(10_000);

    assertThat(failure.get()).as("a read of current failed during the swaps").isNull();
    assertThat(reads.get()).isGreaterThanOrEqualTo(3_000);
    assertThat(layout.current()).contains("v2");
    assertThat(Files.readSymbolicLink(layout.currentLink())).isEqualTo(Path.of("releases", "v2"));
    try (var s = Files.list(root)) {
      assertThat(s.map(p -> p.getFileName().toString())).as("no temporary link left behind").containsExactlyInAnyOrder("releases", "current", "revisions.log");
    }
  }

  @Test
  void switchingToTheReleaseCurrentAlreadyPointsToChangesNothing() throws Exception {
    SymlinkReleases layout = ReleaseLayoutFixture.deployed(root, T0, "v1", "v2");

    assertThat(layout.switchTo("v2")).isFalse();
    assertThat(layout.current()).contains("v2");
  }

  @ParameterizedTest(name = "''{0}'' is rejected")
  @ValueSource(strings = {"../etc", "/abs", "a/b", "..", "", ".hidden", "a\\b", "v1..2", "v1 2", "v1.failed-20261120-100000"})
  void hostileVersionNamesAreRejectedNamingTheValue(String name) throws Exception {
    SymlinkReleases layout = ReleaseLayoutFixture.deployed(root, T0, "v1");

    assertThatThrownBy(() -> layout.switchTo(name))
        .isInstanceOf(RollbackException.class)
        .satisfies(e -> assertThat(((RollbackException) e).code()).isEqualTo(ErrorCode.VERSION_REJECTED))
        .hasMessageContaining(name.isEmpty() ? "must not be empty" : "'" + name + "'");
    assertThat(layout.current()).contains("v1");
    assertThat(Files.exists(root.resolve("etc"))).isFalse();
  }

  @Test
  void aMissingReleaseIsRejectedAndCurrentStaysPut() throws Exception {
    SymlinkReleases layout = ReleaseLayoutFixture.deployed(root, T0, "v1");

    assertThatThrownBy(() -> layout.switchTo("v0"))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("release 'v0' does not exist");
    assertThat(layout.current()).contains("v1");
  }

  @Test
  void currentThatIsNotASymlinkIsReportedClearly() throws Exception {
    Files.createDirectories(root.resolve("current"));

    assertThatThrownBy(() -> SymlinkReleases.at(root).current()).isInstanceOf(IOException.class).hasMessageContaining("is not a symlink");
  }

  @Test
  void releasesAreListedNewestFirstByTheRevisionsLogAndFailedOnesAreListedApart() throws Exception {
    SymlinkReleases layout = ReleaseLayoutFixture.deployed(root, T0, "v1", "v2", "v3");
    layout.appendRevision(new RevisionLogEntry(T0.plusSeconds(86_400), "v1", "alice", RevisionLogEntry.ROLLBACK, Map.of("from", "v3")));
    layout.switchTo("v1");
    Path failed = layout.markFailed("v3", T0.plusSeconds(86_400));
    Files.createDirectories(root.resolve("releases").resolve(".tmp-upload"));

    assertThat(failed.getFileName().toString()).isEqualTo("v3.failed-20261121-100000");
    assertThat(layout.releases()).containsExactly("v1", "v2");
    assertThat(layout.failedReleases()).containsExactly("v3.failed-20261121-100000");
    assertThat(layout.revisions()).extracting(RevisionLogEntry::action).containsExactly("deploy", "deploy", "deploy", "rollback");
    assertThat(layout.revisions().get(3).details()).containsEntry("from", "v3");
  }

  @Test
  void theReleaseCurrentPointsToCannotBeMarkedFailed() throws Exception {
    SymlinkReleases layout = ReleaseLayoutFixture.deployed(root, T0, "v1", "v2");

    assertThatThrownBy(() -> layout.markFailed("v2", T0)).isInstanceOf(RollbackException.class).hasMessageContaining("current points to it");
    assertThat(layout.exists("v2")).isTrue();
  }

  @Test
  void cleanUpKeepsTheNewestNAndNeverTheCurrentTheTargetOrAYoungFailedRelease() throws Exception {
    SymlinkReleases layout = ReleaseLayoutFixture.deployed(root, T0, "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8");
    Instant now = T0.plus(Duration.ofDays(3));
    layout.switchTo("v1"); // current is the oldest release
    layout.markFailed("v8", now.minus(Duration.ofHours(2))); // young failed release
    layout.markFailed("v7", now.minus(Duration.ofDays(2))); // old failed release
    Path outside = Files.createDirectories(root.resolve("outside"));
    Files.writeString(outside.resolve("keep-me"), "x");
    Files.createSymbolicLink(root.resolve("releases").resolve("v2").resolve("escape"), outside);

    List<Path> removed = layout.cleanUp(3, Set.of("v2"), now, Duration.ofDays(1));

    assertThat(removed).extracting(p -> p.getFileName().toString())
        .containsExactlyInAnyOrder("v3", "v7.failed-" + stamp(now.minus(Duration.ofDays(2))));
    assertThat(layout.releases()).containsExactlyInAnyOrder("v6", "v5", "v4", "v2", "v1");
    assertThat(layout.failedReleases()).containsExactly("v8.failed-" + stamp(now.minus(Duration.ofHours(2))));
    assertThat(layout.current()).contains("v1");
    assertThat(outside.resolve("keep-me")).exists();
  }

  @Test
  void cleanUpRemovesNothingWhenThereAreNoMoreThanNReleases() throws Exception {
    SymlinkReleases layout = ReleaseLayoutFixture.deployed(root, T0, "v1", "v2", "v3");

    assertThat(layout.cleanUp(5, Set.of(), T0, Duration.ofDays(1))).isEmpty();
    assertThat(layout.releases()).hasSize(3);
  }

  @Test
  void revisionLogLinesRoundTripAndForeignLinesAreIgnored() throws Exception {
    SymlinkReleases layout = SymlinkReleases.at(root);
    Map<String, String> details = new java.util.LinkedHashMap<>();
    details.put("from", "v1.3.0");
    details.put("run", "r-1");
    RevisionLogEntry e = new RevisionLogEntry(T0, "v1.2.9", "on call", RevisionLogEntry.ROLLBACK, details);
    layout.appendRevision(e);
    Files.writeString(layout.revisionsLog(), "Branch main deployed as release 2026 by bob\n", java.nio.file.StandardOpenOption.APPEND);

    assertThat(Files.readString(layout.revisionsLog())).startsWith("2026-11-20T10:00:00Z\tv1.2.9\ton_call\trollback\tfrom=v1.3.0 run=r-1\n");
    assertThat(layout.revisions()).containsExactly(new RevisionLogEntry(T0, "v1.2.9", "on_call", "rollback", Map.of("from", "v1.3.0", "run", "r-1")));
  }

  private static String stamp(Instant at) {
    return java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC).format(at);
  }
}
