package dev.rollback.core.monitor;

import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.StepStatus;
import dev.rollback.core.internal.GateTally;
import dev.rollback.core.metric.GateResult;
import dev.rollback.core.metric.GateVerdict;
import dev.rollback.core.metric.MetricGate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import dev.rollback.core.decision.Severity;
import dev.rollback.core.notify.Incident;
import dev.rollback.core.notify.Notification;
import dev.rollback.core.notify.NotificationDispatcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The watch window after a rollback ({@link Phase#MONITOR}): every {@link Builder#interval
 * interval} it takes one sample of each gate, for {@link Builder#duration duration} (default 30
 * minutes; {@link Builder#extended()} for 1–3 hours). All waits go through {@link
 * StepContext#sleep}, so the run's clock drives it and a test runs 30 minutes in milliseconds.
 *
 * <pre>{@code
 * plan.step(MonitorWindow.custom()
 *     .gate(errorRate)                                 // a MetricGate; its failureLimit counts
 *     .gate(latencyP99)
 *     .duration(Duration.ofMinutes(30))
 *     .interval(Duration.ofMinutes(1))
 *     .alerts(message -> notifier.send(message))
 *     .temporaryAlerts(rules)                          // optional Prometheus rules for the window
 *     .onBreach(BreachPolicy.KEEP_WATCHING)
 *     .build());
 * }</pre>
 *
 * <p>A gate breaches when more of its samples failed than its {@link MetricGate#failureLimit()},
 * or more consecutive reads threw than its {@link MetricGate#consecutiveErrorLimit()} (its count
 * and interval are not used here: the window's are). On the first breach of a gate the window
 * sends an alert to every alert listener, records a timeline entry with the gate's facts ({@code
 * kind=gate}, {@code stage=breach}) and then, by its {@link BreachPolicy}, keeps watching (the step
 * ends {@link StepStatus#DEGRADED} and so does the run) or escalates (throws {@link
 * MonitorBreachException} so that the step's failure policy, typically PAUSE, asks a human). At the
 * end it records one entry per gate over the whole window ({@code stage=window}).
 *
 * <p><b>Loop guard:</b> a monitoring window never starts another rollback, whatever it sees. It
 * alerts, marks the run degraded and escalates to people; rolling back again is a human decision.
 *
 * <p>Temporary alert rules, when given, are installed at the start (a failure to install is
 * recorded and warned about, and watching goes on), and removed when the window ends, fails or is
 * cancelled (a {@code finally}), and again by {@link #compensate} when a later step aborts the run.
 *
 * @since 0.1.0
 */
public final class MonitorWindow implements Step {
  /** The default window: 30 minutes. */
  public static final Duration DEFAULT_DURATION = Duration.ofMinutes(30);
  /** The default extended window: 2 hours. */
  public static final Duration EXTENDED_DURATION = Duration.ofHours(2);

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");

  private final String id;
  private final List<MetricGate> gates;
  private final Duration duration;
  private final Duration interval;
  private final BreachPolicy onBreach;
  private final List<Consumer<String>> alerts;
  private final List<NotificationDispatcher> dispatchers;
  private final @Nullable TemporaryAlertRules temporaryAlerts;

  private MonitorWindow(Builder b) {
    this.id = b.id;
    this.gates = List.copyOf(b.gates);
    this.duration = b.duration;
    this.interval = b.interval;
    this.onBreach = b.onBreach;
    this.alerts = List.copyOf(b.alerts);
    this.dispatchers = List.copyOf(b.dispatchers);
    this.temporaryAlerts = b.temporaryAlerts;
  }

  /** @return a builder: id {@code monitor-window}, 30 minutes, every minute, keep watching on a breach */
  public static Builder custom() {
    return new Builder();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Phase phase() {
    return Phase.MONITOR;
  }

  /** Watching again is harmless: a resumed run may repeat the window. */
  @Override
  public boolean idempotent() {
    return true;
  }

  /** @return the gates watched */
  public List<MetricGate> gates() {
    return gates;
  }

  /** @return how long the window lasts on the run's clock */
  public Duration duration() {
    return duration;
  }

  /** @return the time between samples */
  public Duration interval() {
    return interval;
  }

  /** @return what happens after a breach */
  public BreachPolicy onBreach() {
    return onBreach;
  }

  /**
   * Watches the gates for the window.
   *
   * @param ctx the run's context
   * @return {@link StepStatus#SUCCEEDED} when every gate passed, {@link StepStatus#DEGRADED} when
   *     a gate breached, {@link StepStatus#WARNED} when a gate ended without a verdict (no data,
   *     too few samples) or the temporary alert rules could not be installed
   * @throws MonitorBreachException on a breach with {@link BreachPolicy#ESCALATE}
   * @throws InterruptedException when interrupted
   */
  @Override
  public StepResult execute(StepContext ctx) throws Exception {
    List<String> warnings = new ArrayList<>();
    boolean rulesInstalled = false;
    try {
      if (temporaryAlerts != null) {
        try {
          temporaryAlerts.install(ctx);
          rulesInstalled = true;
          Map<String, String> facts = new LinkedHashMap<>();
          facts.put("kind", "alert-rules");
          facts.put("file", temporaryAlerts.file(ctx).toString());
          facts.put("group", temporaryAlerts.groupName(ctx));
          facts.put("rules", String.valueOf(temporaryAlerts.rules().size()));
          ctx.record("temporary alert rules " + temporaryAlerts.groupName(ctx) + " loaded in " + temporaryAlerts.prometheus(), facts);
        } catch (RollbackException e) {
          throw e;
        } catch (InterruptedException e) {
          throw e;
        } catch (Exception e) {
          String w = "temporary alert rules were not installed: " + e.getMessage();
          warnings.add(w);
          ctx.log().warn("{}", w);
          ctx.record(w, Map.of("kind", "alert-rules", "error", String.valueOf(e.getMessage())));
        }
      }
      return watch(ctx, warnings);
    } finally {
      if (rulesInstalled) {
        removeRules(ctx);
      }
    }
  }

  private StepResult watch(StepContext ctx, List<String> warnings) throws InterruptedException {
    Map<MetricGate, GateTally> tallies = new LinkedHashMap<>();
    for (MetricGate g : gates) {
      tallies.put(g, new GateTally(g));
    }
    Set<String> breached = new HashSet<>();
    Instant start = ctx.clock().instant();
    Instant end = start.plus(duration);
    int tick = 0;
    while (true) {
      ctx.throwIfCancelled();
      tick++;
      for (Map.Entry<MetricGate, GateTally> e : tallies.entrySet()) {
        MetricGate gate = e.getKey();
        GateTally tally = e.getValue();
        tally.measure(ctx);
        if (tally.breached() && breached.add(gate.name())) {
          breach(ctx, gate, tally.result(), start);
        }
      }
      Instant now = ctx.clock().instant();
      Duration elapsed = Duration.between(start, now);
      ctx.progress("monitoring " + ctx.service() + ": " + minutes(elapsed) + " of " + minutes(duration) + " min, sample " + tick
          + (breached.isEmpty() ? ", all gates within limits" : ", breached: " + String.join(", ", breached)),
          Math.min(1.0, (double) elapsed.toMillis() / duration.toMillis()));
      if (!now.isBefore(end)) {
        break;
      }
      Duration left = Duration.between(now, end);
      ctx.sleep(left.compareTo(interval) < 0 ? left : interval);
    }
    List<String> undecided = new ArrayList<>();
    for (Map.Entry<MetricGate, GateTally> e : tallies.entrySet()) {
      GateResult r = e.getValue().result();
      Map<String, String> facts = new LinkedHashMap<>(r.facts());
      facts.put("stage", "window");
      facts.put("window", duration.toString());
      ctx.record("gate " + r.gate() + " (" + r.metric() + ") over the " + minutes(duration) + "-minute window: " + r.verdict() + ": "
          + r.reason(), facts);
      if (r.verdict() != GateVerdict.PASS && r.verdict() != GateVerdict.FAIL) {
        undecided.add(r.gate() + " " + r.verdict());
      }
    }
    String summary = minutes(duration) + "-minute window, " + tick + " samples per gate";
    StepResult result;
    if (!breached.isEmpty()) {
      result = new StepResult(StepStatus.DEGRADED, "service degraded: gate" + (breached.size() == 1 ? " " : "s ")
          + String.join(", ", breached) + " breached during the " + summary + "; no new rollback was started", Map.of());
    } else if (!undecided.isEmpty() || !warnings.isEmpty()) {
      List<String> all = new ArrayList<>(warnings);
      if (!undecided.isEmpty()) {
        all.add("no verdict for " + String.join(", ", undecided));
      }
      result = new StepResult(StepStatus.WARNED, String.join("; ", all) + " (" + summary + ")", Map.of());
    } else {
      result = StepResult.succeeded("all " + gates.size() + " gate" + (gates.size() == 1 ? "" : "s") + " within limits for the " + summary);
    }
    return result.withFact("window", duration.toString()).withFact("samples", tick).withFact("breached", String.join(",", breached));
  }

  private void breach(StepContext ctx, MetricGate gate, GateResult r, Instant start) throws InterruptedException {
    Duration at = Duration.between(start, ctx.clock().instant());
    String message = "[" + ctx.service() + " run " + ctx.runId() + "] gate " + gate.name() + " (" + gate.metric() + ") breached "
        + minutes(at) + " min into the monitoring window: " + r.reason() + ". The service is degraded after the rollback to "
        + ctx.toVersion() + "; no automatic rollback will follow"
        + (onBreach == BreachPolicy.ESCALATE ? ", escalating to a human." : ", still watching.");
    for (Consumer<String> alert : alerts) {
      try {
        alert.accept(message);
      } catch (RuntimeException e) {
        ctx.log().warn("alert listener {} failed: {}", alert, e.toString());
      }
    }
    for (NotificationDispatcher people : dispatchers) {
      Incident incident = ctx.get(Incident.KEY)
          .orElseGet(() -> Incident.open(ctx, Severity.SEV3, null, null, "unassigned"));
      people.deliver(ctx, Notification.progress(incident, Phase.MONITOR, message, ctx.clock().instant()));
    }
    Map<String, String> facts = new LinkedHashMap<>(r.facts());
    facts.put("stage", "breach");
    facts.put("policy", onBreach.name());
    ctx.record("gate " + gate.name() + " (" + gate.metric() + ") breached: " + r.reason(), facts);
    ctx.progress("gate " + gate.name() + " breached: " + r.reason(), -1);
    if (onBreach == BreachPolicy.ESCALATE) {
      throw new MonitorBreachException(message, r);
    }
  }

  private void removeRules(StepContext ctx) {
    // A cancelled run interrupts this thread: clear the flag so that the reload can still be sent,
    // and set it again afterwards.
    boolean interrupted = Thread.interrupted();
    try {
      if (temporaryAlerts.remove(ctx)) {
        ctx.record("temporary alert rules " + temporaryAlerts.groupName(ctx) + " removed",
            Map.of("kind", "alert-rules", "file", temporaryAlerts.file(ctx).toString()));
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        interrupted = true;
      }
      ctx.log().warn("could not remove temporary alert rules {}: {}; delete it by hand and reload Prometheus", temporaryAlerts.file(ctx),
          e.toString());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Removes the temporary alert rules of this run if they are still there (a later step aborted
   * the run). Starts nothing.
   *
   * @param ctx the run's context
   * @return what was undone
   * @throws Exception when the rules file cannot be removed or Prometheus cannot reload
   */
  @Override
  public StepResult compensate(StepContext ctx) throws Exception {
    if (temporaryAlerts == null) {
      return StepResult.skipped("no temporary alert rules");
    }
    return temporaryAlerts.remove(ctx) ? StepResult.succeeded("temporary alert rules " + temporaryAlerts.groupName(ctx) + " removed")
        : StepResult.skipped("temporary alert rules already removed");
  }

  @Override
  public String preview(StepContext ctx) {
    StringBuilder sb = new StringBuilder("would watch ");
    for (int i = 0; i < gates.size(); i++) {
      MetricGate g = gates.get(i);
      sb.append(i == 0 ? "" : ", ").append(g.metric()).append(' ').append(g.describeThreshold(null));
    }
    sb.append(" every ").append(interval).append(" for ").append(duration).append(", then ").append(onBreach == BreachPolicy.ESCALATE
        ? "escalate on a breach" : "report degraded on a breach");
    if (temporaryAlerts != null) {
      sb.append("; with ").append(temporaryAlerts.rules().size()).append(" temporary alert rules in ").append(temporaryAlerts.prometheus());
    }
    return sb.toString();
  }

  private static String minutes(Duration d) {
    long s = d.toSeconds();
    return s % 60 == 0 ? String.valueOf(s / 60) : String.format(java.util.Locale.ROOT, "%.1f", s / 60.0);
  }

  @Override
  public String toString() {
    return "MonitorWindow[" + id + ", " + gates.size() + " gates, " + duration + " every " + interval + ", " + onBreach + "]";
  }

  /** Builds a {@link MonitorWindow}; {@link #build()} reports every problem at once. */
  public static final class Builder {
    private String id = "monitor-window";
    private final List<MetricGate> gates = new ArrayList<>();
    private Duration duration = DEFAULT_DURATION;
    private Duration interval = Duration.ofMinutes(1);
    private BreachPolicy onBreach = BreachPolicy.KEEP_WATCHING;
    private final List<Consumer<String>> alerts = new ArrayList<>();
    private final List<NotificationDispatcher> dispatchers = new ArrayList<>();
    private @Nullable TemporaryAlertRules temporaryAlerts;
    private final List<String> problems = new ArrayList<>();

    private Builder() {}

    /**
     * @param id the step id (default {@code monitor-window})
     * @return this builder
     */
    public Builder id(String id) {
      if (id == null || !ID.matcher(id).matches()) {
        problems.add("id must be 1-128 letters, digits, '.', '_', ':', '/' or '-', but was " + (id == null ? "null" : "'" + id + "'"));
      } else {
        this.id = id;
      }
      return this;
    }

    /**
     * @param gate a gate to watch
     * @return this builder
     */
    public Builder gate(MetricGate gate) {
      if (gate == null) {
        problems.add("gate must not be null: build one with MetricGate.custom(name)");
      } else if (gates.stream().anyMatch(g -> g.name().equals(gate.name()))) {
        problems.add("gate '" + gate.name() + "' is added twice: give each gate its own name");
      } else {
        gates.add(gate);
      }
      return this;
    }

    /**
     * @param duration how long to watch; positive, at most 24 hours (default 30 minutes)
     * @return this builder
     */
    public Builder duration(Duration duration) {
      if (duration == null || duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofHours(24)) > 0) {
        problems.add("duration must be positive and at most 24 hours, but was " + duration + ": give e.g. Duration.ofMinutes(30)");
      } else {
        this.duration = duration;
      }
      return this;
    }

    /**
     * The extended profile: 2 hours.
     *
     * @return this builder
     */
    public Builder extended() {
      this.duration = EXTENDED_DURATION;
      return this;
    }

    /**
     * The extended profile with its own length.
     *
     * @param duration from 1 to 3 hours
     * @return this builder
     */
    public Builder extended(Duration duration) {
      if (duration == null || duration.compareTo(Duration.ofHours(1)) < 0 || duration.compareTo(Duration.ofHours(3)) > 0) {
        problems.add("an extended window lasts 1 to 3 hours, but was " + duration + ": give e.g. Duration.ofHours(2), or use duration(..)");
      } else {
        this.duration = duration;
      }
      return this;
    }

    /**
     * @param interval the time between samples; positive, not longer than the window (default 1 minute)
     * @return this builder
     */
    public Builder interval(Duration interval) {
      if (interval == null || interval.isNegative() || interval.isZero()) {
        problems.add("interval must be positive, but was " + interval + ": give e.g. Duration.ofMinutes(1)");
      } else {
        this.interval = interval;
      }
      return this;
    }

    /**
     * @param policy what to do after a breach (default {@link BreachPolicy#KEEP_WATCHING})
     * @return this builder
     */
    public Builder onBreach(BreachPolicy policy) {
      if (policy == null) {
        problems.add("onBreach must not be null: pass KEEP_WATCHING or ESCALATE");
      } else {
        this.onBreach = policy;
      }
      return this;
    }

    /**
     * Sends every breach to people through the notifiers, as a progress message of the incident
     * (the one {@code IncidentSteps.openIncident} put into the run, or a stand-in). Delivery
     * failures are recorded and never stop the window.
     *
     * @param people the dispatcher
     * @return this builder
     */
    public Builder notifications(NotificationDispatcher people) {
      if (people == null) {
        problems.add("notifications dispatcher must not be null: build one with NotificationDispatcher.of(notifiers)");
      } else {
        dispatchers.add(people);
      }
      return this;
    }

    /**
     * Adds an alert listener: it gets one line per breach (a notifier, a pager, a chat message). A
     * listener that throws is logged and does not stop the window.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder alerts(Consumer<String> listener) {
      if (listener == null) {
        problems.add("alert listener must not be null");
      } else {
        alerts.add(listener);
      }
      return this;
    }

    /**
     * @param rules Prometheus alert rules to install for the window
     * @return this builder
     */
    public Builder temporaryAlerts(TemporaryAlertRules rules) {
      if (rules == null) {
        problems.add("temporaryAlerts must not be null: leave it out for none");
      } else {
        this.temporaryAlerts = rules;
      }
      return this;
    }

    /**
     * @return the window
     * @throws RollbackException with every problem found
     */
    public MonitorWindow build() {
      List<String> all = new ArrayList<>(problems);
      if (gates.isEmpty()) {
        all.add("a monitoring window needs at least one gate: call gate(MetricGate.custom(..)...build())");
      }
      if (interval.compareTo(duration) > 0) {
        all.add("interval (" + interval + ") must not be longer than the window (" + duration + "): shorten the interval");
      }
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid monitoring window", all);
      }
      return new MonitorWindow(this);
    }
  }
}
