package dev.rollback.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollback.core.Secret;
import dev.rollback.core.decision.Severity;
import dev.rollback.core.notify.Notification;
import dev.rollback.core.notify.Notifier;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * PagerDuty Events API v2: OPENED triggers an alert, RESOLVED resolves it, both with the incident
 * id as {@code dedup_key} (so a repeated trigger is deduplicated into the same alert). PROGRESS is
 * not sent: the Events API has no informational event for an open alert, and {@code acknowledge}
 * would tell PagerDuty that a responder took it, which a progress message does not mean. PagerDuty
 * answers 202; anything outside 2xx is a failure (400 is not retried, 429 and 5xx are).
 */
public final class PagerDutyNotifier implements Notifier {
  /** The public Events API v2 endpoint. */
  public static final URI DEFAULT_ENDPOINT = URI.create("https://events.pagerduty.com/v2/enqueue");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SUMMARY_MAX = 1024;

  private final Secret routingKey;
  private final URI endpoint;
  private final NotifierHttp http;

  /**
   * @param routingKey the integration's routing key
   * @param endpoint the Events API v2 enqueue URL
   */
  public PagerDutyNotifier(Secret routingKey, URI endpoint) {
    this.routingKey = routingKey;
    this.endpoint = endpoint;
    this.http = new NotifierHttp("PagerDuty Events API at " + endpoint.getAuthority(), List.of(routingKey));
  }

  @Override
  public String name() {
    return "pagerduty";
  }

  @Override
  public void send(Notification notification) throws Exception {
    byte[] body = event(routingKey, notification);
    if (body.length > 0) {
      http.post(endpoint, body, Map.of());
    }
  }

  /** Only OPENED (trigger) and RESOLVED (resolve) go to PagerDuty. */
  @Override
  public boolean accepts(Notification notification) {
    return notification.kind() != Notification.Kind.PROGRESS;
  }

  /**
   * @param severity an incident severity
   * @return PagerDuty's severity: SEV1 critical, SEV2 error, SEV3 warning, SEV4 info
   */
  static String severity(Severity severity) {
    switch (severity) {
      case SEV1:
        return "critical";
      case SEV2:
        return "error";
      case SEV3:
        return "warning";
      default:
        return "info";
    }
  }

  /**
   * @param routingKey the routing key
   * @param n a notification
   * @return the event's JSON bytes, or none when the notification is not sent to PagerDuty
   */
  static byte[] event(Secret routingKey, Notification n) {
    ObjectNode root = JSON.createObjectNode();
    root.put("routing_key", routingKey.reveal());
    switch (n.kind()) {
      case OPENED: {
        root.put("event_action", "trigger");
        root.put("dedup_key", n.incident().id());
        ObjectNode payload = root.putObject("payload");
        String summary = n.title() + (n.lines().isEmpty() ? "" : ": " + n.lines().get(0));
        payload.put("summary", summary.length() <= SUMMARY_MAX ? summary : summary.substring(0, SUMMARY_MAX - 1) + "…");
        payload.put("source", n.incident().service());
        payload.put("severity", severity(n.severity()));
        payload.put("timestamp", n.at().toString());
        payload.put("component", n.incident().service());
        payload.put("class", "rollback");
        ObjectNode details = payload.putObject("custom_details");
        n.fields().forEach(details::put);
        n.lines().forEach(details.putArray("lines")::add);
        root.put("client", "Rollback");
        break;
      }
      case RESOLVED:
        root.put("event_action", "resolve");
        root.put("dedup_key", n.incident().id());
        break;
      default:
        return new byte[0];
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the PagerDuty event", e);
    }
  }

  @Override
  public String toString() {
    return "PagerDutyNotifier[endpoint=" + endpoint + ", routingKey=" + routingKey + "]";
  }
}
