package dev.rollback.core.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.health.MetricSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Micrometer registry as a metric source. Query: {@code name[{tag=value,...}][:statistic]}; see
 * {@link dev.rollback.core.metric.MetricSources} for the statistics.
 */
public final class MicrometerMetricSource implements MetricSource {
  private static final Pattern QUERY = Pattern.compile("([A-Za-z0-9_.\\-]+)(?:\\{([^}]*)\\})?(?::([a-z0-9]+))?");

  private final MeterRegistry registry;
  private final Clock clock;
  private final Instant createdAt;
  private final Map<Meter.Id, Double> initialTotals = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastAt = new ConcurrentHashMap<>();
  private final Map<String, Double> lastTotal = new ConcurrentHashMap<>();

  /**
   * @param registry the registry
   * @param clock the clock rates are measured with
   */
  public MicrometerMetricSource(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
    this.createdAt = clock.instant();
    for (Meter m : registry.getMeters()) {
      double t = total(m);
      if (!Double.isNaN(t)) {
        initialTotals.put(m.getId(), t);
      }
    }
  }

  @Override
  public synchronized OptionalDouble read(String query) {
    Matcher q = QUERY.matcher(query == null ? "" : query.strip());
    if (!q.matches()) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "Micrometer query '" + query
          + "' is not of the form name[{tag=value,...}][:statistic], e.g. http.server.errors{uri=/pay}:rate");
    }
    String name = q.group(1);
    List<Tag> tags = tags(query, q.group(2));
    String stat = q.group(3);
    Collection<Meter> meters = registry.find(name).tags(tags).meters();
    if (meters.isEmpty()) {
      return OptionalDouble.empty();
    }
    Meter first = meters.iterator().next();
    if (stat == null) {
      stat = (first instanceof Counter || first instanceof FunctionCounter) ? "rate" : first instanceof Gauge ? "value" : "mean";
    }
    switch (stat) {
      case "rate":
        return rate(name + tags.stream().sorted().toList(), query, meters);
      case "count":
        return sum(meters, MicrometerMetricSource::count, query, stat);
      case "total":
        return sum(meters, MicrometerMetricSource::totalAmount, query, stat);
      case "value":
        return sum(meters, m -> m instanceof Gauge g ? g.value() : Double.NaN, query, stat);
      case "mean": {
        OptionalDouble total = sum(meters, MicrometerMetricSource::totalAmount, query, stat);
        OptionalDouble count = sum(meters, MicrometerMetricSource::count, query, stat);
        if (total.isEmpty() || count.isEmpty() || count.getAsDouble() == 0) {
          return OptionalDouble.empty();
        }
        return OptionalDouble.of(total.getAsDouble() / count.getAsDouble());
      }
      case "max": {
        double max = Double.NaN;
        for (Meter m : meters) {
          double v = max(m);
          if (!Double.isNaN(v)) {
            max = Double.isNaN(max) ? v : Math.max(max, v);
          }
        }
        return Double.isNaN(max) ? unsupported(query, stat, first) : OptionalDouble.of(max);
      }
      default:
        throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "Micrometer query '" + query + "' asks for statistic '" + stat
            + "': use rate, count, value, mean, max or total");
    }
  }

  private OptionalDouble rate(String key, String query, Collection<Meter> meters) {
    double total = 0;
    double previousIfFirst = 0;
    boolean any = false;
    for (Meter m : meters) {
      double t = total(m);
      if (!Double.isNaN(t)) {
        total += t;
        previousIfFirst += initialTotals.getOrDefault(m.getId(), 0.0);
        any = true;
      }
    }
    if (!any) {
      return unsupported(query, "rate", meters.iterator().next());
    }
    Instant now = clock.instant();
    Instant before = lastAt.getOrDefault(key, createdAt);
    double previous = lastTotal.getOrDefault(key, previousIfFirst);
    lastAt.put(key, now);
    lastTotal.put(key, total);
    long millis = Duration.between(before, now).toMillis();
    if (millis <= 0) {
      return OptionalDouble.empty();
    }
    double delta = total >= previous ? total - previous : total; // a meter was removed and registered again
    return OptionalDouble.of(delta * 1000.0 / millis);
  }

  private static OptionalDouble sum(Collection<Meter> meters, java.util.function.ToDoubleFunction<Meter> f, String query, String stat) {
    double sum = 0;
    boolean any = false;
    for (Meter m : meters) {
      double v = f.applyAsDouble(m);
      if (!Double.isNaN(v)) {
        sum += v;
        any = true;
      }
    }
    if (!any) {
      Meter first = meters.iterator().next();
      if (first instanceof Gauge) {
        return OptionalDouble.empty();
      }
      return unsupported(query, stat, first);
    }
    return OptionalDouble.of(sum);
  }

  private static OptionalDouble unsupported(String query, String stat, Meter m) {
    throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "Micrometer query '" + query + "': statistic '" + stat
        + "' does not apply to " + m.getId().getType() + " '" + m.getId().getName() + "'");
  }

  private static List<Tag> tags(String query, String spec) {
    List<Tag> tags = new ArrayList<>();
    if (spec == null || spec.isBlank()) {
      return tags;
    }
    for (String pair : spec.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "Micrometer query '" + query + "' has tag '" + pair.strip()
            + "' without a value: write tag=value");
      }
      String value = pair.substring(eq + 1).strip();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      tags.add(Tag.of(pair.substring(0, eq).strip(), value));
    }
    return tags;
  }

  /** The cumulative count behind a rate, or NaN. */
  private static double total(Meter m) {
    if (m instanceof Counter c) {
      return c.count();
    }
    if (m instanceof FunctionCounter c) {
      return c.count();
    }
    return count(m);
  }

  private static double count(Meter m) {
    if (m instanceof Counter c) {
      return c.count();
    }
    if (m instanceof FunctionCounter c) {
      return c.count();
    }
    if (m instanceof Timer t) {
      return t.count();
    }
    if (m instanceof FunctionTimer t) {
      return t.count();
    }
    if (m instanceof DistributionSummary s) {
      return s.count();
    }
    if (m instanceof LongTaskTimer t) {
      return t.activeTasks();
    }
    return Double.NaN;
  }

  private static double totalAmount(Meter m) {
    if (m instanceof Timer t) {
      return t.totalTime(TimeUnit.MILLISECONDS);
    }
    if (m instanceof FunctionTimer t) {
      return t.totalTime(TimeUnit.MILLISECONDS);
    }
    if (m instanceof DistributionSummary s) {
      return s.totalAmount();
    }
    if (m instanceof LongTaskTimer t) {
      return t.duration(TimeUnit.MILLISECONDS);
    }
    if (m instanceof Counter || m instanceof FunctionCounter) {
      return count(m);
    }
    return Double.NaN;
  }

  private static double max(Meter m) {
    if (m instanceof Timer t) {
      return t.max(TimeUnit.MILLISECONDS);
    }
    if (m instanceof DistributionSummary s) {
      return s.max();
    }
    if (m instanceof LongTaskTimer t) {
      return t.max(TimeUnit.MILLISECONDS);
    }
    if (m instanceof Gauge g) {
      return g.value();
    }
    return Double.NaN;
  }

  @Override
  public String toString() {
    return "Micrometer[" + registry.getClass().getSimpleName() + "]";
  }
}
