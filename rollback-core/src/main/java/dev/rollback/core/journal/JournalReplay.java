package dev.rollback.core.journal;

import java.util.List;

/**
 * What a journal store read back for one run.
 *
 * @param runId the run
 * @param entries the entries, in order
 * @param problems what was wrong with the stored form (a torn last line after a crash, for
 *     example); reported, never fatal
 * @since 0.1.0
 */
public record JournalReplay(String runId, List<JournalEntry> entries, List<String> problems) {
  /** Copies the lists. */
  public JournalReplay {
    entries = List.copyOf(entries);
    problems = List.copyOf(problems);
  }
}
