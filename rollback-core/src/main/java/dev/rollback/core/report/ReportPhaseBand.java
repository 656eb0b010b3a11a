package dev.rollback.core.report;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The time a phase took: from the first start to the last end of its steps. The HTML report shades
 * these as bands behind its charts.
 *
 * @param phase the phase's name (a {@link dev.rollback.core.Phase} name, or {@code UNKNOWN})
 * @param start when its first step started
 * @param end when its last step ended (the end of the report for a step still running)
 * @since 0.1.0
 */
public record ReportPhaseBand(String phase, Instant start, Instant end) {
  /** Checks the components. */
  public ReportPhaseBand {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
  }

  /** @return how long the phase took */
  public Duration duration() {
    return Duration.between(start, end);
  }
}
