package dev.rollback.core.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.health.MetricSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * A log file as a metric source: lines matching the error and warning patterns, per minute over a
 * window, like {@code tail -F file | grep -c}. Reading is driven by {@link #read(String)}.
 */
public final class LogFileMetricSource implements MetricSource {
  private final Path file;
  private final Pattern errors;
  private final Pattern warnings;
  private final Duration window;
  private final Clock clock;
  private final LogFileFollower follower;
  private final Deque<Instant> errorTimes = new ArrayDeque<>();
  private final Deque<Instant> warningTimes = new ArrayDeque<>();
  private long errorsTotal;
  private long warningsTotal;
  private long linesTotal;

  /**
   * @param file the log file
   * @param errors the error pattern
   * @param warnings the warning pattern
   * @param window the window of the per-minute rates
   * @param clock the clock that stamps lines as they are read
   */
  public LogFileMetricSource(Path file, Pattern errors, Pattern warnings, Duration window, Clock clock) {
    this.file = file;
    this.errors = errors;
    this.warnings = warnings;
    this.window = window;
    this.clock = clock;
    this.follower = new LogFileFollower(file);
  }

  @Override
  public synchronized OptionalDouble read(String query) throws IOException {
    String q = query == null ? "" : query.strip();
    if (!q.matches("errors|warnings|errors_total|warnings_total|lines_total")) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "log source query '" + query
          + "' is unknown: use errors or warnings (per minute over the last " + window + "), errors_total, warnings_total or lines_total");
    }
    Instant now = clock.instant();
    for (String line : follower.poll()) {
      linesTotal++;
      if (errors.matcher(line).find()) {
        errorsTotal++;
        errorTimes.addLast(now);
      } else if (warnings.matcher(line).find()) {
        warningsTotal++;
        warningTimes.addLast(now);
      }
    }
    Instant from = now.minus(window);
    prune(errorTimes, from);
    prune(warningTimes, from);
    if (!follower.seen()) {
      return OptionalDouble.empty();
    }
    double minutes = window.toMillis() / 60_000.0;
    switch (q) {
      case "errors":
        return OptionalDouble.of(errorTimes.size() / minutes);
      case "warnings":
        return OptionalDouble.of(warningTimes.size() / minutes);
      case "errors_total":
        return OptionalDouble.of(errorsTotal);
      case "warnings_total":
        return OptionalDouble.of(warningsTotal);
      default:
        return OptionalDouble.of(linesTotal);
    }
  }

  private static void prune(Deque<Instant> times, Instant from) {
    while (!times.isEmpty() && !times.peekFirst().isAfter(from)) {
      times.removeFirst();
    }
  }

  @Override
  public String toString() {
    return "LogFile[" + file + ", errors /" + errors + "/, warnings /" + warnings + "/, window " + window + "]";
  }
}
