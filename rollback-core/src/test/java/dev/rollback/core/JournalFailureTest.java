package dev.rollback.core;

import static dev.rollback.core.support.Steps.logging;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.journal.JournalEntry;
import dev.rollback.core.journal.JournalEntryType;
import dev.rollback.core.journal.JournalReplay;
import dev.rollback.core.journal.JournalWriter;
import dev.rollback.core.journal.RunJournal;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JournalFailureTest {

  /** A store whose writers fail on one flush (the disk was full for a moment). */
  static final class FlakyJournal implements RunJournal {
    final RunJournal delegate = RunJournal.inMemory();
    final AtomicInteger flushes = new AtomicInteger();
    final int failingFlush;
    final boolean failForever;

    FlakyJournal(int failingFlush, boolean failForever) {
      this.failingFlush = failingFlush;
      this.failForever = failForever;
    }

    @Override
    public JournalWriter open(String runId) {
      JournalWriter w = delegate.open(runId);
      List<JournalEntry> buffer = new CopyOnWriteArrayList<>();
      return new JournalWriter() {
        @Override
        public void append(JournalEntry entry) {
          buffer.add(entry);
        }

        @Override
        public void flush() {
          int n = flushes.incrementAndGet();
          if (n == failingFlush || (failForever && n > failingFlush)) {
            throw new RollbackException(ErrorCode.JOURNAL_FAILURE, "No space left on device");
          }
          buffer.forEach(w::append);
          buffer.clear();
        }

        @Override
        public void close() {
          flush();
        }
      };
    }

    @Override
    public Optional<JournalReplay> read(String runId) {
      return delegate.read(runId);
    }

    @Override
    public List<String> runIds() {
      return delegate.runIds();
    }
  }

  private static RollbackPlan plan(List<String> log) {
    return RollbackPlan.builder("checkout").currentVersion("v2").target("v1")
        .step(logging("drain", Phase.TRAFFIC_DRAIN, log))
        .step(logging("deploy", Phase.PLATFORM_ROLLBACK, log))
        .step(logging("restore", Phase.TRAFFIC_RESTORE, log))
        .build();
  }

  @Test
  void aJournalThatFailsMidRunAbortsCompensatesAndIsCompletedAfterwardsSoResumeRefusesIt() {
    List<String> log = new CopyOnWriteArrayList<>();
    FlakyJournal journal = new FlakyJournal(3, false); // 1: run started, 2: drain started, 3: drain done + deploy started
    RollbackRunner runner = RollbackRunner.builder().journal(journal).build();

    RollbackResult result = runner.run(plan(log));

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.failure()).contains("cannot flush the journal").contains("No space left on device");
    assertThat(log).containsExactly("execute:drain", "compensate:drain");
    assertThat(result.warnings()).anySatisfy(w -> assertThat(w).contains("was completed afterwards"));
    List<JournalEntryType> types = journal.read(result.runId()).orElseThrow().entries().stream().map(JournalEntry::type).toList();
    assertThat(types).contains(JournalEntryType.STEP_COMPENSATED).endsWith(JournalEntryType.RUN_FINISHED);
    assertThatThrownBy(() -> runner.resume(plan(log), result.runId()))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("already finished with FAILED");
  }

  @Test
  void aJournalThatStaysBrokenMakesTheResultSayNotToResume() {
    List<String> log = new CopyOnWriteArrayList<>();
    FlakyJournal journal = new FlakyJournal(3, true);

    RollbackResult result = RollbackRunner.builder().journal(journal).build().run(plan(log));

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(log).containsExactly("execute:drain", "compensate:drain");
    assertThat(result.warnings()).anySatisfy(w -> assertThat(w).contains("stays incomplete").contains("do not resume this run"));
  }

  @Test
  void aNullFactIsRejectedWithAMessage() {
    assertThatThrownBy(() -> new StepResult(StepStatus.SUCCEEDED, "x", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("facts of a StepResult must not be null");
  }
}
