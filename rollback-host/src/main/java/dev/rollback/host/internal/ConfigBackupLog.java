package dev.rollback.host.internal;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a config or env-file step changed, file by file, so that its compensation (in this run or
 * in a resumed one) can put every file back. It is stored under a {@link dev.rollback.core.Key} and
 * journaled as JSON; it holds paths only, never file contents.
 *
 * @param entries the changes, in the order they were made
 */
public record ConfigBackupLog(List<Entry> entries) {

  /** Copies the list. */
  public ConfigBackupLog {
    entries = List.copyOf(entries);
  }

  /** @return an empty log */
  public static ConfigBackupLog empty() {
    return new ConfigBackupLog(List.of());
  }

  /**
   * @param entry one more change
   * @return a new log with the entry appended
   */
  public ConfigBackupLog with(Entry entry) {
    List<Entry> copy = new ArrayList<>(entries);
    copy.add(entry);
    return new ConfigBackupLog(copy);
  }

  /**
   * One changed file.
   *
   * @param live the absolute path of the live file
   * @param backup the absolute path of its backup, or null when the file did not exist before (the
   *     undo is then to delete it)
   */
  public record Entry(String live, @Nullable String backup) {}
}
