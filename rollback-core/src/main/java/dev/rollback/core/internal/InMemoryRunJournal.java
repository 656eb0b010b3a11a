package dev.rollback.core.internal;

import dev.rollback.core.journal.JournalEntry;
import dev.rollback.core.journal.JournalReplay;
import dev.rollback.core.journal.JournalWriter;
import dev.rollback.core.journal.RunJournal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps each run's entries in a list in memory. Appends are visible at once; flush does nothing. */
public final class InMemoryRunJournal implements RunJournal {
  private final Map<String, List<JournalEntry>> runs = new ConcurrentHashMap<>();

  @Override
  public JournalWriter open(String runId) {
    List<JournalEntry> entries = runs.computeIfAbsent(runId, id -> new ArrayList<>());
    return new JournalWriter() {
      @Override
      public void append(JournalEntry entry) {
        synchronized (entries) {
          entries.add(entry);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }

  @Override
  public Optional<JournalReplay> read(String runId) {
    List<JournalEntry> entries = runs.get(runId);
    if (entries == null) {
      return Optional.empty();
    }
    synchronized (entries) {
      return Optional.of(new JournalReplay(runId, List.copyOf(entries), List.of()));
    }
  }

  @Override
  public List<String> runIds() {
    return runs.keySet().stream().sorted().toList();
  }
}
