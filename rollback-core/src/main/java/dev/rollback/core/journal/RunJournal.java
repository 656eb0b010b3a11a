package dev.rollback.core.journal;

import dev.rollback.core.internal.FileRunJournal;
import dev.rollback.core.internal.InMemoryRunJournal;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where runs are journaled: the store SPI. Core ships {@link #directory(Path)} (one JSON-lines file
 * per run, fsync on flush) and {@link #inMemory()}; {@code rollback-db} adds a JDBC store.
 *
 * @since 0.1.0
 */
public interface RunJournal {

  /**
   * Opens a run's journal for appending, creating it when new.
   *
   * @param runId the run
   * @return a writer; the caller closes it
   */
  JournalWriter open(String runId);

  /**
   * Reads a run's journal back.
   *
   * @param runId the run
   * @return the entries, or empty when the store has no such run
   */
  Optional<JournalReplay> read(String runId);

  /** @return the ids of the runs in the store */
  List<String> runIds();

  /**
   * @param folder where each run's file goes ({@code <runId>.jsonl}); created if missing
   * @return a durable store
   */
  static RunJournal directory(Path folder) {
    return new FileRunJournal(folder);
  }

  /** @return a store that keeps runs in memory, for tests and demos */
  static RunJournal inMemory() {
    return new InMemoryRunJournal();
  }
}
