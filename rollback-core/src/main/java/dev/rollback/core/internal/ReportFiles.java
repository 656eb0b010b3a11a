package dev.rollback.core.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.report.IncidentReport;
import dev.rollback.core.report.ReportFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Writes the renderings of a report into a folder, each through a temporary file that replaces the
 * old one atomically, so a reader never sees half a report and writing twice gives the same files.
 */
public final class ReportFiles {
  private ReportFiles() {}

  /**
   * @param report the report
   * @param folder where the files go; created if missing
   * @return the files, by format
   */
  public static Map<ReportFormat, Path> write(IncidentReport report, Path folder) {
    RunIds.requireSafe("run id", report.runId());
    Map<ReportFormat, Path> written = new EnumMap<>(ReportFormat.class);
    Path dir = folder.toAbsolutePath().normalize();
    for (ReportFormat format : ReportFormat.values()) {
      Path file = dir.resolve(report.runId() + "." + format.extension());
      try {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + report.runId() + ".", ".tmp");
        try {
          Files.writeString(tmp, report.render(format), StandardCharsets.UTF_8);
          try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
          }
        } finally {
          Files.deleteIfExists(tmp);
        }
      } catch (IOException e) {
        throw new RollbackException(ErrorCode.JOURNAL_FAILURE,
            "cannot write the " + format + " incident report of run " + report.runId() + " to " + file + ": " + e, e);
      }
      written.put(format, file);
    }
    return Collections.unmodifiableMap(written);
  }
}
