package dev.rollback.core.metric;

import dev.rollback.core.health.MetricSource;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A {@link MetricSource} over the Prometheus HTTP API: {@link #read(String)} is an instant query
 * ({@code /api/v1/query}), {@link #range} a range query ({@code /api/v1/query_range}).
 *
 * <p>A query must yield one number: a scalar or a single series. An empty result or NaN (e.g. 0/0
 * when there is no traffic) is no data. Several series fail with their count and the labels of the
 * first ones: aggregate them ({@code sum(...)}). A query Prometheus rejects fails with its {@code
 * errorType} and {@code error}.
 *
 * @since 0.1.0
 */
public interface PrometheusSource extends MetricSource {

  /** @return the base address of the Prometheus server */
  URI baseUri();

  /** @return the query timeout (HTTP request and Prometheus' own {@code timeout} parameter) */
  Duration timeout();

  /**
   * Runs a range query.
   *
   * @param query the PromQL expression; must yield at most one series
   * @param start the first instant
   * @param end the last instant; not before start
   * @param step the resolution; positive
   * @return the samples in time order (Prometheus' own timestamps); empty when the query has no data;
   *     a NaN point is a sample without a value
   * @throws Exception when Prometheus cannot be reached or rejects the query
   */
  List<Sample> range(String query, Instant start, Instant end, Duration step) throws Exception;
}
