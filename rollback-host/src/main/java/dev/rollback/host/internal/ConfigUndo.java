package dev.rollback.host.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Puts files back as a {@link ConfigBackupLog} says they were, newest change first. */
public final class ConfigUndo {
  private ConfigUndo() {}

  /**
   * Undoes one change: restores the backup over the live file, or deletes a file the step created.
   *
   * @param entry the change
   * @return what was done, for the timeline ("restored" or "deleted")
   */
  public static String undo(ConfigBackupLog.Entry entry) throws IOException {
    Path live = Path.of(entry.live());
    if (entry.backup() == null) {
      Files.deleteIfExists(live);
      return "deleted";
    }
    Path backup = Path.of(entry.backup());
    if (!Files.isRegularFile(backup)) {
      throw new IOException("backup " + backup + " of " + live + " is gone: restore " + live + " by hand");
    }
    ConfigFiles.restore(backup, live);
    return "restored";
  }

  /**
   * Undoes every change, newest first, going on after a failure.
   *
   * @param log the changes
   * @return the failures, one line each; empty when everything was put back
   */
  public static List<String> undoAll(ConfigBackupLog log) {
    List<String> failures = new ArrayList<>();
    List<ConfigBackupLog.Entry> entries = new ArrayList<>(log.entries());
    Collections.reverse(entries);
    for (ConfigBackupLog.Entry e : entries) {
      try {
        undo(e);
      } catch (IOException | RuntimeException ex) {
        failures.add(e.live() + ": " + ex.getMessage());
      }
    }
    return failures;
  }
}
