package dev.rollback.k8s;

import dev.rollback.core.RollbackException;
import dev.rollback.core.health.MetricSource;
import dev.rollback.core.metric.MetricSources;
import dev.rollback.k8s.internal.ScanMetricSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Scans the pods of a rolled-back workload for trouble, as a {@link MetricSource} for gates:
 * Warning events on the pods (BackOff, Unhealthy, FailedMount…) and log lines matching error
 * patterns.
 *
 * <pre>{@code
 * MetricSource scan = KubernetesPodScan.builder(client)
 *     .namespace("prod").podLabels(Map.of("app", "checkout"))
 *     .logPattern("errors", Pattern.compile("\\b(ERROR|FATAL)\\b"))
 *     .window(Duration.ofMinutes(5)).clock(runnerClock)
 *     .build();
 * MetricGate noCrashLoops = MetricGate.custom("checkout-backoff")
 *     .source(scan).query("warning_events:BackOff,Unhealthy").max(0)
 *     .count(5).interval(Duration.ofSeconds(30)).build();
 * }</pre>
 *
 * <table>
 *   <caption>Queries</caption>
 *   <tr><th>query</th><th>value</th></tr>
 *   <tr><td>{@code pods}</td><td>pods the labels select now</td></tr>
 *   <tr><td>{@code warning_events}</td><td>Warning events on those pods last seen within the window,
 *       each counted with its {@code count} (a BackOff repeated 7 times counts 7)</td></tr>
 *   <tr><td>{@code warning_events:BackOff,Unhealthy}</td><td>the same, for those reasons only</td></tr>
 *   <tr><td>{@code log_lines}</td><td>log lines (all containers, current instance) with a timestamp
 *       within the window matching any pattern, per minute</td></tr>
 *   <tr><td>{@code log_lines:<pattern>}</td><td>the same, for one named pattern</td></tr>
 *   <tr><td>{@code log_unreadable}</td><td>containers whose log the API refused (HTTP 400: waiting
 *       to start, restarting); they count no lines, so watch this beside {@code log_lines}</td></tr>
 * </table>
 *
 * <p>When the labels select no pod, every query but {@code pods} answers "no data" (empty), never a
 * silent zero. The window is measured on the given clock against the timestamps the API server puts
 * on events and log lines. Pods and events are listed again on every read, so pods replaced by a
 * rollout are followed.
 *
 * <p>RBAC: {@code list} on {@code pods} and {@code events}, {@code get} on {@code pods/log}.
 *
 * @since 0.1.0
 */
public final class KubernetesPodScan {
  private KubernetesPodScan() {}

  /**
   * @param client the client
   * @return a builder
   */
  public static Builder builder(KubernetesClient client) {
    return new Builder(client);
  }

  /** Builds a pod scan; {@link #build()} reports every problem at once. */
  public static final class Builder {
    private final @Nullable KubernetesClient client;
    private @Nullable String namespace;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<String, Pattern> patterns = new LinkedHashMap<>();
    private Duration window = Duration.ofMinutes(5);
    private Clock clock = Clock.systemUTC();
    private final List<String> problems = new ArrayList<>();

    private Builder(@Nullable KubernetesClient client) {
      this.client = client;
    }

    /**
     * @param namespace the pods' namespace; default: the client's namespace
     * @return this builder
     */
    public Builder namespace(String namespace) {
      if (namespace == null || !namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
        problems.add("namespace must be a DNS label, but was " + (namespace == null ? "null" : "'" + namespace + "'") + ": pass e.g. \"prod\"");
      }
      this.namespace = namespace;
      return this;
    }

    /**
     * @param labels the pods to scan, by label equality, e.g. {@code app=checkout}; required
     * @return this builder
     */
    public Builder podLabels(Map<String, String> labels) {
      if (labels == null || labels.isEmpty()) {
        problems.add("podLabels must name at least one label, but was " + labels + ": pass e.g. Map.of(\"app\", \"checkout\")");
      } else {
        this.labels.putAll(labels);
      }
      return this;
    }

    /**
     * @param name the pattern's name in queries ({@code log_lines:<name>})
     * @param pattern matched with {@code find()} against each line (without its timestamp)
     * @return this builder; without any pattern, {@code errors} = {@link MetricSources#DEFAULT_ERROR_PATTERN}
     */
    public Builder logPattern(String name, Pattern pattern) {
      if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
        problems.add("logPattern name must be letters, digits, '_', '.', '-', but was " + (name == null ? "null" : "'" + name + "'"));
      } else if (pattern == null) {
        problems.add("logPattern '" + name + "' must not be null: pass e.g. Pattern.compile(\"\\\\bERROR\\\\b\")");
      } else if (patterns.containsKey(name)) {
        problems.add("logPattern '" + name + "' is given twice");
      } else {
        patterns.put(name, pattern);
      }
      return this;
    }

    /**
     * @param window how far back events and lines count; positive; default 5 minutes
     * @return this builder
     */
    public Builder window(Duration window) {
      if (window == null || window.isZero() || window.isNegative()) {
        problems.add("window must be positive, but was " + window + ": pass e.g. Duration.ofMinutes(5)");
      } else {
        this.window = window;
      }
      return this;
    }

    /**
     * @param clock the clock the window is measured on (the runner's); default the system clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      if (clock == null) {
        problems.add("clock must not be null: pass the runner's clock");
      } else {
        this.clock = clock;
      }
      return this;
    }

    /**
     * @return the metric source
     * @throws RollbackException listing every problem
     */
    public MetricSource build() {
      List<String> all = new ArrayList<>(problems);
      if (client == null) {
        all.add("client must not be null: pass a KubernetesClient");
      }
      if (labels.isEmpty() && problems.stream().noneMatch(p -> p.startsWith("podLabels"))) {
        all.add("podLabels are not set: call podLabels(Map.of(\"app\", \"checkout\"))");
      }
      String ns = namespace != null ? namespace : client == null ? null : client.getNamespace();
      if (ns == null && problems.stream().noneMatch(p -> p.startsWith("namespace"))) {
        all.add("namespace is not set and the client has no default namespace: call namespace(\"prod\")");
      }
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid Kubernetes pod scan", all);
      }
      Map<String, Pattern> use = patterns.isEmpty() ? Map.of("errors", MetricSources.DEFAULT_ERROR_PATTERN) : patterns;
      return new ScanMetricSource(Objects.requireNonNull(client), Objects.requireNonNull(ns), labels, use, window, clock);
    }
  }
}
