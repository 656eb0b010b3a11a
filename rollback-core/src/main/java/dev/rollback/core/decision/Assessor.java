package dev.rollback.core.decision;

import dev.rollback.core.RollbackException;
import dev.rollback.core.health.HealthCheck;
import dev.rollback.core.health.MetricSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the ASSESS phase gathers and how it decides. Give it to {@code
 * RollbackPlan.Builder.assess(...)}: the plan then starts with an {@code assess} step that gathers
 * the facts, asks the {@link DecisionPolicy}, records the decision, its rationale and the evidence
 * in the timeline, and ends the run as NO_ACTION or FORWARD_FIX when the verdict is not ROLLBACK.
 *
 * <pre>{@code
 * Assessor.custom()
 *     .health(HealthCheck.http(URI.create("https://api.example.com/health")))
 *     .errorRate(prometheus, "sum(rate(http_requests_total{code=~\"5..\"}[5m])) / sum(rate(http_requests_total[5m]))")
 *     .errorRateThreshold(0.05)
 *     .affectedSystems("checkout", "payments")
 *     .impact(new Impact(30, List.of("checkout"), List.of(), true, false, "30% of checkouts fail"))
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Assessor {
  private final @Nullable HealthCheck health;
  private final @Nullable MetricSource errorRateSource;
  private final @Nullable String errorRateQuery;
  private final double errorRateThreshold;
  private final @Nullable Double baselineErrorRate;
  private final @Nullable MetricSource latencySource;
  private final @Nullable String latencyQuery;
  private final @Nullable Duration latencyThreshold;
  private final List<String> affectedSystems;
  private final @Nullable MigrationFacts migrations;
  private final @Nullable Impact impact;
  private final DecisionPolicy policy;

  private Assessor(Builder b) {
    this.health = b.health;
    this.errorRateSource = b.errorRateSource;
    this.errorRateQuery = b.errorRateQuery;
    this.errorRateThreshold = b.errorRateThreshold;
    this.baselineErrorRate = b.baselineErrorRate;
    this.latencySource = b.latencySource;
    this.latencyQuery = b.latencyQuery;
    this.latencyThreshold = b.latencyThreshold;
    this.affectedSystems = List.copyOf(b.affectedSystems);
    this.migrations = b.migrations;
    this.impact = b.impact;
    this.policy = b.policy;
  }

  /** @return a builder */
  public static Builder custom() {
    return new Builder();
  }

  /** @return the health check, if any */
  public Optional<HealthCheck> health() {
    return Optional.ofNullable(health);
  }

  /** @return the error-rate source, if any */
  public Optional<MetricSource> errorRateSource() {
    return Optional.ofNullable(errorRateSource);
  }

  /** @return the error-rate query, if any */
  public Optional<String> errorRateQuery() {
    return Optional.ofNullable(errorRateQuery);
  }

  /** @return the error rate above which the service counts as failing */
  public double errorRateThreshold() {
    return errorRateThreshold;
  }

  /** @return the error rate before the bad deploy, if known */
  public Optional<Double> baselineErrorRate() {
    return Optional.ofNullable(baselineErrorRate);
  }

  /** @return the latency source, if any */
  public Optional<MetricSource> latencySource() {
    return Optional.ofNullable(latencySource);
  }

  /** @return the latency query (its value in milliseconds), if any */
  public Optional<String> latencyQuery() {
    return Optional.ofNullable(latencyQuery);
  }

  /** @return the p99 latency above which the service counts as failing, if set */
  public Optional<Duration> latencyThreshold() {
    return Optional.ofNullable(latencyThreshold);
  }

  /** @return the systems the runbook declares affected */
  public List<String> affectedSystems() {
    return affectedSystems;
  }

  /** @return the source of database facts, if any */
  public Optional<MigrationFacts> migrations() {
    return Optional.ofNullable(migrations);
  }

  /** @return the declared impact, if any */
  public Optional<Impact> impact() {
    return Optional.ofNullable(impact);
  }

  /** @return the policy */
  public DecisionPolicy policy() {
    return policy;
  }

  /** Builds an {@link Assessor}; problems are collected and reported at {@link #build()}. */
  public static final class Builder {
    private @Nullable HealthCheck health;
    private @Nullable MetricSource errorRateSource;
    private @Nullable String errorRateQuery;
    private double errorRateThreshold = 0.05;
    private @Nullable Double baselineErrorRate;
    private @Nullable MetricSource latencySource;
    private @Nullable String latencyQuery;
    private @Nullable Duration latencyThreshold;
    private final List<String> affectedSystems = new ArrayList<>();
    private @Nullable MigrationFacts migrations;
    private @Nullable Impact impact;
    private DecisionPolicy policy = DecisionPolicy.defaults();
    private final List<String> problems = new ArrayList<>();

    private Builder() {}

    /**
     * @param check the health check of the running version
     * @return this builder
     */
    public Builder health(HealthCheck check) {
      if (check == null) {
        problems.add("health check must not be null: pass HealthCheck.http(uri)");
      }
      this.health = check;
      return this;
    }

    /**
     * @param source where the error rate is read
     * @param query the query whose value is the error rate as a fraction (0.07 = 7%)
     * @return this builder
     */
    public Builder errorRate(MetricSource source, String query) {
      if (source == null || query == null || query.isBlank()) {
        problems.add("errorRate needs a source and a non-blank query, but got " + source + " and " + (query == null ? "null" : "'" + query + "'"));
      }
      this.errorRateSource = source;
      this.errorRateQuery = query;
      return this;
    }

    /**
     * @param threshold the error rate above which the service counts as failing, in (0, 1]; default 0.05
     * @return this builder
     */
    public Builder errorRateThreshold(double threshold) {
      if (!(threshold > 0 && threshold <= 1)) {
        problems.add("errorRateThreshold must be in (0, 1], but was " + threshold + ": 0.05 means 5%");
      } else {
        this.errorRateThreshold = threshold;
      }
      return this;
    }

    /**
     * @param baseline the error rate before the bad deploy, in [0, 1]
     * @return this builder
     */
    public Builder baselineErrorRate(double baseline) {
      if (!(baseline >= 0 && baseline <= 1)) {
        problems.add("baselineErrorRate must be in [0, 1], but was " + baseline);
      } else {
        this.baselineErrorRate = baseline;
      }
      return this;
    }

    /**
     * @param source where the p99 latency is read
     * @param queryInMillis the query whose value is the p99 latency in milliseconds
     * @param threshold the p99 above which the service counts as failing
     * @return this builder
     */
    public Builder latencyP99(MetricSource source, String queryInMillis, Duration threshold) {
      if (source == null || queryInMillis == null || queryInMillis.isBlank()) {
        problems.add("latencyP99 needs a source and a non-blank query");
      }
      if (threshold == null || threshold.isNegative() || threshold.isZero()) {
        problems.add("latencyP99 threshold must be positive, but was " + threshold);
      }
      this.latencySource = source;
      this.latencyQuery = queryInMillis;
      this.latencyThreshold = threshold;
      return this;
    }

    /**
     * @param systems the systems affected, as the runbook knows them
     * @return this builder
     */
    public Builder affectedSystems(String... systems) {
      affectedSystems.addAll(Arrays.asList(systems));
      return this;
    }

    /**
     * @param facts where migration facts between the versions come from ({@code rollback-db})
     * @return this builder
     */
    public Builder migrations(MigrationFacts facts) {
      this.migrations = facts;
      return this;
    }

    /**
     * @param impact the declared impact; sets the incident's severity
     * @return this builder
     */
    public Builder impact(Impact impact) {
      this.impact = impact;
      return this;
    }

    /**
     * @param policy the rules; default {@link DecisionPolicy#defaults()}
     * @return this builder
     */
    public Builder policy(DecisionPolicy policy) {
      if (policy == null) {
        problems.add("policy must not be null: use DecisionPolicy.defaults()");
      } else {
        this.policy = policy;
      }
      return this;
    }

    /**
     * @return the assessor
     * @throws RollbackException listing every problem
     */
    public Assessor build() {
      if (affectedSystems.stream().anyMatch(s -> s == null || s.isBlank())) {
        problems.add("affectedSystems must not hold blank names, but were " + affectedSystems);
      }
      if (!problems.isEmpty()) {
        throw RollbackException.invalid("invalid assessor", problems);
      }
      return new Assessor(this);
    }
  }
}
