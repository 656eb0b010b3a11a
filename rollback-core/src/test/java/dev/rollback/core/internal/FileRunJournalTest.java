package dev.rollback.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.Step;
import dev.rollback.core.StepResult;
import dev.rollback.core.journal.JournalEntry;
import dev.rollback.core.journal.JournalEntryType;
import dev.rollback.core.journal.JournalReplay;
import dev.rollback.core.journal.JournalWriter;
import dev.rollback.core.journal.RunJournal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRunJournalTest {
  @TempDir Path dir;

  private static JournalEntry entry(long seq, JournalEntryType type, String step) {
    return new JournalEntry(seq, Instant.parse("2026-11-28T03:00:00Z"), "r1", type, step, step == null ? 0 : 1,
        type == JournalEntryType.RUN_STARTED
            ? Map.of("service", "svc", "from", "v2", "to", "v1", "steps", "[\"a\",\"b\"]")
            : Map.of(),
        Map.of(), Map.of());
  }

  @Test
  void writesOneJsonLinePerEntryAndReadsThemBack() throws Exception {
    RunJournal journal = RunJournal.directory(dir);
    try (JournalWriter w = journal.open("r1")) {
      w.append(entry(1, JournalEntryType.RUN_STARTED, null));
      w.append(entry(2, JournalEntryType.STEP_STARTED, "a"));
    }

    assertThat(Files.readAllLines(dir.resolve("r1.jsonl"))).hasSize(2)
        .first().asString().startsWith("{\"seq\":1,\"at\":\"2026-11-28T03:00:00Z\",\"runId\":\"r1\",\"type\":\"RUN_STARTED\"");
    JournalReplay replay = journal.read("r1").orElseThrow();
    assertThat(replay.entries()).extracting(JournalEntry::type).containsExactly(JournalEntryType.RUN_STARTED, JournalEntryType.STEP_STARTED);
    assertThat(replay.problems()).isEmpty();
    assertThat(journal.runIds()).containsExactly("r1");
    assertThat(journal.read("other")).isEmpty();
  }

  @Test
  void appendedEntriesReachTheFileOnlyWhenFlushed() throws Exception {
    RunJournal journal = RunJournal.directory(dir);
    try (JournalWriter w = journal.open("r1")) {
      w.append(entry(1, JournalEntryType.RUN_STARTED, null));
      assertThat(Files.size(dir.resolve("r1.jsonl"))).isZero();
      w.flush();
      assertThat(Files.readAllLines(dir.resolve("r1.jsonl"))).hasSize(1);
    }
  }

  @Test
  void aTornLastLineIsReportedNotFatalAndCutBeforeTheNextAppend() throws Exception {
    RunJournal journal = RunJournal.directory(dir);
    try (JournalWriter w = journal.open("r1")) {
      w.append(entry(1, JournalEntryType.RUN_STARTED, null));
      w.append(entry(2, JournalEntryType.STEP_STARTED, "a"));
    }
    Files.writeString(dir.resolve("r1.jsonl"), "{\"seq\":3,\"at\":\"2026-11-28T03:", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    JournalReplay replay = journal.read("r1").orElseThrow();
    assertThat(replay.entries()).hasSize(2);
    assertThat(replay.problems()).singleElement().asString().contains("torn last line 3").contains("ignored");

    try (JournalWriter w = journal.open("r1")) {
      w.append(entry(3, JournalEntryType.STEP_COMPLETED, "a"));
    }
    JournalReplay after = journal.read("r1").orElseThrow();
    assertThat(after.problems()).isEmpty();
    assertThat(after.entries()).extracting(JournalEntry::seq).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aRunWithATornJournalResumesAndReportsIt() throws Exception {
    RunJournal journal = RunJournal.directory(dir);
    try (JournalWriter w = journal.open("r1")) {
      w.append(entry(1, JournalEntryType.RUN_STARTED, null));
      w.append(entry(2, JournalEntryType.STEP_STARTED, "a"));
      w.append(entry(3, JournalEntryType.STEP_COMPLETED, "a"));
    }
    Files.writeString(dir.resolve("r1.jsonl"), "{\"seq\":4,\"type\":\"STEP_STA", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    RollbackPlan plan = RollbackPlan.builder("svc").currentVersion("v2").target("v1")
        .step(Step.builder("a", Phase.PRECHECK).execute(ctx -> {
          throw new AssertionError("a completed before the crash and must not run again");
        }).build())
        .step(Step.builder("b", Phase.VALIDATE).execute(ctx -> StepResult.succeeded()).build())
        .build();

    RollbackResult result = RollbackRunner.builder().journal(journal).build().resume(plan, "r1");

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(result.warnings()).anySatisfy(w -> assertThat(w).contains("torn last line"));
  }

  @Test
  void aCorruptLineInTheMiddleIsAnErrorNamingTheLine() throws Exception {
    Files.writeString(dir.resolve("r1.jsonl"), "{garbage}\n" + JournalCodec.write(entry(2, JournalEntryType.STEP_STARTED, "a")) + "\n");

    assertThatThrownBy(() -> RunJournal.directory(dir).read("r1"))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("is corrupt at line 1")
        .hasMessageContaining("inspect the file before resuming");
  }
}
