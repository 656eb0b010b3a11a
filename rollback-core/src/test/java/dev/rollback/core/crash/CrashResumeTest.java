package dev.rollback.core.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.ResumeDecision;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.StepOutcome;
import dev.rollback.core.journal.JournalEntry;
import dev.rollback.core.journal.JournalEntryType;
import dev.rollback.core.journal.RunJournal;
import dev.rollback.core.lock.RollbackLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM runs a plan and is killed with SIGKILL; a new JVM resumes from the file journal.
 * Side-effect counters on disk prove which steps ran how often.
 */
class CrashResumeTest {
  private static final Duration CHILD_LIMIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void resumesAfterSigkillInTheMiddleOfAnIdempotentStepWithoutRepeatingCompletedSteps() throws Exception {
    Process child = start("run", "mid-step", "true");
    awaitFile(child, dir.resolve("in-s3"));
    kill(child);

    assertThat(counts()).containsExactly(1, 1, 1, 0, 0);
    List<JournalEntryType> beforeResume = types();
    assertThat(beforeResume).endsWith(JournalEntryType.STEP_STARTED).doesNotContain(JournalEntryType.RUN_FINISHED);

    Process resumed = start("resume", "true");
    assertThat(resumed.waitFor(CHILD_LIMIT.toSeconds(), TimeUnit.SECONDS)).as("resuming JVM finished").isTrue();
    assertThat(resumed.exitValue()).as(output(resumed)).isZero();

    assertThat(Files.readString(dir.resolve("result.txt"))).startsWith("SUCCEEDED");
    // s1 and s2 completed before the kill and were not run again; s3 was interrupted and, being
    // idempotent, ran again; s4 and s5 ran once.
    assertThat(counts()).containsExactly(1, 1, 2, 1, 1);
    assertThat(types()).contains(JournalEntryType.RUN_RESUMED).endsWith(JournalEntryType.RUN_FINISHED);
  }

  @Test
  void resumesAfterSigkillBetweenTheFsyncOfAStepAndTheNextStep() throws Exception {
    Process child = start("run", "after-fsync", "false");
    awaitFile(child, dir.resolve("frozen"));
    kill(child);

    // s2's completion is durable; s3 had not begun its effect.
    assertThat(counts()).containsExactly(1, 1, 0, 0, 0);
    assertThat(entries()).anySatisfy(e -> {
      assertThat(e.type()).isEqualTo(JournalEntryType.STEP_COMPLETED);
      assertThat(e.stepId()).isEqualTo("s2");
    });

    // s3 is not idempotent, and its start was journaled, so the new JVM cannot know it did nothing:
    // the run waits for an operator's decision instead of guessing.
    Process resumed = start("resume", "false");
    assertThat(resumed.waitFor(CHILD_LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(resumed.exitValue()).as(output(resumed)).isZero();
    assertThat(Files.readString(dir.resolve("result.txt")))
        .startsWith("AWAITING_OPERATOR")
        .contains("step 's3' was interrupted")
        .contains("ResumeDecision.continueWith(\"s3\"");
    assertThat(counts()).containsExactly(1, 1, 0, 0, 0);

    Process decided = start("resume", "false", "continue");
    assertThat(decided.waitFor(CHILD_LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(decided.exitValue()).as(output(decided)).isZero();
    assertThat(Files.readString(dir.resolve("result.txt"))).startsWith("SUCCEEDED");
    assertThat(counts()).containsExactly(1, 1, 1, 1, 1);
    assertThat(entries()).anySatisfy(e -> {
      assertThat(e.type()).isEqualTo(JournalEntryType.OPERATOR_DECISION);
      assertThat(e.data()).containsEntry("action", "CONTINUE").containsEntry("by", "oncall");
    });
  }

  @Test
  void anInterruptedNonIdempotentStepCanBeSkippedByTheOperatorInANewProcess() throws Exception {
    Process child = start("run", "mid-step", "false");
    awaitFile(child, dir.resolve("in-s3"));
    kill(child);

    RollbackRunner runner = RollbackRunner.builder()
        .journal(RunJournal.directory(dir.resolve("journal")))
        .lock(RollbackLock.directory(dir.resolve("locks"), Clock.systemUTC()))
        .build();
    var plan = CrashingRunbook.plan(dir, false, false);

    RollbackResult waiting = runner.resume(plan, CrashingRunbook.RUN_ID);
    assertThat(waiting.outcome()).isEqualTo(RunOutcome.AWAITING_OPERATOR);

    RollbackResult done = runner.resume(plan, CrashingRunbook.RUN_ID,
        ResumeDecision.skip("s3", "oncall", "verified the rollback went through"));
    assertThat(done.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(done.step("s1")).hasValueSatisfying(s -> assertThat(s.outcome()).isEqualTo(StepOutcome.COMPLETED_EARLIER));
    assertThat(done.step("s3")).hasValueSatisfying(s -> assertThat(s.outcome()).isEqualTo(StepOutcome.SKIPPED));
    assertThat(counts()).containsExactly(1, 1, 1, 1, 1);
  }

  private Process start(String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", CrashingRunbook.class.getName(), dir.toString()));
    cmd.addAll(List.of(args));
    Files.deleteIfExists(dir.resolve("result.txt"));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child-" + args[0] + ".log").toFile()).start();
  }

  private void awaitFile(Process child, Path file) throws Exception {
    long deadline = System.nanoTime() + CHILD_LIMIT.toNanos();
    while (!Files.exists(file)) {
      if (!child.isAlive()) {
        throw new AssertionError("child exited with " + child.exitValue() + " before reaching " + file.getFileName() + ":\n" + output(child));
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

  private String output(Process p) {
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

  private List<Integer> counts() throws IOException {
    List<Integer> c = new ArrayList<>();
    for (String id : List.of("s1", "s2", "s3", "s4", "s5")) {
      c.add(CrashingRunbook.counted(dir, id));
    }
    return c;
  }

  private List<JournalEntry> entries() {
    return RunJournal.directory(dir.resolve("journal")).read(CrashingRunbook.RUN_ID).orElseThrow().entries();
  }

  private List<JournalEntryType> types() {
    return entries().stream().map(JournalEntry::type).toList();
  }
}
