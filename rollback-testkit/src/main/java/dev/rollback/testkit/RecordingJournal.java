package dev.rollback.testkit;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.journal.JournalEntry;
import dev.rollback.core.journal.JournalEntryType;
import dev.rollback.core.journal.JournalReplay;
import dev.rollback.core.journal.JournalWriter;
import dev.rollback.core.journal.RunJournal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An in-memory {@link RunJournal} that lets a test read what a run journaled and make the journal
 * fail, to check that a run stops when it can no longer record what it does.
 *
 * <pre>{@code
 * RollbackResult result = runner.run(plan);
 * assertThat(journal.types(result.runId())).startsWith(RUN_STARTED, STEP_STARTED);
 *
 * journal.failOnAppend(3); // the third append from now on throws
 * }</pre>
 *
 * <p>It keeps the store contract: {@link #read(String)} is empty for a run never opened, {@link
 * #runIds()} are sorted, and a writer refuses appends once closed. Appends are visible at once;
 * {@link JournalWriter#flush()} counts but has nothing to do. Thread-safe.
 *
 * @since 0.1.0
 */
public final class RecordingJournal implements RunJournal {
  private final Map<String, List<JournalEntry>> runs = new TreeMap<>();
  private long appendCalls;
  private long flushes;
  private long failAt;

  /** Creates an empty journal. */
  public RecordingJournal() {}

  /**
   * Makes the {@code n}-th append from now on (over all runs, counting from 1) throw a {@link
   * RollbackException} with {@link ErrorCode#JOURNAL_FAILURE}, as a full disk would; that entry is
   * not stored. Only that append fails; a later call replaces the earlier one.
   *
   * @param n which append fails; at least 1
   * @return this journal
   */
  public synchronized RecordingJournal failOnAppend(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("failOnAppend counts from 1, but was " + n + ": pass 1 to fail the next append");
    }
    failAt = appendCalls + n;
    return this;
  }

  /**
   * Opens a run's journal, creating it when new.
   *
   * @param runId the run
   * @return a writer that stores entries here
   */
  @Override
  public synchronized JournalWriter open(String runId) {
    Objects.requireNonNull(runId, "runId");
    runs.computeIfAbsent(runId, id -> new ArrayList<>());
    return new Writer(runId);
  }

  /**
   * @param runId the run
   * @return its entries, or empty when it was never opened
   */
  @Override
  public synchronized Optional<JournalReplay> read(String runId) {
    List<JournalEntry> entries = runs.get(runId);
    return entries == null ? Optional.empty() : Optional.of(new JournalReplay(runId, entries, List.of()));
  }

  /** @return the ids of the runs opened here, sorted */
  @Override
  public synchronized List<String> runIds() {
    return List.copyOf(runs.keySet());
  }

  /**
   * @param runId the run
   * @return its entries, in the order they were appended
   * @throws IllegalArgumentException naming the known runs when the run was never opened
   */
  public synchronized List<JournalEntry> entries(String runId) {
    List<JournalEntry> entries = runs.get(runId);
    if (entries == null) {
      throw new IllegalArgumentException("no run '" + runId + "' in this journal; runs: " + runs.keySet());
    }
    return List.copyOf(entries);
  }

  /**
   * @param runId the run
   * @return the types of its entries, in order
   * @throws IllegalArgumentException naming the known runs when the run was never opened
   */
  public List<JournalEntryType> types(String runId) {
    return entries(runId).stream().map(JournalEntry::type).toList();
  }

  /** @return how many entries were stored, over all runs (failed appends do not count) */
  public synchronized long appends() {
    return runs.values().stream().mapToLong(List::size).sum();
  }

  /** @return how many times a writer was flushed, over all runs */
  public synchronized long flushes() {
    return flushes;
  }

  /** @return the runs and their sizes */
  @Override
  public synchronized String toString() {
    return runs.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue().size() + " entries")
        .collect(java.util.stream.Collectors.joining(", ", "RecordingJournal[", "]"));
  }

  private final class Writer implements JournalWriter {
    private final String runId;
    private boolean closed;

    Writer(String runId) {
      this.runId = runId;
    }

    @Override
    public void append(JournalEntry entry) {
      Objects.requireNonNull(entry, "entry");
      synchronized (RecordingJournal.this) {
        requireOpen("append");
        if (!entry.runId().equals(runId)) {
          throw new IllegalArgumentException("entry of run " + entry.runId() + " appended to the journal of run " + runId);
        }
        appendCalls++;
        if (appendCalls == failAt) {
          throw new RollbackException(
              ErrorCode.JOURNAL_FAILURE,
              "append #" + appendCalls + " (" + entry.type() + " of run " + runId + ") failed, as the test asked with failOnAppend");
        }
        runs.get(runId).add(entry);
      }
    }

    @Override
    public void flush() {
      synchronized (RecordingJournal.this) {
        requireOpen("flush");
        flushes++;
      }
    }

    @Override
    public void close() {
      synchronized (RecordingJournal.this) {
        closed = true;
      }
    }

    private void requireOpen(String what) {
      if (closed) {
        throw new RollbackException(ErrorCode.JOURNAL_FAILURE, "cannot " + what + " to the journal of run " + runId + ": the writer is closed");
      }
    }
  }
}
