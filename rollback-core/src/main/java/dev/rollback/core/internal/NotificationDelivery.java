package dev.rollback.core.internal;

import dev.rollback.core.RetryPolicy;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.StepStatus;
import dev.rollback.core.notify.Delivery;
import dev.rollback.core.notify.Notification;
import dev.rollback.core.notify.Notifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The delivery loop behind {@code NotificationDispatcher}: attempts, backoff, timeline, result. */
public final class NotificationDelivery {
  private NotificationDelivery() {}

  /**
   * @param ctx the sending step's context
   * @param notifiers where to send
   * @param retry attempts and backoff per notifier
   * @param n what to send
   * @return one delivery per notifier that accepts the notification
   * @throws InterruptedException when interrupted while waiting to retry
   */
  public static List<Delivery> deliver(StepContext ctx, List<Notifier> notifiers, RetryPolicy retry, Notification n)
      throws InterruptedException {
    List<Delivery> out = new ArrayList<>(notifiers.size());
    for (Notifier notifier : notifiers) {
      if (!notifier.accepts(n)) {
        continue;
      }
      Delivery d = deliverOne(ctx, notifier, retry, n);
      out.add(d);
      Map<String, String> facts = new LinkedHashMap<>();
      facts.put("kind", "notification");
      facts.put("notifier", d.notifier());
      facts.put("outcome", d.delivered() ? "delivered" : "failed");
      facts.put("attempts", Integer.toString(d.attempts()));
      facts.put("message", n.kind().name());
      facts.put("incident", n.incident().id());
      if (d.error() != null) {
        facts.put("error", d.error());
      }
      String plural = d.attempts() == 1 ? " attempt" : " attempts";
      ctx.record(d.delivered()
          ? "notification " + n.kind() + " delivered via " + d.notifier() + " (" + d.attempts() + plural + ")"
          : "notification " + n.kind() + " via " + d.notifier() + " failed after " + d.attempts() + plural + ": " + d.error(), facts);
    }
    return out;
  }

  private static Delivery deliverOne(StepContext ctx, Notifier notifier, RetryPolicy retry, Notification n) throws InterruptedException {
    String name = notifier.name();
    int attempt = 0;
    while (true) {
      attempt++;
      try {
        notifier.send(n);
        return new Delivery(name, true, attempt, null);
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        String error = describe(e);
        boolean again = attempt < retry.maxAttempts() && retry.retries(e)
            && !(e instanceof NotifierHttpException h && !h.retryable());
        if (!again) {
          ctx.log().warn("notification {} via {} failed after {} attempt(s): {}", n.kind(), name, attempt, error);
          return new Delivery(name, false, attempt, error);
        }
        Duration backoff = retry.backoffAfter(attempt);
        ctx.log().info("notification {} via {} attempt {} failed ({}); retrying in {}", n.kind(), name, attempt, error, backoff);
        ctx.sleep(backoff);
      }
    }
  }

  private static String describe(Exception e) {
    String type = e instanceof NotifierHttpException ? "" : e.getClass().getSimpleName() + ": ";
    return type + (e.getMessage() == null ? "(no message)" : e.getMessage());
  }

  /**
   * @param what what was sent
   * @param deliveries the deliveries
   * @return SUCCEEDED when all were delivered, else WARNED naming the failures
   */
  public static StepResult result(String what, List<Delivery> deliveries) {
    List<String> ok = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (Delivery d : deliveries) {
      (d.delivered() ? ok : failed).add(d.notifier());
    }
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("delivered", String.join(",", ok));
    facts.put("failed", String.join(",", failed));
    if (deliveries.isEmpty()) {
      return new StepResult(StepStatus.SUCCEEDED, what + "; no notifier takes this message", facts);
    }
    if (failed.isEmpty()) {
      return new StepResult(StepStatus.SUCCEEDED, what + "; notified " + String.join(", ", ok), facts);
    }
    StringBuilder sb = new StringBuilder(what).append("; notification failed via ");
    boolean first = true;
    for (Delivery d : deliveries) {
      if (!d.delivered()) {
        sb.append(first ? "" : "; ").append(d.notifier()).append(" after ").append(d.attempts())
            .append(d.attempts() == 1 ? " attempt (" : " attempts (").append(d.error()).append(')');
        first = false;
      }
    }
    sb.append(ok.isEmpty() ? "; nobody was notified: tell people by hand" : "; delivered via " + String.join(", ", ok));
    return new StepResult(StepStatus.WARNED, sb.toString(), facts);
  }
}
