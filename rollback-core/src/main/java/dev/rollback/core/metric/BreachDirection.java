package dev.rollback.core.metric;

/**
 * Which way a metric goes when things get worse.
 *
 * @since 0.1.0
 */
public enum BreachDirection {
  /** Higher is worse: error rate, latency, load. A sample fails when it is above the limit. */
  ABOVE,
  /** Lower is worse: availability, throughput, free disk. A sample fails when it is below the limit. */
  BELOW
}
