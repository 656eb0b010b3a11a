package dev.rollback.core.internal;

import dev.rollback.core.Phase;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.notify.Delivery;
import dev.rollback.core.notify.Incident;
import dev.rollback.core.notify.Notification;
import dev.rollback.core.notify.NotificationDispatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * COMMUNICATE: the final status update. Service restored now, after the time since the incident
 * opened; what happened; metrics against baseline; data loss; next steps. Sends RESOLVED (which
 * resolves the PagerDuty alert) and records the resolution.
 */
public final class StatusUpdateStep implements Step {
  private final String id;
  private final NotificationDispatcher dispatcher;
  private final @Nullable String whatHappened;
  private final Function<StepContext, Map<String, String>> metrics;
  private final @Nullable String dataLoss;
  private final List<String> nextSteps;

  /**
   * @param id the step id
   * @param dispatcher where to send
   * @param whatHappened what happened, or null for a sentence from the versions
   * @param metrics reads metric name → value against baseline when the step runs
   * @param dataLoss null for none, else what was lost
   * @param nextSteps follow-ups
   */
  public StatusUpdateStep(String id, NotificationDispatcher dispatcher, @Nullable String whatHappened,
      Function<StepContext, Map<String, String>> metrics, @Nullable String dataLoss, List<String> nextSteps) {
    this.id = id;
    this.dispatcher = dispatcher;
    this.whatHappened = whatHappened;
    this.metrics = metrics;
    this.dataLoss = dataLoss;
    this.nextSteps = List.copyOf(nextSteps);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Phase phase() {
    return Phase.COMMUNICATE;
  }

  @Override
  public boolean idempotent() {
    // PagerDuty resolves once per dedup key; a repeated status message is harmless.
    return true;
  }

  @Override
  public StepResult execute(StepContext ctx) throws Exception {
    IncidentLookup.Found found = IncidentLookup.find(ctx);
    Incident incident = found.incident();
    Instant restoredAt = ctx.clock().instant();
    Map<String, String> values;
    String metricsProblem = null;
    try {
      Map<String, String> read = metrics.apply(ctx);
      values = read == null ? Map.of() : new LinkedHashMap<>(read);
      values.entrySet().removeIf(e -> e.getKey() == null || e.getValue() == null);
    } catch (RuntimeException e) {
      values = Map.of();
      metricsProblem = "the metrics could not be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
    }
    String what = whatHappened != null ? whatHappened
        : ctx.service() + " " + incident.fromVersion() + " was rolled back to " + incident.toVersion() + ".";
    Notification n = Notification.resolved(incident, restoredAt, what, values, dataLoss, nextSteps);
    Duration took = Duration.between(incident.openedAt(), restoredAt).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("kind", "status");
    facts.put("incident", incident.id());
    facts.put("restoredAt", restoredAt.toString());
    facts.put("duration", took.toString());
    facts.put("dataLoss", dataLoss == null || dataLoss.isBlank() ? "none" : dataLoss);
    values.forEach((k, v) -> facts.put("metric." + k, v));
    ctx.record("service restored on " + incident.toVersion() + " at " + restoredAt + ", " + took + " after incident " + incident.id()
        + " opened", facts);
    List<Delivery> deliveries = dispatcher.deliver(ctx, n);
    StepResult r = NotificationDispatcher.result("status update for " + incident.id() + " sent (restored after " + took + ")", deliveries)
        .withFact("incident", incident.id())
        .withFact("duration", took.toString());
    if (metricsProblem != null) {
      r = new StepResult(dev.rollback.core.StepStatus.WARNED, r.message() + "; " + metricsProblem, r.facts(), r.conclusion());
    }
    return found.standIn() ? IncidentLookup.warnStandIn(r) : r;
  }

  @Override
  public String preview(StepContext ctx) {
    return "would send the status update (service restored) to " + dispatcher.notifiers().stream().map(n -> n.name()).toList();
  }

  @Override
  public String toString() {
    return "StatusUpdateStep[" + id + ", " + dispatcher + "]";
  }
}
