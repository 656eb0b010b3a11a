package dev.rollback.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollback.core.Secret;
import dev.rollback.core.decision.Impact;
import dev.rollback.core.notify.Incident;
import dev.rollback.core.notify.Notification;
import dev.rollback.core.notify.Notifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * POSTs a notification as a JSON document (schema {@value #SCHEMA}) signed with HMAC-SHA256 over
 * the exact body bytes: {@code X-Rollback-Signature: sha256=<lowercase hex>}, plus {@code
 * X-Rollback-Timestamp} (epoch seconds, equal to the body's {@code timestamp}).
 */
public final class SignedWebhookNotifier implements Notifier {
  /** The body's {@code schema} value. */
  public static final String SCHEMA = "rollback.notification/v1";
  /** The header carrying the signature. */
  public static final String SIGNATURE_HEADER = "X-Rollback-Signature";
  /** The header carrying the timestamp. */
  public static final String TIMESTAMP_HEADER = "X-Rollback-Timestamp";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI url;
  private final Secret key;
  private final NotifierHttp http;

  /**
   * @param url where to POST; checked by {@code Notifiers.webhook}
   * @param key the HMAC key
   */
  public SignedWebhookNotifier(URI url, Secret key) {
    this.url = url;
    this.key = key;
    this.http = new NotifierHttp("webhook " + url.getScheme() + "://" + url.getAuthority(), List.of(key));
  }

  @Override
  public String name() {
    return "webhook";
  }

  @Override
  public void send(Notification notification) throws Exception {
    byte[] body = body(notification);
    http.post(url, body, Map.of(
        SIGNATURE_HEADER, "sha256=" + sign(key, body),
        TIMESTAMP_HEADER, Long.toString(notification.at().getEpochSecond())));
  }

  /**
   * @param key the HMAC key
   * @param body the exact bytes
   * @return the lowercase hex HMAC-SHA256 of the bytes
   */
  public static String sign(Secret key, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  /**
   * @param n a notification
   * @return the exact JSON bytes posted for it
   */
  static byte[] body(Notification n) {
    ObjectNode root = JSON.createObjectNode();
    root.put("schema", SCHEMA);
    root.put("kind", n.kind().name());
    root.put("timestamp", n.at().getEpochSecond());
    root.put("at", n.at().toString());
    root.put("title", n.title());
    n.lines().forEach(root.putArray("lines")::add);
    ObjectNode fields = root.putObject("fields");
    n.fields().forEach(fields::put);
    ObjectNode metrics = root.putObject("metrics");
    n.metrics().forEach(metrics::put);
    Incident i = n.incident();
    ObjectNode incident = root.putObject("incident");
    incident.put("id", i.id());
    incident.put("service", i.service());
    incident.put("severity", i.severity().name());
    incident.put("fromVersion", i.fromVersion());
    incident.put("toVersion", i.toVersion());
    incident.put("owner", i.owner());
    incident.put("openedAt", i.openedAt().toString());
    if (i.eta() == null) {
      incident.putNull("eta");
    } else {
      incident.put("eta", i.eta().toString());
    }
    Impact impact = i.impact();
    if (impact == null) {
      incident.putNull("impact");
    } else {
      ObjectNode im = incident.putObject("impact");
      im.put("description", impact.description());
      im.put("usersAffectedPercent", impact.usersAffectedPercent());
      impact.businessFunctions().forEach(im.putArray("businessFunctions")::add);
      impact.criticalFunctions().forEach(im.putArray("criticalFunctions")::add);
      im.put("revenueLoss", impact.revenueLoss());
      im.put("dataLoss", impact.dataLoss());
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the webhook body", e);
    }
  }

  @Override
  public String toString() {
    return "SignedWebhookNotifier[url=" + url + ", key=" + key + "]";
  }
}
