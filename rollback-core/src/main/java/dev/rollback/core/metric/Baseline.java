package dev.rollback.core.metric;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The value a {@link MetricGate} compares against when it checks "back to normal" rather than a
 * fixed threshold: a number the plan gives, a query read at evaluation time (a PromQL with {@code
 * offset} that looks at the pre-incident window), or a value captured before the rollback by the
 * gate's {@link MetricGate#captureBaselineStep()}.
 *
 * <pre>{@code
 * Baseline.fixed(0.002)
 * Baseline.query("sum(rate(http_errors_total[5m] offset 2h)) / sum(rate(http_requests_total[5m] offset 2h))")
 * Baseline.captured()
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Baseline {
  /** Where a baseline comes from. */
  public enum Kind {
    /** A number the plan gives. */
    FIXED,
    /** A query on the gate's source, read at each evaluation (PromQL {@code offset}). */
    QUERY,
    /** Read from the gate's source before the rollback, by {@link MetricGate#captureBaselineStep()}. */
    CAPTURED
  }

  private final Kind kind;
  private final double value;
  private final @Nullable String query;

  private Baseline(Kind kind, double value, @Nullable String query) {
    this.kind = kind;
    this.value = value;
    this.query = query;
  }

  /**
   * @param value the baseline; finite
   * @return a fixed baseline
   * @throws IllegalArgumentException when the value is not finite
   */
  public static Baseline fixed(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("a fixed baseline must be a finite number, but was " + value);
    }
    return new Baseline(Kind.FIXED, value, null);
  }

  /**
   * @param query a query on the gate's own source, e.g. a PromQL with {@code offset 1h}
   * @return a baseline read at every evaluation
   * @throws IllegalArgumentException when the query is blank
   */
  public static Baseline query(String query) {
    if (query == null || query.isBlank()) {
      throw new IllegalArgumentException("a baseline query must not be blank, but was " + (query == null ? "null" : "'" + query + "'"));
    }
    return new Baseline(Kind.QUERY, Double.NaN, query);
  }

  /** @return a baseline that the gate's capture step reads before the rollback */
  public static Baseline captured() {
    return new Baseline(Kind.CAPTURED, Double.NaN, null);
  }

  /** @return where this baseline comes from */
  public Kind kind() {
    return kind;
  }

  /** @return the fixed value; NaN unless {@link Kind#FIXED} */
  public double value() {
    return value;
  }

  /** @return the query; null unless {@link Kind#QUERY} */
  public @Nullable String query() {
    return query;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Baseline b && b.kind == kind && Double.compare(b.value, value) == 0 && Objects.equals(b.query, query);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, value, query);
  }

  @Override
  public String toString() {
    switch (kind) {
      case FIXED:
        return "baseline " + value;
      case QUERY:
        return "baseline of '" + query + "'";
      default:
        return "baseline captured before the rollback";
    }
  }
}
