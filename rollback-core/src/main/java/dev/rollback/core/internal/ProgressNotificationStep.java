package dev.rollback.core.internal;

import dev.rollback.core.Phase;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.notify.Delivery;
import dev.rollback.core.notify.Notification;
import dev.rollback.core.notify.NotificationDispatcher;
import java.util.List;

/** Any phase: sends a PROGRESS notification about the run's incident. */
public final class ProgressNotificationStep implements Step {
  private final String id;
  private final Phase phase;
  private final String message;
  private final NotificationDispatcher dispatcher;

  /**
   * @param id the step id
   * @param phase the phase
   * @param message what to say
   * @param dispatcher where to send
   */
  public ProgressNotificationStep(String id, Phase phase, String message, NotificationDispatcher dispatcher) {
    this.id = id;
    this.phase = phase;
    this.message = message;
    this.dispatcher = dispatcher;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Phase phase() {
    return phase;
  }

  @Override
  public boolean idempotent() {
    return true;
  }

  @Override
  public StepResult execute(StepContext ctx) throws Exception {
    IncidentLookup.Found found = IncidentLookup.find(ctx);
    Notification n = Notification.progress(found.incident(), phase, message, ctx.clock().instant());
    List<Delivery> deliveries = dispatcher.deliver(ctx, n);
    StepResult r = NotificationDispatcher.result("progress at " + phase + ": " + message, deliveries);
    return found.standIn() ? IncidentLookup.warnStandIn(r) : r;
  }

  @Override
  public String preview(StepContext ctx) {
    return "would notify " + dispatcher.notifiers().stream().map(n -> n.name()).toList() + " of progress at " + phase + ": " + message;
  }

  @Override
  public String toString() {
    return "ProgressNotificationStep[" + id + ", " + phase + "]";
  }
}
