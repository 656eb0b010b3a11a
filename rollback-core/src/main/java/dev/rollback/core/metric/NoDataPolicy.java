package dev.rollback.core.metric;

/**
 * What a {@link MetricGate} makes of a reading without data (an empty Prometheus vector, a NaN, a
 * meter that does not exist). Low traffic produces no data; the plan says what that means, and no
 * gate ever passes silently on it.
 *
 * @since 0.1.0
 */
public enum NoDataPolicy {
  /**
   * The default: a reading without data counts as inconclusive; a gate whose readings all lacked
   * data ends {@link GateVerdict#NODATA}, which is never a pass.
   */
  INCONCLUSIVE,
  /** A reading without data counts as a failed sample. */
  FAIL,
  /**
   * A reading without data counts as a passing sample. Only for metrics where silence is good news
   * (an error counter that is absent until the first error); the plan has to choose it.
   */
  PASS
}
