package dev.rollback.core.internal;

import dev.rollback.core.Phase;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.decision.Impact;
import dev.rollback.core.decision.Severity;
import dev.rollback.core.notify.Delivery;
import dev.rollback.core.notify.Incident;
import dev.rollback.core.notify.Notification;
import dev.rollback.core.notify.NotificationDispatcher;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * MOBILIZE: opens the incident (or takes the one already in the context, so a repeat keeps its
 * id), shares it under {@link Incident#KEY}, records it, and sends the OPENED notification.
 */
public final class OpenIncidentStep implements Step {
  private final String id;
  private final NotificationDispatcher dispatcher;
  private final Severity severity;
  private final @Nullable Impact impact;
  private final @Nullable Duration eta;
  private final String owner;
  private final @Nullable String issue;

  /**
   * @param id the step id
   * @param dispatcher where to send
   * @param severity the severity
   * @param impact the impact, or null
   * @param eta the ETA, or null
   * @param owner the owner
   * @param issue what is wrong, or null to describe it from the impact and versions
   */
  public OpenIncidentStep(String id, NotificationDispatcher dispatcher, Severity severity, @Nullable Impact impact,
      @Nullable Duration eta, String owner, @Nullable String issue) {
    this.id = id;
    this.dispatcher = dispatcher;
    this.severity = severity;
    this.impact = impact;
    this.eta = eta;
    this.owner = owner;
    this.issue = issue;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Phase phase() {
    return Phase.MOBILIZE;
  }

  @Override
  public boolean idempotent() {
    // The incident id is kept once shared and PagerDuty deduplicates the trigger on it; a repeated
    // chat message is harmless.
    return true;
  }

  @Override
  public StepResult execute(StepContext ctx) throws Exception {
    Incident incident = ctx.get(Incident.KEY).orElse(null);
    boolean reused = incident != null;
    if (incident == null) {
      incident = Incident.open(ctx, severity, impact, eta, owner);
      ctx.put(Incident.KEY, incident);
    }
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("kind", "incident");
    facts.put("incident", incident.id());
    facts.put("severity", incident.severity().name());
    facts.put("from", incident.fromVersion());
    facts.put("to", incident.toVersion());
    facts.put("owner", incident.owner());
    facts.put("eta", incident.eta() == null ? "unknown" : incident.eta().toString());
    facts.put("openedAt", incident.openedAt().toString());
    String text = issue(ctx, incident);
    ctx.record("incident " + incident.id() + (reused ? " re-announced" : " opened") + " (" + incident.severity() + "): " + text, facts);
    Notification n = Notification.opened(incident, text, ctx.clock().instant());
    List<Delivery> deliveries = dispatcher.deliver(ctx, n);
    return NotificationDispatcher.result("incident " + incident.id() + " opened (" + incident.severity() + ", owner " + incident.owner() + ")",
            deliveries)
        .withFact("incident", incident.id())
        .withFact("severity", incident.severity().name());
  }

  private String issue(StepContext ctx, Incident incident) {
    if (issue != null) {
      return issue;
    }
    if (impact != null && !impact.description().isBlank()) {
      return impact.description();
    }
    return ctx.service() + " " + incident.fromVersion() + " is unhealthy and is being rolled back to " + incident.toVersion();
  }

  @Override
  public String preview(StepContext ctx) {
    return "would open a " + severity + " incident for " + ctx.service() + " (owner " + owner + ") and notify "
        + dispatcher.notifiers().stream().map(n -> n.name()).toList();
  }

  @Override
  public String toString() {
    return "OpenIncidentStep[" + id + ", " + severity + ", " + dispatcher + "]";
  }
}
