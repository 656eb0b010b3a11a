package dev.rollback.core.report;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A health suite's result, from a timeline entry with {@code kind=health-suite}.
 *
 * @param name the suite's name
 * @param verdict its verdict as recorded, "" when not recorded
 * @param stepId the step that recorded it, or null
 * @param at when it was recorded
 * @param rows its table, one row per endpoint
 * @since 0.1.0
 */
public record ReportHealthSuite(String name, String verdict, @Nullable String stepId, Instant at, List<ReportHealthRow> rows) {
  /** Checks and copies the components. */
  public ReportHealthSuite {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(at, "at");
    rows = List.copyOf(rows);
  }
}
