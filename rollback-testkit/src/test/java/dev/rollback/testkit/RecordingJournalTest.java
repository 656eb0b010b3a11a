package dev.rollback.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.journal.JournalEntry;
import dev.rollback.core.journal.JournalEntryType;
import dev.rollback.core.journal.JournalWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordingJournalTest {
  private final RecordingJournal journal = new RecordingJournal();

  @Test
  void readIsEmptyForARunNeverOpened() {
    assertThat(journal.read("nope")).isEmpty();
    assertThat(journal.runIds()).isEmpty();
  }

  @Test
  void anOpenedRunIsReadBackEvenWithoutEntries() {
    journal.open("run-1").close();

    assertThat(journal.read("run-1")).hasValueSatisfying(r -> {
      assertThat(r.runId()).isEqualTo("run-1");
      assertThat(r.entries()).isEmpty();
      assertThat(r.problems()).isEmpty();
    });
  }

  @Test
  void keepsEachRunsEntriesInOrderAndListsRunsSorted() {
    try (JournalWriter b = journal.open("run-b"); JournalWriter a = journal.open("run-a")) {
      b.append(entry("run-b", 1, JournalEntryType.RUN_STARTED));
      a.append(entry("run-a", 1, JournalEntryType.RUN_STARTED));
      b.append(entry("run-b", 2, JournalEntryType.STEP_STARTED));
      b.flush();
    }

    assertThat(journal.runIds()).containsExactly("run-a", "run-b");
    assertThat(journal.types("run-b")).containsExactly(JournalEntryType.RUN_STARTED, JournalEntryType.STEP_STARTED);
    assertThat(journal.entries("run-a")).extracting(JournalEntry::seq).containsExactly(1L);
    assertThat(journal.appends()).isEqualTo(3);
    assertThat(journal.flushes()).isEqualTo(1);
    assertThat(journal).hasToString("RecordingJournal[run-a=1 entries, run-b=2 entries]");
  }

  @Test
  void failOnAppendFailsExactlyThatAppendAndDoesNotStoreIt() {
    JournalWriter w = journal.open("run-1");
    w.append(entry("run-1", 1, JournalEntryType.RUN_STARTED));
    journal.failOnAppend(2);

    w.append(entry("run-1", 2, JournalEntryType.STEP_STARTED));
    assertThatThrownBy(() -> w.append(entry("run-1", 3, JournalEntryType.STEP_COMPLETED)))
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.JOURNAL_FAILURE))
        .hasMessageContaining("append #3 (STEP_COMPLETED of run run-1) failed");
    w.append(entry("run-1", 3, JournalEntryType.RUN_FINISHED));

    assertThat(journal.types("run-1"))
        .containsExactly(JournalEntryType.RUN_STARTED, JournalEntryType.STEP_STARTED, JournalEntryType.RUN_FINISHED);
  }

  @Test
  void failOnAppendCountsFromOne() {
    assertThatThrownBy(() -> journal.failOnAppend(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("counts from 1, but was 0");
  }

  @Test
  void aClosedWriterRefusesToAppend() {
    JournalWriter w = journal.open("run-1");
    w.close();

    assertThatThrownBy(() -> w.append(entry("run-1", 1, JournalEntryType.RUN_STARTED)))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("the writer is closed");
    assertThat(journal.entries("run-1")).isEmpty();
  }

  @Test
  void aWriterRefusesAnEntryOfAnotherRun() {
    JournalWriter w = journal.open("run-1");

    assertThatThrownBy(() -> w.append(entry("run-2", 1, JournalEntryType.RUN_STARTED)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("entry of run run-2 appended to the journal of run run-1");
  }

  @Test
  void askingForAnUnknownRunNamesTheKnownOnes() {
    journal.open("run-1");

    assertThatThrownBy(() -> journal.entries("run-9"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no run 'run-9' in this journal; runs: [run-1]");
  }

  private static JournalEntry entry(String runId, long seq, JournalEntryType type) {
    return new JournalEntry(seq, ManualClock.DEFAULT_START, runId, type, null, 0, Map.of(), Map.of(), Map.of());
  }
}
