package dev.rollback.core.internal;

import dev.rollback.core.notify.Notification;
import java.util.Map;

/** Renders a notification as plain text, for logs, consoles and Slack's fallback text. */
final class NotificationText {
  private NotificationText() {}

  /**
   * @param n a notification
   * @return one line: title, then the first line of text
   */
  static String oneLine(Notification n) {
    return "[" + n.incident().id() + "] " + n.title() + (n.lines().isEmpty() ? "" : ": " + n.lines().get(0));
  }

  /**
   * @param n a notification
   * @return several lines: title, text, fields, metrics
   */
  static String block(Notification n) {
    StringBuilder sb = new StringBuilder();
    sb.append(n.kind()).append(" [").append(n.incident().id()).append("] ").append(n.title()).append('\n');
    for (String line : n.lines()) {
      sb.append("  ").append(line).append('\n');
    }
    for (Map.Entry<String, String> f : n.fields().entrySet()) {
      sb.append("  ").append(f.getKey()).append(": ").append(f.getValue()).append('\n');
    }
    if (!n.metrics().isEmpty()) {
      sb.append("  Metrics vs baseline:\n");
      for (Map.Entry<String, String> m : n.metrics().entrySet()) {
        sb.append("    ").append(m.getKey()).append(": ").append(m.getValue()).append('\n');
      }
    }
    return sb.toString();
  }
}
