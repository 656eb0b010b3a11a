package dev.rollback.core.metric;

import dev.rollback.core.Key;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.health.MetricSource;
import dev.rollback.core.internal.GateBaselineCaptureStep;
import dev.rollback.core.internal.GateTally;
import dev.rollback.core.internal.MetricGateStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a metric a number of times and decides whether it is within its limit: a fixed threshold
 * ({@link Builder#max}, {@link Builder#min}) or a comparison with a {@link Baseline} plus a
 * tolerance. Immutable; build it with {@link #custom(String)}.
 *
 * <pre>{@code
 * MetricGate errorRate = MetricGate.custom("checkout-errors")
 *     .source(MetricSources.prometheus(URI.create("http://prometheus:9090")))
 *     .query("sum(rate(http_server_errors_total{service=\"checkout\"}[1m]))"
 *         + " / sum(rate(http_server_requests_total{service=\"checkout\"}[1m]))")
 *     .metric("error-rate")
 *     .max(0.01)
 *     .count(5).interval(Duration.ofSeconds(30))
 *     .minSamples(3)
 *     .noData(NoDataPolicy.INCONCLUSIVE)
 *     .build();
 * plan.step(errorRate.step());            // VALIDATE: fails the step on FAIL
 * }</pre>
 *
 * <p>How samples are judged (as Argo Rollouts' analysis runs): a reading with a value is compared
 * with the limit and passes or fails; a reading without data (empty result, NaN) counts as the
 * {@link NoDataPolicy} says (default {@link NoDataPolicy#INCONCLUSIVE}); a reading that throws is
 * an error. The verdict is:
 *
 * <ol>
 *   <li>{@link GateVerdict#FAIL} when more samples failed than {@link #failureLimit()} (default 0),
 *       or more consecutive reads threw than {@link #consecutiveErrorLimit()} (default 4);
 *   <li>{@link GateVerdict#NODATA} when no reading carried a value (unless the policy is {@link
 *       NoDataPolicy#PASS}, which the plan must choose);
 *   <li>{@link GateVerdict#INCONCLUSIVE} when more samples were inconclusive than {@link
 *       #inconclusiveLimit()} (default 0), or fewer samples passed than {@link #minSamples()}
 *       (default 1);
 *   <li>{@link GateVerdict#PASS} otherwise.
 * </ol>
 *
 * <p>Evaluation stops early once the gate has failed. Waits between samples go through {@link
 * StepContext#sleep}, so tests run gates on a manual clock. Query timeouts belong to the source
 * (Prometheus: 10 s by default).
 *
 * @since 0.1.0
 */
public final class MetricGate {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");

  private final String name;
  private final String metric;
  private final MetricSource source;
  private final String query;
  private final BreachDirection direction;
  private final @Nullable Double threshold;
  private final @Nullable Baseline baseline;
  private final double tolerance;
  private final double absoluteTolerance;
  private final Duration interval;
  private final int count;
  private final int failureLimit;
  private final int inconclusiveLimit;
  private final int consecutiveErrorLimit;
  private final int minSamples;
  private final NoDataPolicy noData;

  private MetricGate(Builder b) {
    this.name = b.name;
    this.metric = b.metric == null ? b.name : b.metric;
    this.source = b.source;
    this.query = b.query;
    this.direction = b.direction;
    this.threshold = b.threshold;
    this.baseline = b.baseline;
    this.tolerance = b.tolerance;
    this.absoluteTolerance = b.absoluteTolerance;
    this.interval = b.interval;
    this.count = b.count;
    this.failureLimit = b.failureLimit;
    this.inconclusiveLimit = b.inconclusiveLimit;
    this.consecutiveErrorLimit = b.consecutiveErrorLimit;
    this.minSamples = b.minSamples;
    this.noData = b.noData;
  }

  /**
   * Starts a gate.
   *
   * @param name the gate's name, unique in the plan: letters, digits, '.', '_', ':', '/' and '-'
   * @return a builder with the defaults (count 1, interval 10 s, failure limit 0, inconclusive
   *     limit 0, consecutive error limit 4, minimum 1 sample, no data counts as inconclusive)
   */
  public static Builder custom(String name) {
    return new Builder(name);
  }

  /** @return the gate's name */
  public String name() {
    return name;
  }

  /** @return the metric label for the report (defaults to the name) */
  public String metric() {
    return metric;
  }

  /** @return where the gate reads */
  public MetricSource source() {
    return source;
  }

  /** @return what the gate reads, in the source's language */
  public String query() {
    return query;
  }

  /** @return which way the metric goes when things get worse */
  public BreachDirection direction() {
    return direction;
  }

  /** @return the fixed threshold, or empty when the gate compares with a baseline */
  public OptionalDouble threshold() {
    return threshold == null ? OptionalDouble.empty() : OptionalDouble.of(threshold);
  }

  /** @return the baseline, or empty when the gate has a fixed threshold */
  public Optional<Baseline> baseline() {
    return Optional.ofNullable(baseline);
  }

  /** @return the relative tolerance around a baseline (0.5 = 50 %) */
  public double tolerance() {
    return tolerance;
  }

  /** @return the absolute tolerance around a baseline, added to the relative one */
  public double absoluteTolerance() {
    return absoluteTolerance;
  }

  /** @return the time between samples */
  public Duration interval() {
    return interval;
  }

  /** @return how many samples an evaluation takes (at most; it stops early on failure) */
  public int count() {
    return count;
  }

  /** @return how many failed samples are tolerated; one more fails the gate */
  public int failureLimit() {
    return failureLimit;
  }

  /** @return how many inconclusive samples are tolerated; one more makes the gate inconclusive */
  public int inconclusiveLimit() {
    return inconclusiveLimit;
  }

  /** @return how many consecutive read errors are tolerated; one more fails the gate */
  public int consecutiveErrorLimit() {
    return consecutiveErrorLimit;
  }

  /** @return how many passing samples the gate needs to pass */
  public int minSamples() {
    return minSamples;
  }

  /** @return what a reading without data counts as */
  public NoDataPolicy noDataPolicy() {
    return noData;
  }

  /** @return the key under which {@link #captureBaselineStep()} stores the captured baseline */
  public Key<Double> baselineKey() {
    return Key.of("gate." + name + ".baseline", Double.class);
  }

  /**
   * The limit a sample is compared with, given the baseline value.
   *
   * @param baselineValue the baseline (ignored for a fixed threshold)
   * @return the limit: a sample fails above it ({@link BreachDirection#ABOVE}) or below it
   */
  public double limit(double baselineValue) {
    if (threshold != null) {
      return threshold;
    }
    return direction == BreachDirection.ABOVE
        ? baselineValue * (1 + tolerance) + absoluteTolerance
        : baselineValue * (1 - tolerance) - absoluteTolerance;
  }

  /**
   * Describes the limit for people and the report: {@code <= 0.05}, {@code >= 0.99}, or {@code <=
   * baseline 0.01 +50% +0.001 (0.016)}.
   *
   * @param baselineValue the baseline value when known
   * @return the description
   */
  public String describeThreshold(@Nullable Double baselineValue) {
    String op = direction == BreachDirection.ABOVE ? "<= " : ">= ";
    if (threshold != null) {
      return op + GateResult.number(threshold);
    }
    String sign = direction == BreachDirection.ABOVE ? "+" : "-";
    StringBuilder sb = new StringBuilder(op).append("baseline ");
    sb.append(baselineValue == null ? "(" + baseline + ")" : GateResult.number(baselineValue));
    if (tolerance != 0) {
      sb.append(' ').append(sign).append(GateResult.number(tolerance * 100)).append('%');
    }
    if (absoluteTolerance != 0) {
      sb.append(' ').append(sign).append(GateResult.number(absoluteTolerance));
    }
    if (baselineValue != null) {
      sb.append(" (").append(rounded(limit(baselineValue))).append(')');
    }
    return sb.toString();
  }

  /**
   * Takes up to {@link #count()} samples, {@link #interval()} apart (through {@link
   * StepContext#sleep}), and judges them. Records nothing; {@link #step()} records.
   *
   * @param ctx the run's context (clock, sleeper, cancellation, captured baseline)
   * @return the verdict with its samples
   * @throws InterruptedException when interrupted
   * @throws RollbackException when the run is cancelled, or the gate compares with a captured
   *     baseline that no step captured
   */
  public GateResult evaluate(StepContext ctx) throws InterruptedException {
    GateTally tally = new GateTally(this);
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        ctx.sleep(interval);
      }
      tally.measure(ctx);
      ctx.progress("gate " + name + ": " + (i + 1) + " of " + count + " samples", (double) (i + 1) / count);
      if (tally.breached()) {
        break;
      }
    }
    return tally.result();
  }

  /**
   * This gate as a {@link Phase#VALIDATE} step with the id {@code gate-<name>}: it evaluates the
   * gate, records a timeline entry with {@link GateResult#facts()}, fails (throws {@link
   * GateFailedException}) on {@link GateVerdict#FAIL}, returns a warning on {@link
   * GateVerdict#INCONCLUSIVE} or {@link GateVerdict#NODATA}, and succeeds on {@link
   * GateVerdict#PASS}.
   *
   * @return the step
   */
  public Step step() {
    return step("gate-" + name, Phase.VALIDATE);
  }

  /**
   * This gate as a step with a given id and phase (e.g. {@link Phase#TRAFFIC_RESTORE} between
   * traffic steps).
   *
   * @param id the step id
   * @param phase the phase
   * @return the step
   */
  public Step step(String id, Phase phase) {
    return new MetricGateStep(id, phase, this);
  }

  /**
   * A {@link Phase#ASSESS} step with the id {@code baseline-<name>} that reads the gate's query
   * once, before the rollback, and stores it under {@link #baselineKey()} for a {@link
   * Baseline#captured()} comparison. It fails when the source has no data (a baseline of nothing
   * would make every later comparison meaningless).
   *
   * @return the step
   */
  public Step captureBaselineStep() {
    return new GateBaselineCaptureStep("baseline-" + name, Phase.ASSESS, this);
  }

  private static String rounded(double v) {
    if (!Double.isFinite(v)) {
      return Double.toString(v);
    }
    return new java.math.BigDecimal(v).round(new java.math.MathContext(10)).stripTrailingZeros().toPlainString();
  }

  @Override
  public String toString() {
    return "MetricGate[" + name + ", " + metric + " " + describeThreshold(null) + ", query=" + query + "]";
  }

  /**
   * Builds a {@link MetricGate}. Setters record problems instead of throwing; {@link #build()}
   * reports every problem at once, each naming the field, the value and the fix.
   */
  public static final class Builder {
    private final String name;
    private final List<String> problems = new ArrayList<>();
    private @Nullable String metric;
    private MetricSource source;
    private String query;
    private BreachDirection direction = BreachDirection.ABOVE;
    private @Nullable Double threshold;
    private @Nullable Baseline baseline;
    private double tolerance;
    private double absoluteTolerance;
    private Duration interval = Duration.ofSeconds(10);
    private int count = 1;
    private int failureLimit;
    private int inconclusiveLimit;
    private int consecutiveErrorLimit = 4;
    private int minSamples = 1;
    private NoDataPolicy noData = NoDataPolicy.INCONCLUSIVE;
    private int thresholdsSet;

    private Builder(String name) {
      this.name = name;
      if (name == null || !NAME.matcher(name).matches()) {
        problems.add("name must be 1-128 letters, digits, '.', '_', ':', '/' or '-', but was "
            + (name == null ? "null" : "'" + name + "'") + ": give e.g. \"checkout-error-rate\"");
      }
    }

    /**
     * @param source where to read
     * @return this builder
     */
    public Builder source(MetricSource source) {
      if (source == null) {
        problems.add("source must not be null: pass one of MetricSources, e.g. MetricSources.prometheus(uri)");
      }
      this.source = source;
      return this;
    }

    /**
     * @param query what to read, in the source's language (PromQL, a meter name, "errors", "p99")
     * @return this builder
     */
    public Builder query(String query) {
      if (query == null || query.isBlank()) {
        problems.add("query must not be blank, but was " + (query == null ? "null" : "'" + query + "'")
            + ": give the source's query, e.g. a PromQL expression");
      }
      this.query = query;
      return this;
    }

    /**
     * @param metric the metric label in reports, e.g. "error-rate" or "latency-p99"
     * @return this builder
     */
    public Builder metric(String metric) {
      if (metric == null || metric.isBlank()) {
        problems.add("metric must not be blank, but was " + (metric == null ? "null" : "'" + metric + "'")
            + ": give a label such as \"error-rate\"");
      } else {
        this.metric = metric;
      }
      return this;
    }

    /**
     * A fixed upper limit: a sample above it fails.
     *
     * @param max the limit; finite
     * @return this builder
     */
    public Builder max(double max) {
      if (!Double.isFinite(max)) {
        problems.add("max must be a finite number, but was " + max + ": give e.g. 0.05 for a 5 % error rate");
      }
      this.threshold = max;
      this.direction = BreachDirection.ABOVE;
      thresholdsSet++;
      return this;
    }

    /**
     * A fixed lower limit: a sample below it fails.
     *
     * @param min the limit; finite
     * @return this builder
     */
    public Builder min(double min) {
      if (!Double.isFinite(min)) {
        problems.add("min must be a finite number, but was " + min + ": give e.g. 0.99 for 99 % availability");
      }
      this.threshold = min;
      this.direction = BreachDirection.BELOW;
      thresholdsSet++;
      return this;
    }

    /**
     * Compares with a baseline instead of a fixed threshold; a sample fails when it is worse than
     * the baseline by more than the tolerance.
     *
     * @param baseline the baseline
     * @param direction which way is worse
     * @return this builder
     */
    public Builder baseline(Baseline baseline, BreachDirection direction) {
      if (baseline == null) {
        problems.add("baseline must not be null: pass Baseline.fixed(..), Baseline.query(..) or Baseline.captured()");
      }
      if (direction == null) {
        problems.add("direction must not be null: pass ABOVE (higher is worse) or BELOW (lower is worse)");
      } else {
        this.direction = direction;
      }
      this.baseline = baseline;
      thresholdsSet++;
      return this;
    }

    /**
     * @param relative how much worse than the baseline is still fine, as a fraction (0.5 = 50 %);
     *     at least 0
     * @return this builder
     */
    public Builder tolerance(double relative) {
      if (!Double.isFinite(relative) || relative < 0) {
        problems.add("tolerance must be a finite fraction >= 0, but was " + relative + ": give e.g. 0.5 for 50 % above the baseline");
      } else {
        this.tolerance = relative;
      }
      return this;
    }

    /**
     * @param absolute how much worse than the baseline is still fine, in the metric's unit; at
     *     least 0 (added to the relative tolerance; useful when the baseline is 0)
     * @return this builder
     */
    public Builder absoluteTolerance(double absolute) {
      if (!Double.isFinite(absolute) || absolute < 0) {
        problems.add("absoluteTolerance must be a finite number >= 0, but was " + absolute + ": give e.g. 0.001");
      } else {
        this.absoluteTolerance = absolute;
      }
      return this;
    }

    /**
     * @param interval the time between samples; positive (default 10 s)
     * @return this builder
     */
    public Builder interval(Duration interval) {
      if (interval == null || interval.isNegative() || interval.isZero()) {
        problems.add("interval must be positive, but was " + interval + ": give e.g. Duration.ofSeconds(30)");
      } else {
        this.interval = interval;
      }
      return this;
    }

    /**
     * @param count how many samples to take; at least 1 (default 1)
     * @return this builder
     */
    public Builder count(int count) {
      if (count < 1) {
        problems.add("count must be at least 1, but was " + count + ": give the number of samples, e.g. 5");
      } else {
        this.count = count;
      }
      return this;
    }

    /**
     * @param failureLimit failed samples tolerated; at least 0 (default 0, as Argo Rollouts)
     * @return this builder
     */
    public Builder failureLimit(int failureLimit) {
      if (failureLimit < 0) {
        problems.add("failureLimit must be >= 0, but was " + failureLimit + ": give 0 to fail on the first breach");
      } else {
        this.failureLimit = failureLimit;
      }
      return this;
    }

    /**
     * @param inconclusiveLimit inconclusive samples tolerated; at least 0 (default 0, as Argo)
     * @return this builder
     */
    public Builder inconclusiveLimit(int inconclusiveLimit) {
      if (inconclusiveLimit < 0) {
        problems.add("inconclusiveLimit must be >= 0, but was " + inconclusiveLimit + ": give 0 to stop on the first inconclusive sample");
      } else {
        this.inconclusiveLimit = inconclusiveLimit;
      }
      return this;
    }

    /**
     * @param consecutiveErrorLimit consecutive read errors tolerated; at least 0 (default 4, as Argo)
     * @return this builder
     */
    public Builder consecutiveErrorLimit(int consecutiveErrorLimit) {
      if (consecutiveErrorLimit < 0) {
        problems.add("consecutiveErrorLimit must be >= 0, but was " + consecutiveErrorLimit + ": give e.g. 4");
      } else {
        this.consecutiveErrorLimit = consecutiveErrorLimit;
      }
      return this;
    }

    /**
     * @param minSamples passing samples needed to pass; at least 1 and at most {@link #count}
     *     (default 1). With fewer, the gate is {@link GateVerdict#INCONCLUSIVE}, never a pass.
     * @return this builder
     */
    public Builder minSamples(int minSamples) {
      if (minSamples < 1) {
        problems.add("minSamples must be at least 1, but was " + minSamples + ": a gate needs a sample to pass");
      } else {
        this.minSamples = minSamples;
      }
      return this;
    }

    /**
     * @param policy what a reading without data counts as (default {@link NoDataPolicy#INCONCLUSIVE})
     * @return this builder
     */
    public Builder noData(NoDataPolicy policy) {
      if (policy == null) {
        problems.add("noData must not be null: pass INCONCLUSIVE, FAIL or PASS");
      } else {
        this.noData = policy;
      }
      return this;
    }

    /**
     * @return the gate
     * @throws RollbackException with every problem found
     */
    public MetricGate build() {
      List<String> all = new ArrayList<>(problems);
      if (source == null && problems.stream().noneMatch(p -> p.startsWith("source"))) {
        all.add("source must be set for gate '" + name + "': call source(MetricSources.prometheus(uri)) or another source");
      }
      if (query == null && problems.stream().noneMatch(p -> p.startsWith("query"))) {
        all.add("query must be set for gate '" + name + "': call query(\"...\") with the source's query");
      }
      if (thresholdsSet == 0) {
        all.add("gate '" + name + "' has no limit: call max(..), min(..) or baseline(..)");
      } else if (thresholdsSet > 1) {
        all.add("gate '" + name + "' has " + thresholdsSet + " limits: call exactly one of max(..), min(..) or baseline(..)");
      }
      if (threshold != null && (tolerance != 0 || absoluteTolerance != 0)) {
        all.add("tolerance applies to a baseline only, but gate '" + name + "' has a fixed threshold " + threshold
            + ": widen the threshold instead, or use baseline(..)");
      }
      if (minSamples > count) {
        all.add("minSamples (" + minSamples + ") must not exceed count (" + count + ") for gate '" + name
            + "': the gate could never pass; raise count or lower minSamples");
      }
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid metric gate '" + name + "'", all);
      }
      return new MetricGate(this);
    }
  }
}
