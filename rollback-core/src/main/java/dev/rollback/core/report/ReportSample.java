package dev.rollback.core.report;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One sample of a metric gate, as the gate recorded it.
 *
 * @param at when the value was taken
 * @param value the value, or null when the source had no data at that moment
 * @since 0.1.0
 */
public record ReportSample(Instant at, @Nullable Double value) {
  /** Checks the components. */
  public ReportSample {
    Objects.requireNonNull(at, "at");
  }
}
