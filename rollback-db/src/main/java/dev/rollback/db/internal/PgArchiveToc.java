package dev.rollback.db.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The table of contents of a custom-format archive, as {@code pg_restore --list} writes it: one
 * line per entry, {@code <dumpId>; <tableoid> <oid> <TYPE> <schema> <name> <owner>}, comments start
 * with {@code ;}.
 *
 * @param entries the number of entries
 * @param tableData the number of {@code TABLE DATA} entries (one per table whose rows are in it)
 */
public record PgArchiveToc(int entries, int tableData) {
  private static final Pattern ENTRY = Pattern.compile("^\\d+; \\d+ \\d+ .*");
  private static final Pattern TABLE_DATA = Pattern.compile("^\\d+; \\d+ \\d+ TABLE DATA .*");

  /**
   * @param list a file written by {@code pg_restore --list --file}
   * @return its counts
   * @throws IOException when it cannot be read
   */
  public static PgArchiveToc read(Path list) throws IOException {
    int entries = 0;
    int data = 0;
    try (BufferedReader r = Files.newBufferedReader(list, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (ENTRY.matcher(line).matches()) {
          entries++;
          if (TABLE_DATA.matcher(line).matches()) {
            data++;
          }
        }
      }
    }
    return new PgArchiveToc(entries, data);
  }
}
