package dev.rollback.core.monitor;

import dev.rollback.core.RollbackException;
import dev.rollback.core.StepContext;
import dev.rollback.core.internal.PrometheusRuleFiles;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Prometheus alert rules for the recovery window: an error-rate, a latency and an availability rule
 * (each with {@code for:} and labels naming the run, the service and the incident), written to a
 * rules file in a folder Prometheus loads ({@code rule_files: [<dir>/*.yml]}), loaded with {@code
 * POST /-/reload} (Prometheus needs {@code --web.enable-lifecycle}), checked in {@code
 * /api/v1/rules}, and removed again (with another reload) when the window ends or the run is
 * cancelled or aborted. Immutable; build it with {@link #custom(URI, Path)}.
 *
 * <pre>{@code
 * TemporaryAlertRules rules = TemporaryAlertRules.custom(URI.create("http://prometheus:9090"), Path.of("/etc/prometheus/rules.d"))
 *     .errorRate("sum(rate(http_errors_total{job=\"checkout\"}[1m])) / sum(rate(http_requests_total{job=\"checkout\"}[1m]))", 0.02)
 *     .latency("histogram_quantile(0.99, sum by (le) (rate(http_request_seconds_bucket{job=\"checkout\"}[5m])))", 0.8)
 *     .availability("avg(up{job=\"checkout\"})", 1.0)
 *     .forDuration(Duration.ofMinutes(2))
 *     .incident("INC-20261128-0931-checkout-api")
 *     .build();
 * MonitorWindow.custom().gate(errorGate).temporaryAlerts(rules).build();
 * }</pre>
 *
 * <p>The file is {@code <dir>/rollback-<run id>.yml} and holds one group named {@code
 * rollback-<run id>}; alerts carry the labels {@code rollback_run}, {@code rollback_service}, {@code
 * incident} (the run id unless given) and {@code severity} (default {@code page}).
 *
 * @since 0.1.0
 */
public final class TemporaryAlertRules {
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern ALERT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  private final URI prometheus;
  private final Path rulesDirectory;
  private final List<Rule> rules;
  private final Duration forDuration;
  private final Map<String, String> labels;
  private final @Nullable String incident;
  private final Duration verifyTimeout;
  private final Duration httpTimeout;

  private TemporaryAlertRules(Builder b) {
    this.prometheus = b.prometheus;
    this.rulesDirectory = b.rulesDirectory;
    this.rules = List.copyOf(b.rules);
    this.forDuration = b.forDuration;
    this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(b.labels));
    this.incident = b.incident;
    this.verifyTimeout = b.verifyTimeout;
    this.httpTimeout = b.httpTimeout;
  }

  /**
   * Starts the rules.
   *
   * @param prometheus the Prometheus server, e.g. {@code http://prometheus:9090}
   * @param rulesDirectory a folder Prometheus loads rule files from
   * @return a builder (for: 2 minutes, verification within 30 s, 10 s HTTP timeout)
   */
  public static Builder custom(URI prometheus, Path rulesDirectory) {
    return new Builder(prometheus, rulesDirectory);
  }

  /**
   * One alert rule: a name, the PromQL condition that fires it, and a summary.
   *
   * @param alert the alert name, e.g. {@code RollbackRecoveryErrorRate}
   * @param condition the full PromQL condition, e.g. {@code (...) > 0.02}
   * @param summary one line for people
   */
  public record Rule(String alert, String condition, String summary) {}

  /** @return the Prometheus server */
  public URI prometheus() {
    return prometheus;
  }

  /** @return the folder the rules file goes to */
  public Path rulesDirectory() {
    return rulesDirectory;
  }

  /** @return the rules */
  public List<Rule> rules() {
    return rules;
  }

  /** @return how long a condition must hold before the alert fires ({@code for:}) */
  public Duration forDuration() {
    return forDuration;
  }

  /** @return extra labels on every alert */
  public Map<String, String> labels() {
    return labels;
  }

  /**
   * @param ctx the run's context
   * @return the rule group's name for this run: {@code rollback-<run id>}
   */
  public String groupName(StepContext ctx) {
    return "rollback-" + ctx.runId().replaceAll("[^A-Za-z0-9_.-]", "_");
  }

  /**
   * @param ctx the run's context
   * @return the rules file for this run: {@code <dir>/rollback-<run id>.yml}
   */
  public Path file(StepContext ctx) {
    return rulesDirectory.resolve(groupName(ctx) + ".yml");
  }

  /**
   * Renders the rules file of this run.
   *
   * @param ctx the run's context (run id, service)
   * @return the YAML text
   */
  public String render(StepContext ctx) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("severity", "page");
    all.putAll(labels);
    all.put("rollback_run", ctx.runId());
    all.put("rollback_service", ctx.service());
    all.put("incident", incident == null ? ctx.runId() : incident);
    return PrometheusRuleFiles.render(groupName(ctx), rules, forDuration, all,
        "Temporary alert rules written by Rollback for run " + ctx.runId() + " of " + ctx.service()
            + "; removed when the monitoring window ends.");
  }

  /**
   * Writes the rules file, asks Prometheus to reload, and waits (through {@link StepContext#await},
   * at most the verify timeout) until the group shows in {@code /api/v1/rules}. When the reload
   * fails, the file is removed again.
   *
   * @param ctx the run's context
   * @throws Exception when the file cannot be written, the reload fails, or the group does not show
   */
  public void install(StepContext ctx) throws Exception {
    PrometheusRuleFiles files = new PrometheusRuleFiles(prometheus, httpTimeout);
    Path file = file(ctx);
    files.write(file, render(ctx));
    try {
      files.reload();
    } catch (Exception e) {
      files.delete(file);
      try {
        files.reload();
      } catch (Exception again) {
        e.addSuppressed(again);
      }
      throw e;
    }
    String group = groupName(ctx);
    boolean shown = ctx.await("alert rule group " + group + " in Prometheus", () -> files.groupVisible(group), verifyTimeout,
        Duration.ofSeconds(1));
    if (!shown) {
      throw new java.io.IOException("Prometheus at " + prometheus + " reloaded, but rule group " + group + " did not show in /api/v1/rules within "
          + verifyTimeout + ": does its rule_files include " + rulesDirectory + "/*.yml?");
    }
  }

  /**
   * Removes the rules file of this run, if present, and asks Prometheus to reload.
   *
   * @param ctx the run's context
   * @return true when a file was removed
   * @throws Exception when the file cannot be removed or the reload fails
   */
  public boolean remove(StepContext ctx) throws Exception {
    PrometheusRuleFiles files = new PrometheusRuleFiles(prometheus, httpTimeout);
    boolean removed = files.delete(file(ctx));
    if (removed) {
      files.reload();
    }
    return removed;
  }

  /**
   * @param ctx the run's context
   * @return true when Prometheus lists this run's rule group
   * @throws Exception when Prometheus cannot be asked
   */
  public boolean visible(StepContext ctx) throws Exception {
    return new PrometheusRuleFiles(prometheus, httpTimeout).groupVisibleOrThrow(groupName(ctx));
  }

  @Override
  public String toString() {
    return "TemporaryAlertRules[" + rules.size() + " rules, " + prometheus + ", " + rulesDirectory + "]";
  }

  /** Builds {@link TemporaryAlertRules}; {@link #build()} reports every problem at once. */
  public static final class Builder {
    private final URI prometheus;
    private final Path rulesDirectory;
    private final List<Rule> rules = new ArrayList<>();
    private Duration forDuration = Duration.ofMinutes(2);
    private final Map<String, String> labels = new LinkedHashMap<>();
    private @Nullable String incident;
    private Duration verifyTimeout = Duration.ofSeconds(30);
    private Duration httpTimeout = Duration.ofSeconds(10);
    private final List<String> problems = new ArrayList<>();

    private Builder(URI prometheus, Path rulesDirectory) {
      if (prometheus == null || prometheus.getScheme() == null || !prometheus.getScheme().matches("https?")) {
        problems.add("prometheus must be an http(s) address such as http://prometheus:9090, but was " + prometheus);
      }
      if (rulesDirectory == null) {
        problems.add("rulesDirectory must not be null: give the folder Prometheus' rule_files loads, e.g. /etc/prometheus/rules.d");
      }
      this.prometheus = prometheus;
      this.rulesDirectory = rulesDirectory;
    }

    /**
     * Alerts when the error rate is above a maximum.
     *
     * @param expr PromQL yielding the error rate (a fraction)
     * @param max the highest tolerated rate
     * @return this builder
     */
    public Builder errorRate(String expr, double max) {
      return add("RollbackRecoveryErrorRate", expr, " > ", max, "error rate above " + max + " after the rollback");
    }

    /**
     * Alerts when the latency is above a maximum.
     *
     * @param expr PromQL yielding the latency, e.g. a histogram_quantile in seconds
     * @param max the highest tolerated latency, in the expression's unit
     * @return this builder
     */
    public Builder latency(String expr, double max) {
      return add("RollbackRecoveryLatency", expr, " > ", max, "latency above " + max + " after the rollback");
    }

    /**
     * Alerts when availability is below a minimum.
     *
     * @param expr PromQL yielding availability, e.g. {@code avg(up{job="checkout"})}
     * @param min the lowest tolerated availability
     * @return this builder
     */
    public Builder availability(String expr, double min) {
      return add("RollbackRecoveryAvailability", expr, " < ", min, "availability below " + min + " after the rollback");
    }

    /**
     * Adds any alert rule.
     *
     * @param alert the alert name: letters, digits, '_' and ':'
     * @param condition the full PromQL condition
     * @param summary one line for people
     * @return this builder
     */
    public Builder rule(String alert, String condition, String summary) {
      if (alert == null || !ALERT.matcher(alert).matches()) {
        problems.add("alert name must match " + ALERT + ", but was " + (alert == null ? "null" : "'" + alert + "'"));
      } else if (rules.stream().anyMatch(r -> r.alert().equals(alert))) {
        problems.add("alert '" + alert + "' is declared twice: give each rule its own name");
      }
      if (condition == null || condition.isBlank()) {
        problems.add("condition of alert '" + alert + "' must not be blank: give a PromQL condition such as 'x > 0.02'");
      }
      rules.add(new Rule(alert == null ? "" : alert, condition == null ? "" : condition.strip(), summary == null ? "" : summary));
      return this;
    }

    private Builder add(String alert, String expr, String op, double limit, String summary) {
      if (expr == null || expr.isBlank()) {
        problems.add("expression of " + alert + " must not be blank: give a PromQL expression");
        return this;
      }
      if (!Double.isFinite(limit)) {
        problems.add("limit of " + alert + " must be a finite number, but was " + limit);
        return this;
      }
      return rule(alert, "(" + expr.strip() + ")" + op + limit, summary);
    }

    /**
     * @param forDuration how long a condition must hold before the alert fires; zero or more
     *     (default 2 minutes)
     * @return this builder
     */
    public Builder forDuration(Duration forDuration) {
      if (forDuration == null || forDuration.isNegative()) {
        problems.add("forDuration must be zero or positive, but was " + forDuration + ": give e.g. Duration.ofMinutes(2)");
      } else {
        this.forDuration = forDuration;
      }
      return this;
    }

    /**
     * @param incident the incident id, as the {@code incident} label (default: the run id)
     * @return this builder
     */
    public Builder incident(String incident) {
      if (incident == null || incident.isBlank()) {
        problems.add("incident must not be blank, but was " + (incident == null ? "null" : "'" + incident + "'"));
      } else {
        this.incident = incident;
      }
      return this;
    }

    /**
     * @param name a label name
     * @param value its value on every alert
     * @return this builder
     */
    public Builder label(String name, String value) {
      if (name == null || !LABEL.matcher(name).matches() || name.startsWith("__")) {
        problems.add("label name must match " + LABEL + " and not start with '__', but was " + name);
      } else if (value == null) {
        problems.add("value of label '" + name + "' must not be null");
      } else {
        labels.put(name, value);
      }
      return this;
    }

    /**
     * @param verifyTimeout how long to wait for the group in {@code /api/v1/rules}; positive
     *     (default 30 s)
     * @return this builder
     */
    public Builder verifyTimeout(Duration verifyTimeout) {
      if (verifyTimeout == null || verifyTimeout.isNegative() || verifyTimeout.isZero()) {
        problems.add("verifyTimeout must be positive, but was " + verifyTimeout + ": give e.g. Duration.ofSeconds(30)");
      } else {
        this.verifyTimeout = verifyTimeout;
      }
      return this;
    }

    /**
     * @param httpTimeout the timeout of each request to Prometheus; positive (default 10 s)
     * @return this builder
     */
    public Builder httpTimeout(Duration httpTimeout) {
      if (httpTimeout == null || httpTimeout.isNegative() || httpTimeout.isZero()) {
        problems.add("httpTimeout must be positive, but was " + httpTimeout + ": give e.g. Duration.ofSeconds(10)");
      } else {
        this.httpTimeout = httpTimeout;
      }
      return this;
    }

    /**
     * @return the rules
     * @throws RollbackException with every problem found
     */
    public TemporaryAlertRules build() {
      List<String> all = new ArrayList<>(problems);
      if (rules.isEmpty() && problems.isEmpty()) {
        all.add("no alert rule declared: call errorRate(..), latency(..), availability(..) or rule(..)");
      }
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid temporary alert rules", all);
      }
      return new TemporaryAlertRules(this);
    }
  }
}
