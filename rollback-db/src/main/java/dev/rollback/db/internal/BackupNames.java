package dev.rollback.db.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Names of backups: {@code pre-rollback-<service>-<yyyyMMdd-HHmmss>}, in UTC. */
public final class BackupNames {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private BackupNames() {}

  /**
   * @param service the service
   * @param at when the backup starts (run clock)
   * @return {@code pre-rollback-<service>-<yyyyMMdd-HHmmss>}, the service's characters other than
   *     letters, digits, '.', '_' and '-' replaced by '_' so the name is a safe file name
   */
  public static String name(String service, Instant at) {
    return "pre-rollback-" + service.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + STAMP.format(at);
  }

  /**
   * @param folder the backup folder
   * @param name the backup's name
   * @param suffix the file ending
   * @return the name, with {@code -2}, {@code -3}… appended when a file (or its partial file) of
   *     that name exists already (two backups within one second)
   */
  public static String unique(Path folder, String name, String suffix) {
    String candidate = name;
    for (int i = 2; taken(folder, candidate, suffix); i++) {
      candidate = name + "-" + i;
    }
    return candidate;
  }

  /**
   * @param file the final file
   * @return the file a backup is written to until it is verified: {@code <file>.partial}
   */
  public static Path partial(Path file) {
    return file.resolveSibling(file.getFileName() + ".partial");
  }

  private static boolean taken(Path folder, String name, String suffix) {
    Path f = folder.resolve(name + suffix);
    return Files.exists(f) || Files.exists(partial(f));
  }
}
