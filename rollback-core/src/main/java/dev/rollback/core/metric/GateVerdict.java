package dev.rollback.core.metric;

/**
 * What a {@link MetricGate} concluded from its samples.
 *
 * @since 0.1.0
 */
public enum GateVerdict {
  /** Enough valid samples, and no more failures than the gate's failure limit. */
  PASS,
  /** More failed samples than the failure limit, or more consecutive query errors than allowed. */
  FAIL,
  /**
   * Neither pass nor fail: too few valid samples (below the minimum sample size), or more
   * inconclusive samples than the inconclusive limit. Never counted as a pass.
   */
  INCONCLUSIVE,
  /** No sample carried a value, and the gate's {@link NoDataPolicy} did not say otherwise. */
  NODATA
}
