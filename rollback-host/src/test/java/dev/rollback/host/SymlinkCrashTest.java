package dev.rollback.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.journal.JournalEntry;
import dev.rollback.core.journal.JournalEntryType;
import dev.rollback.core.journal.RunJournal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM rolls a release layout back and is killed with SIGKILL between the swap and the end
 * of the restart; a new JVM resumes from the file journal. Counter files and {@code revisions.log}
 * prove that the link is swapped exactly once and that the restart and validation finish.
 */
class SymlinkCrashTest {
  private static final Duration CHILD_LIMIT = Duration.ofSeconds(60);
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  @TempDir Path dir;
  private SymlinkReleases layout;

  @BeforeEach
  void layout() throws IOException {
    layout = ReleaseLayoutFixture.deployed(dir.resolve("app"), T0, "v1.2.8", "v1.2.9", "v1.3.0");
  }

  @Test
  void killedInTheRestartAfterTheSwapWasJournaledTheResumedRunRestartsAndValidatesWithoutSwappingAgain() throws Exception {
    Process child = start("run", "in-restart");
    awaitFile(child, dir.resolve("in-restart"));
    kill(child);

    assertThat(layout.current()).contains("v1.2.9");
    assertThat(count("swaps")).isEqualTo(1);
    assertThat(count("restarts")).isEqualTo(1);
    assertThat(entries()).anySatisfy(e -> {
      assertThat(e.type()).isEqualTo(JournalEntryType.STEP_COMPLETED);
      assertThat(e.stepId()).isEqualTo(SymlinkStrategy.SWAP_STEP);
    });
    assertThat(dir.resolve("service-running.txt")).doesNotExist();

    Process resumed = start("resume");
    assertThat(resumed.waitFor(CHILD_LIMIT.toSeconds(), TimeUnit.SECONDS)).as("resuming JVM finished").isTrue();
    assertThat(resumed.exitValue()).as(output()).isZero();

    assertThat(Files.readString(dir.resolve("result.txt"))).startsWith("SUCCEEDED");
    assertThat(count("swap-executions")).as("the completed swap step is not run again").isEqualTo(1);
    assertThat(count("swaps")).isEqualTo(1);
    assertThat(count("restarts")).as("the interrupted restart is repeated").isEqualTo(2);
    assertThat(count("validations")).isEqualTo(1);
    assertSwappedOnce();
  }

  @Test
  void killedInsideTheSwapStepAfterTheLinkChangedTheRepeatedSwapStepDoesNotSwapAgain() throws Exception {
    Process child = start("run", "in-swap");
    awaitFile(child, dir.resolve("in-swap"));
    kill(child);

    assertThat(layout.current()).contains("v1.2.9");
    assertThat(count("swaps")).isEqualTo(1);
    assertThat(entries()).noneSatisfy(e -> {
      assertThat(e.type()).isEqualTo(JournalEntryType.STEP_COMPLETED);
      assertThat(e.stepId()).isEqualTo(SymlinkStrategy.SWAP_STEP);
    });

    Process resumed = start("resume");
    assertThat(resumed.waitFor(CHILD_LIMIT.toSeconds(), TimeUnit.SECONDS)).as("resuming JVM finished").isTrue();
    assertThat(resumed.exitValue()).as(output()).isZero();

    assertThat(Files.readString(dir.resolve("result.txt"))).startsWith("SUCCEEDED");
    assertThat(count("swap-executions")).as("the interrupted idempotent swap step is repeated").isEqualTo(2);
    assertThat(count("swaps")).as("but the link is not swapped again").isEqualTo(1);
    assertThat(count("restarts")).isEqualTo(1);
    assertThat(count("validations")).isEqualTo(1);
    assertSwappedOnce();
  }

  private void assertSwappedOnce() throws IOException {
    assertThat(layout.current()).contains("v1.2.9");
    assertThat(layout.revisions()).filteredOn(e -> e.action().equals(RevisionLogEntry.ROLLBACK))
        .singleElement()
        .satisfies(e -> {
          assertThat(e.version()).isEqualTo("v1.2.9");
          assertThat(e.details()).containsEntry("from", "v1.3.0").containsEntry("run", SymlinkCrashRunbook.RUN_ID);
        });
    assertThat(layout.failedReleases()).singleElement().satisfies(n -> assertThat(n).startsWith("v1.3.0.failed-"));
    assertThat(layout.releases()).containsExactly("v1.2.9", "v1.2.8");
    assertThat(Files.readString(dir.resolve("service-running.txt"))).isEqualTo("app v1.2.9");
  }

  private Process start(String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", SymlinkCrashRunbook.class.getName(), dir.toString()));
    cmd.addAll(List.of(args));
    Files.deleteIfExists(dir.resolve("result.txt"));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child-" + args[0] + ".log").toFile()).start();
  }

  private void awaitFile(Process child, Path file) throws Exception {
    long deadline = System.nanoTime() + CHILD_LIMIT.toNanos();
    while (!Files.exists(file)) {
      if (!child.isAlive()) {
        throw new AssertionError("child exited with " + child.exitValue() + " before reaching " + file.getFileName() + ":\n" + output());
      }
      if (System.nanoTime() > deadline) {
        child.destroyForcibly();
        throw new AssertionError("child did not reach " + file.getFileName() + " within " + CHILD_LIMIT);
      }
      child.waitFor(20, TimeUnit.MILLISECONDS);
    }
  }

  /** {@link Process#destroyForcibly()} sends SIGKILL on Linux: no shutdown hooks, no finally blocks. */
  private static void kill(Process child) throws InterruptedException {
    child.destroyForcibly();
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
  }

  private int count(String name) throws IOException {
    return SymlinkCrashRunbook.counted(dir, name);
  }

  private List<JournalEntry> entries() {
    return RunJournal.directory(dir.resolve("journal")).read(SymlinkCrashRunbook.RUN_ID).orElseThrow().entries();
  }

  private String output() {
    try (var files = Files.list(dir)) {
      StringBuilder sb = new StringBuilder();
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("child-")).toList()) {
        sb.append("--- ").append(f.getFileName()).append('\n').append(Files.readString(f));
      }
      return sb.toString();
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }
}
