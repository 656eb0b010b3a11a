package dev.rollback.core.health;

import java.util.OptionalDouble;

/**
 * Reads one number for a query: an error rate, a latency, a count. Prometheus, Micrometer, log and
 * system sources implement it. "No data" is an answer ({@link OptionalDouble#empty()}), never a
 * silent zero.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface MetricSource {

  /**
   * @param query what to read, in the source's language (PromQL for Prometheus, a meter name for
   *     Micrometer)
   * @return the value, or empty when the source has no data for it
   * @throws Exception when the source cannot be read
   */
  OptionalDouble read(String query) throws Exception;
}
