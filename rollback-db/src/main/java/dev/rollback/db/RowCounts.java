package dev.rollback.db;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Row counts of critical tables, taken before the rollback by {@link
 * DatabaseVerification#baseline(String)} and compared after it. Journaled with the step, so a
 * resumed run still compares against the counts from before.
 *
 * @param counts rows per table
 * @param capturedAt when they were counted, on the run's clock
 * @since 0.1.0
 */
public record RowCounts(Map<String, Long> counts, Instant capturedAt) {
  /** Checks and copies the components. */
  public RowCounts {
    counts = java.util.Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(counts, "counts")));
    Objects.requireNonNull(capturedAt, "capturedAt");
  }
}
