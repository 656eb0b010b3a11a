/**
 * Metric sources and gates: {@link dev.rollback.core.metric.MetricSources} reads numbers from
 * Prometheus, Micrometer, log files, the host and an HTTP endpoint's latency; a {@link
 * dev.rollback.core.metric.MetricGate} turns a series of readings into a verdict (pass, fail,
 * inconclusive or no data) that validation and monitoring act on and the report charts.
 */
@NullMarked
package dev.rollback.core.metric;

import org.jspecify.annotations.NullMarked;
