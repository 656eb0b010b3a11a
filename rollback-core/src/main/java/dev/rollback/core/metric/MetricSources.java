package dev.rollback.core.metric;

import dev.rollback.core.health.MetricSource;
import dev.rollback.core.internal.HttpLatencySampler;
import dev.rollback.core.internal.LogFileMetricSource;
import dev.rollback.core.internal.MicrometerMetricSource;
import dev.rollback.core.internal.PrometheusMetricSource;
import dev.rollback.core.internal.SystemMetricSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The metric sources of Rollback core. Each reads one number per query and answers "no data" with
 * an empty {@link java.util.OptionalDouble}, never a silent zero.
 *
 * <table>
 *   <caption>Sources and their queries</caption>
 *   <tr><th>source</th><th>query</th></tr>
 *   <tr><td>{@link #prometheus(URI)}</td><td>PromQL yielding one number</td></tr>
 *   <tr><td>{@link #micrometer(MeterRegistry, Clock)}</td>
 *       <td>{@code name[{tag=value,...}][:statistic]}, see below</td></tr>
 *   <tr><td>{@link #logFile(Path, Pattern, Pattern, Duration, Clock)}</td>
 *       <td>{@code errors}, {@code warnings} (per minute over the window), {@code errors_total},
 *       {@code warnings_total}, {@code lines_total}</td></tr>
 *   <tr><td>{@link #system(Path...)}</td><td>{@code load1}, {@code load5}, {@code load15}, {@code
 *       cpu} (load1 per processor), {@code memory.used} (fraction), {@code disk.free} (smallest free
 *       fraction of the given paths) or {@code disk.free:/path}</td></tr>
 *   <tr><td>{@link #latency(URI, int)}</td><td>{@code p50}, {@code p95}, {@code p99}, {@code max},
 *       {@code mean} in milliseconds</td></tr>
 * </table>
 *
 * <h2>Micrometer queries</h2>
 *
 * {@code http.server.errors}, {@code http.server.errors{uri=/pay,status=500}}, {@code
 * http.server.requests:p99}. Meters with the name whose tags include the given ones are combined.
 * The statistic after {@code :} defaults by meter type:
 *
 * <ul>
 *   <li>counter, function counter: {@code rate} (per second, since the previous rate read of the same
 *       meter name and tags, or since the source was created for the first read), or {@code count} (the total);
 *   <li>gauge: {@code value} (summed over matching gauges);
 *   <li>timer, long task timer, distribution summary: {@code mean} (ms for timers), {@code max},
 *       {@code count}, {@code rate}, {@code total}.
 * </ul>
 *
 * No meter with that name and tags, or a NaN gauge, is no data.
 *
 * @since 0.1.0
 */
public final class MetricSources {
  /** The default error pattern of {@link #logFile(Path, Clock)}. */
  public static final Pattern DEFAULT_ERROR_PATTERN = Pattern.compile("\\b(ERROR|FATAL|SEVERE|CRITICAL)\\b");
  /** The default warning pattern of {@link #logFile(Path, Clock)}. */
  public static final Pattern DEFAULT_WARNING_PATTERN = Pattern.compile("\\b(WARN|WARNING)\\b");

  private MetricSources() {}

  /**
   * Prometheus with the default 10 s query timeout (as Argo Rollouts).
   *
   * @param baseUri e.g. {@code http://prometheus:9090}
   * @return the source
   */
  public static PrometheusSource prometheus(URI baseUri) {
    return prometheus(baseUri, Duration.ofSeconds(10));
  }

  /**
   * @param baseUri e.g. {@code http://prometheus:9090}
   * @param timeout the query timeout; positive
   * @return the source
   * @throws dev.rollback.core.RollbackException when the address or timeout is invalid
   */
  public static PrometheusSource prometheus(URI baseUri, Duration timeout) {
    List<String> problems = new ArrayList<>();
    if (baseUri == null || baseUri.getScheme() == null || !baseUri.getScheme().matches("https?") || baseUri.getHost() == null) {
      problems.add("baseUri must be an http(s) address such as http://prometheus:9090, but was " + baseUri);
    }
    positive("timeout", timeout, problems);
    throwIf("invalid Prometheus source", problems);
    return new PrometheusMetricSource(baseUri, timeout);
  }

  /**
   * An in-process source over a Micrometer registry (query syntax above).
   *
   * @param registry the registry
   * @param clock the clock for rates; use the run's clock where there is one
   * @return the source
   */
  public static MetricSource micrometer(MeterRegistry registry, Clock clock) {
    Objects.requireNonNull(registry, "registry must not be null");
    Objects.requireNonNull(clock, "clock must not be null");
    return new MicrometerMetricSource(registry, clock);
  }

  /**
   * A log file followed like {@code tail -F | grep}, with the default patterns ({@link
   * #DEFAULT_ERROR_PATTERN}, {@link #DEFAULT_WARNING_PATTERN}) and a 1-minute window.
   *
   * @param file the log file
   * @param clock the clock that stamps lines as they are read
   * @return the source
   */
  public static MetricSource logFile(Path file, Clock clock) {
    return logFile(file, DEFAULT_ERROR_PATTERN, DEFAULT_WARNING_PATTERN, Duration.ofMinutes(1), clock);
  }

  /**
   * A log file followed like {@code tail -F | grep}. Each read first takes in the lines written
   * since the last read (no background thread): it finishes a rotated file before opening the new
   * one with the same name (the file key/inode changed), starts again from the top when the file
   * shrank (truncation), and waits when the file is missing. Lines are stamped with the clock when
   * read. It starts at the end of the file as it is at the first read, like {@code tail -F -n 0}.
   *
   * <p>{@code errors} and {@code warnings} are the matching lines per minute over the last
   * window; a file that does not exist yet has no data (not zero).
   *
   * @param file the log file
   * @param errors the pattern of error lines ({@link java.util.regex.Matcher#find()})
   * @param warnings the pattern of warning lines
   * @param window the window the per-minute rates are taken over; positive
   * @param clock the clock that stamps lines as they are read
   * @return the source
   */
  public static MetricSource logFile(Path file, Pattern errors, Pattern warnings, Duration window, Clock clock) {
    List<String> problems = new ArrayList<>();
    if (file == null) {
      problems.add("file must not be null: give the log file's path");
    }
    if (errors == null || warnings == null) {
      problems.add("errors and warnings patterns must not be null: use MetricSources.DEFAULT_ERROR_PATTERN");
    }
    positive("window", window, problems);
    if (clock == null) {
      problems.add("clock must not be null: pass the run's clock or Clock.systemUTC()");
    }
    throwIf("invalid log file source", problems);
    return new LogFileMetricSource(file, errors, warnings, window, clock);
  }

  /**
   * CPU load, memory and free disk of this host (from {@code /proc} on Linux, the JVM's
   * OperatingSystemMXBean elsewhere).
   *
   * @param paths the paths whose file systems {@code disk.free} looks at
   * @return the source
   */
  public static MetricSource system(Path... paths) {
    List<String> problems = new ArrayList<>();
    if (paths == null || java.util.Arrays.stream(paths).anyMatch(Objects::isNull)) {
      problems.add("paths must not be or contain null: give the paths whose free disk to watch, e.g. Path.of(\"/var\")");
    }
    throwIf("invalid system source", problems);
    return new SystemMetricSource(List.of(paths));
  }

  /**
   * A latency sampler: each read makes {@code requests} sequential GET requests to the endpoint and
   * answers a percentile of their latencies in milliseconds (nearest rank), with a 10 s timeout per
   * request. Requests that fail (no connection, timeout) are left out; if all fail, the read fails.
   *
   * @param endpoint the endpoint
   * @param requests how many requests per read; 1 to 10000
   * @return the source
   */
  public static MetricSource latency(URI endpoint, int requests) {
    return latency(endpoint, requests, Duration.ofSeconds(10));
  }

  /**
   * @param endpoint the endpoint
   * @param requests how many requests per read; 1 to 10000
   * @param timeout the timeout of each request; positive
   * @return the source
   */
  public static MetricSource latency(URI endpoint, int requests, Duration timeout) {
    List<String> problems = new ArrayList<>();
    if (endpoint == null || endpoint.getScheme() == null || !endpoint.getScheme().matches("https?")) {
      problems.add("endpoint must be an http(s) address, but was " + endpoint);
    }
    if (requests < 1 || requests > 10_000) {
      problems.add("requests must be between 1 and 10000, but was " + requests + ": give e.g. 20");
    }
    positive("timeout", timeout, problems);
    throwIf("invalid latency sampler", problems);
    return new HttpLatencySampler(endpoint, requests, timeout);
  }

  private static void positive(String field, Duration d, List<String> problems) {
    if (d == null || d.isNegative() || d.isZero()) {
      problems.add(field + " must be positive, but was " + d + ": give e.g. Duration.ofSeconds(10)");
    }
  }

  private static void throwIf(String subject, List<String> problems) {
    if (!problems.isEmpty()) {
      throw dev.rollback.core.RollbackException.invalid(subject, problems);
    }
  }
}
