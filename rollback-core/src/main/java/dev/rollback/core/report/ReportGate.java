package dev.rollback.core.report;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One evaluation of a metric gate, from a timeline entry with {@code kind=gate}.
 *
 * @param name the gate's name
 * @param metric what it measured ({@code error-rate}, {@code latency-p99}, ...), "" when not recorded
 * @param verdict PASS, FAIL, INCONCLUSIVE or NODATA as recorded, "" when not recorded
 * @param threshold the threshold, as recorded, or null
 * @param value the value the verdict was made on, as recorded, or null
 * @param stepId the step that recorded it, or null
 * @param at when it was recorded
 * @param samples the samples, in time order
 * @since 0.1.0
 */
public record ReportGate(String name, String metric, String verdict, @Nullable String threshold, @Nullable String value,
    @Nullable String stepId, Instant at, List<ReportSample> samples) {
  /** Checks and copies the components. */
  public ReportGate {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(at, "at");
    samples = List.copyOf(samples);
  }
}
