package dev.rollback.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollback.core.Secret;
import dev.rollback.core.notify.Notification;
import dev.rollback.core.notify.Notifier;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Posts to a Slack incoming webhook: a Block Kit {@code blocks} payload (header, text, fields,
 * metrics, context) with a plain {@code text} fallback for notifications and clients that do not
 * show blocks. Slack answers 200 {@code ok}; anything else is a failure.
 */
public final class SlackNotifier implements Notifier {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int HEADER_MAX = 150;
  private static final int TEXT_MAX = 3000;
  private static final int FIELD_MAX = 2000;
  private static final int FIELDS_PER_SECTION = 10;

  private final Secret webhookUrl;
  private final URI uri;
  private final NotifierHttp http;

  /**
   * @param webhookUrl the incoming webhook URL; checked by {@code Notifiers.slack}
   * @param uri the same, parsed
   */
  public SlackNotifier(Secret webhookUrl, URI uri) {
    this.webhookUrl = webhookUrl;
    this.uri = uri;
    List<Secret> masked = new ArrayList<>();
    masked.add(webhookUrl);
    String path = uri.getRawPath();
    if (path != null && path.length() > 1) {
      masked.add(Secret.of(path));
    }
    this.http = new NotifierHttp("Slack webhook", masked);
  }

  @Override
  public String name() {
    return "slack";
  }

  @Override
  public void send(Notification notification) throws Exception {
    http.post(uri, payload(notification), Map.of());
  }

  /**
   * @param n a notification
   * @return the exact JSON bytes posted for it
   */
  static byte[] payload(Notification n) {
    ObjectNode root = JSON.createObjectNode();
    root.put("text", cut(NotificationText.oneLine(n), TEXT_MAX));
    ArrayNode blocks = root.putArray("blocks");

    ObjectNode header = blocks.addObject().put("type", "header");
    header.putObject("text").put("type", "plain_text").put("text", cut(icon(n.kind()) + " " + n.title(), HEADER_MAX)).put("emoji", true);

    if (!n.lines().isEmpty()) {
      StringBuilder text = new StringBuilder();
      for (String line : n.lines()) {
        if (text.length() > 0) {
          text.append('\n');
        }
        text.append(line.startsWith("Next: ") ? "• " + escape(line) : escape(line));
      }
      section(blocks, cut(text.toString(), TEXT_MAX));
    }

    List<Map.Entry<String, String>> fields = new ArrayList<>(n.fields().entrySet());
    for (int from = 0; from < fields.size(); from += FIELDS_PER_SECTION) {
      ObjectNode section = blocks.addObject().put("type", "section");
      ArrayNode array = section.putArray("fields");
      for (Map.Entry<String, String> f : fields.subList(from, Math.min(fields.size(), from + FIELDS_PER_SECTION))) {
        array.addObject().put("type", "mrkdwn").put("text", cut("*" + escape(f.getKey()) + "*\n" + escape(f.getValue()), FIELD_MAX));
      }
    }

    if (!n.metrics().isEmpty()) {
      StringBuilder text = new StringBuilder("*Metrics vs baseline*");
      for (Map.Entry<String, String> m : n.metrics().entrySet()) {
        text.append("\n• ").append(escape(m.getKey())).append(": ").append(escape(m.getValue()));
      }
      section(blocks, cut(text.toString(), TEXT_MAX));
    }

    ObjectNode context = blocks.addObject().put("type", "context");
    context.putArray("elements").addObject().put("type", "mrkdwn")
        .put("text", escape(n.incident().id() + " · " + n.severity() + " · " + n.incident().service() + " · sent by Rollback"));
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the Slack payload", e);
    }
  }

  private static void section(ArrayNode blocks, String mrkdwn) {
    blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", mrkdwn);
  }

  private static String icon(Notification.Kind kind) {
    switch (kind) {
      case OPENED:
        return ":rotating_light:";
      case RESOLVED:
        return ":white_check_mark:";
      default:
        return ":arrows_counterclockwise:";
    }
  }

  /** Slack's mrkdwn treats &, < and > as control characters. */
  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  @Override
  public String toString() {
    return "SlackNotifier[webhook=" + webhookUrl + "]";
  }
}
