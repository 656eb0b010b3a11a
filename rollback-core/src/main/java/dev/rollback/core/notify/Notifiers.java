package dev.rollback.core.notify;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import dev.rollback.core.internal.ConsoleNotifier;
import dev.rollback.core.internal.LogNotifier;
import dev.rollback.core.internal.NamedNotifier;
import dev.rollback.core.internal.PagerDutyNotifier;
import dev.rollback.core.internal.SignedWebhookNotifier;
import dev.rollback.core.internal.SlackNotifier;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The notifiers core ships. Every HTTP notifier uses the JDK {@code HttpClient} with a 5 s connect
 * and a 10 s request timeout, counts only a 2xx answer as delivered, and puts the answer's status
 * and an excerpt of its body (secrets masked) in the failure. Secrets travel as {@link Secret} and
 * appear in no message, log or {@code toString()}.
 *
 * <pre>{@code
 * NotificationDispatcher notify = NotificationDispatcher.of(
 *     Notifiers.slack(Secret.of(System.getenv("SLACK_WEBHOOK"))),
 *     Notifiers.pagerDuty(Secret.of(System.getenv("PD_ROUTING_KEY"))),
 *     Notifiers.log());
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Notifiers {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final int MIN_HMAC_KEY = 16;

  private Notifiers() {}

  /**
   * A Slack incoming webhook: a Block Kit {@code blocks} message (header, text, fields, metrics vs
   * baseline, incident context) with a {@code text} fallback. Named {@code "slack"}.
   *
   * @param webhookUrl the webhook URL ({@code https://hooks.slack.com/services/...}); the URL is the
   *     credential, so it is a secret
   * @return the notifier
   * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} when the URL is not an
   *     absolute http(s) URL (the message does not show it)
   */
  public static Notifier slack(Secret webhookUrl) {
    List<String> problems = new ArrayList<>();
    URI uri = httpUri("webhookUrl", webhookUrl == null ? null : webhookUrl.reveal(), true,
        "copy it from the Slack app's Incoming Webhooks page", problems);
    fail("invalid Slack notifier", problems);
    return new SlackNotifier(webhookUrl, uri);
  }

  /**
   * A generic JSON webhook, signed. Named {@code "webhook"}.
   *
   * <p>Each POST carries a JSON body (schema {@code rollback.notification/v1}: {@code schema, kind,
   * timestamp, at, title, lines, fields, metrics, incident{id, service, severity, fromVersion,
   * toVersion, owner, openedAt, eta, impact}}) and two headers:
   *
   * <ul>
   *   <li>{@code X-Rollback-Signature: sha256=<hex>}: the lowercase hex HMAC-SHA256 of the exact body
   *       bytes, keyed with the UTF-8 bytes of {@code hmacKey};
   *   <li>{@code X-Rollback-Timestamp: <epoch seconds>}: equal to the body's {@code timestamp}.
   * </ul>
   *
   * <p>A receiver verifies a delivery in three steps: (1) read the raw body bytes before any JSON
   * parsing, compute HMAC-SHA256 over them with the shared key, and compare its hex form with the
   * header's value after {@code sha256=} in constant time ({@code MessageDigest.isEqual}); reject on
   * mismatch; (2) parse the body and check that {@code timestamp} equals {@code X-Rollback-Timestamp}
   * (the body is signed, the header is not); (3) reject timestamps older than a few minutes to
   * stop replays. A retried delivery sends the same bytes, so receivers can deduplicate on {@code
   * incident.id} + {@code kind} + {@code timestamp}.
   *
   * <pre>{@code
   * Mac mac = Mac.getInstance("HmacSHA256");
   * mac.init(new SecretKeySpec(key.getBytes(UTF_8), "HmacSHA256"));
   * String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(rawBody));
   * boolean ok = MessageDigest.isEqual(expected.getBytes(UTF_8), header.getBytes(UTF_8));
   * }</pre>
   *
   * @param url where to POST (http or https)
   * @param hmacKey the shared signing key, at least 16 characters
   * @return the notifier
   * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} listing every problem
   */
  public static Notifier webhook(URI url, Secret hmacKey) {
    List<String> problems = new ArrayList<>();
    URI uri = httpUri("url", url == null ? null : url.toString(), false, "pass the receiver's absolute URL", problems);
    if (hmacKey == null) {
      problems.add("hmacKey must be set: share a random key with the receiver, e.g. from `openssl rand -hex 32`");
    } else if (hmacKey.reveal().length() < MIN_HMAC_KEY) {
      problems.add("hmacKey must have at least " + MIN_HMAC_KEY + " characters, but had " + hmacKey.reveal().length()
          + ": generate one with `openssl rand -hex 32`");
    }
    fail("invalid webhook notifier", problems);
    return new SignedWebhookNotifier(uri, hmacKey);
  }

  /**
   * PagerDuty Events API v2 at {@code https://events.pagerduty.com/v2/enqueue}. Named {@code
   * "pagerduty"}. The incident's opening triggers an alert and its resolution resolves it, both with
   * the incident id as {@code dedup_key}; SEV1..SEV4 map to critical, error, warning, info.
   * Progress messages are not sent (the Events API has no informational event for an open alert,
   * and {@code acknowledge} would claim a responder took it).
   *
   * @param routingKey the Events API v2 integration key of the service
   * @return the notifier
   * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} when the key is missing
   */
  public static Notifier pagerDuty(Secret routingKey) {
    return pagerDuty(routingKey, PagerDutyNotifier.DEFAULT_ENDPOINT);
  }

  /**
   * PagerDuty Events API v2 at another endpoint (a proxy, an EU account's gateway, a test server).
   *
   * @param routingKey the Events API v2 integration key of the service
   * @param eventsEndpoint the enqueue URL
   * @return the notifier
   * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} listing every problem
   * @see #pagerDuty(Secret)
   */
  public static Notifier pagerDuty(Secret routingKey, URI eventsEndpoint) {
    List<String> problems = new ArrayList<>();
    if (routingKey == null) {
      problems.add("routingKey must be set: copy the integration key of the service's Events API v2 integration");
    }
    URI uri = httpUri("eventsEndpoint", eventsEndpoint == null ? null : eventsEndpoint.toString(), false,
        "use " + PagerDutyNotifier.DEFAULT_ENDPOINT, problems);
    fail("invalid PagerDuty notifier", problems);
    return new PagerDutyNotifier(routingKey, uri);
  }

  /**
   * Writes each notification to SLF4J, logger {@code dev.rollback.notify} (WARN when an incident
   * opens, INFO otherwise). Named {@code "log"}.
   *
   * @return the notifier
   */
  public static Notifier log() {
    return new LogNotifier();
  }

  /**
   * Prints each notification to a stream, for demos and terminals. Named {@code "console"}.
   *
   * @param out where to print, e.g. {@code System.out}
   * @return the notifier
   */
  public static Notifier console(PrintStream out) {
    if (out == null) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "console notifier out must not be null: pass System.out or another stream");
    }
    return new ConsoleNotifier(out);
  }

  /**
   * Gives a notifier another name, so that one dispatcher can hold two of a kind ("slack-ops",
   * "slack-status").
   *
   * @param name lower case letters, digits, '.', '_' or '-'
   * @param notifier the notifier
   * @return the renamed notifier
   * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} listing every problem
   */
  public static Notifier named(String name, Notifier notifier) {
    List<String> problems = new ArrayList<>();
    if (name == null || !NAME.matcher(name).matches()) {
      problems.add("name must be lower case letters, digits, '.', '_' or '-' (up to 64), but was "
          + (name == null ? "null" : "'" + name + "'") + ": e.g. 'slack-ops'");
    }
    if (notifier == null) {
      problems.add("notifier must not be null: pass one of Notifiers.slack(..), webhook(..), pagerDuty(..)");
    }
    fail("invalid named notifier", problems);
    return new NamedNotifier(name, notifier);
  }

  private static @Nullable URI httpUri(String field, @Nullable String value, boolean secret, String fix, List<String> problems) {
    String shown = secret ? Secret.REDACTED : String.valueOf(value);
    if (value == null) {
      problems.add(field + " must be set: " + fix);
      return null;
    }
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        problems.add(field + " must be an absolute http(s) URL with a host, but was " + shown + ": " + fix);
        return null;
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      problems.add(field + " is not a valid URL (" + (secret ? "bad character at index " + e.getIndex() : e.getMessage()) + "), value "
          + shown + ": " + fix);
      return null;
    }
  }

  private static void fail(String subject, List<String> problems) {
    if (!problems.isEmpty()) {
      throw RollbackException.invalid(subject, problems);
    }
  }
}
