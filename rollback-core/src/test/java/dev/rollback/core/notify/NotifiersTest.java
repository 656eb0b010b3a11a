package dev.rollback.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollback.core.ErrorCode;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import dev.rollback.core.decision.Impact;
import dev.rollback.core.decision.Severity;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NotifiersTest {
  private static final Instant OPENED = Instant.parse("2026-11-28T09:31:00Z");
  private static final String SLACK_PATH = "/services/T000/B000/XXXXsecretXXXX";
  private static final String HMAC_KEY = "0123456789abcdef-webhook-key";
  private static final String ROUTING_KEY = "R0UT1NGKEYsecret000000000000000";

  private final CapturingServer server = newServer();

  private static CapturingServer newServer() {
    try {
      return new CapturingServer();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static Incident incident(Severity severity) {
    Impact impact = new Impact(30, List.of("search"), List.of("checkout"), true, false, "30% of checkouts fail with 502");
    return new Incident("INC-20261128-0931-checkout-api", "checkout-api", severity, "v2.4.0", "v2.3.1", impact,
        Duration.ofMinutes(20), "alice", OPENED);
  }

  private static Notification opened() {
    return Notification.opened(incident(Severity.SEV1), "checkout returns 502 for <30%> & more", OPENED);
  }

  private static Notification resolved() {
    Map<String, String> metrics = new LinkedHashMap<>();
    metrics.put("error rate", "0.2% (baseline 0.2%)");
    metrics.put("p99 latency", "310 ms (baseline 300 ms)");
    return Notification.resolved(incident(Severity.SEV1), OPENED.plus(Duration.ofMinutes(17)), "v2.4.0 broke checkout; rolled back.",
        metrics, null, List.of("post-mortem Monday", "add a canary"));
  }

  @Test
  void slackPostsABlockKitMessageWithAPlainTextFallback() throws Exception {
    Notifier slack = Notifiers.slack(Secret.of(server.uri(SLACK_PATH).toString()));

    slack.send(opened());
    slack.send(resolved());

    assertThat(slack.name()).isEqualTo("slack");
    List<CapturingServer.Request> posts = server.requests(SLACK_PATH);
    assertThat(posts).hasSize(2);
    assertThat(posts.get(0).method()).isEqualTo("POST");
    assertThat(posts.get(0).header("Content-Type")).startsWith("application/json");
    JsonNode msg = posts.get(0).json();
    assertThat(msg.get("text").asText()).contains("INC-20261128-0931-checkout-api").contains("rolling back v2.4.0 → v2.3.1");
    JsonNode blocks = msg.get("blocks");
    assertThat(blocks.get(0).get("type").asText()).isEqualTo("header");
    assertThat(blocks.get(0).get("text").get("type").asText()).isEqualTo("plain_text");
    assertThat(blocks.get(0).get("text").get("text").asText()).startsWith(":rotating_light: SEV1 checkout-api");
    assertThat(blocks.get(1).get("type").asText()).isEqualTo("section");
    assertThat(blocks.get(1).get("text").get("type").asText()).isEqualTo("mrkdwn");
    assertThat(blocks.get(1).get("text").get("text").asText()).isEqualTo("checkout returns 502 for &lt;30%&gt; &amp; more");
    List<String> fields = new ArrayList<>();
    blocks.get(2).get("fields").forEach(f -> fields.add(f.get("text").asText()));
    assertThat(fields).contains("*Current version*\nv2.4.0", "*Target version*\nv2.3.1", "*Owner*\nalice")
        .anySatisfy(f -> assertThat(f).startsWith("*ETA*\n20 min (by 2026-11-28 09:51 UTC)"))
        .anySatisfy(f -> assertThat(f).startsWith("*Impact*\n30% of checkouts fail with 502; 30% of users; critical down: checkout"));
    assertThat(blocks.get(blocks.size() - 1).get("type").asText()).isEqualTo("context");
    assertThat(blocks).allSatisfy(b -> assertThat(b.get("type").asText()).isIn("header", "section", "context"));

    JsonNode done = posts.get(1).json();
    String all = done.toString();
    assertThat(done.get("blocks").get(0).get("text").get("text").asText()).startsWith(":white_check_mark: Resolved: checkout-api");
    assertThat(all).contains("*Metrics vs baseline*\\n• error rate: 0.2% (baseline 0.2%)\\n• p99 latency: 310 ms (baseline 300 ms)")
        .contains("• Next: post-mortem Monday").contains("*Duration*\\n17 min").contains("*Data loss*\\nnone")
        .contains("*Restored at*\\n2026-11-28 09:48 UTC");
  }

  @Test
  void slackCountsOnlyA2xxAnswerAsDeliveredAndNeverShowsItsWebhookUrl() {
    server.answer(SLACK_PATH, 404, "no_service for {path}");
    Secret hook = Secret.of(server.uri(SLACK_PATH).toString());
    Notifier slack = Notifiers.slack(hook);

    assertThatThrownBy(() -> slack.send(opened()))
        .hasMessageContaining("Slack webhook answered HTTP 404")
        .hasMessageContaining("no_service for ****")
        .hasMessageNotContaining("XXXXsecretXXXX");
    assertThat(slack.toString()).doesNotContain("XXXXsecretXXXX");
  }

  @Test
  void theSignedWebhookSignatureVerifiesOverTheExactBodyBytesAndFailsWithAnotherKey() throws Exception {
    Notifier webhook = Notifiers.webhook(server.uri("/hooks/rollback"), Secret.of(HMAC_KEY));

    webhook.send(opened());

    CapturingServer.Request r = server.requests("/hooks/rollback").get(0);
    String header = r.header("X-Rollback-Signature");
    assertThat(header).startsWith("sha256=");
    assertThat(verify(HMAC_KEY, r.body(), header)).isTrue();
    assertThat(verify("another-key-of-enough-length", r.body(), header)).isFalse();
    byte[] tampered = r.text().replace("SEV1", "SEV4").getBytes(StandardCharsets.UTF_8);
    assertThat(verify(HMAC_KEY, tampered, header)).isFalse();

    JsonNode body = r.json();
    assertThat(r.header("X-Rollback-Timestamp")).isEqualTo(Long.toString(OPENED.getEpochSecond()))
        .isEqualTo(body.get("timestamp").asText());
    assertThat(body.get("schema").asText()).isEqualTo("rollback.notification/v1");
    assertThat(body.get("kind").asText()).isEqualTo("OPENED");
    assertThat(body.at("/incident/id").asText()).isEqualTo("INC-20261128-0931-checkout-api");
    assertThat(body.at("/incident/severity").asText()).isEqualTo("SEV1");
    assertThat(body.at("/incident/eta").asText()).isEqualTo("PT20M");
    assertThat(body.at("/incident/impact/criticalFunctions/0").asText()).isEqualTo("checkout");
    assertThat(body.at("/fields/Current version").asText()).isEqualTo("v2.4.0");
    assertThat(r.text()).doesNotContain(HMAC_KEY);
  }

  /** What a receiver does: HMAC over the raw bytes, compared in constant time. */
  private static boolean verify(String key, byte[] body, String header) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void pagerDutyTriggersOnOpenResolvesOnResolutionWithOneDedupKeyAndSkipsProgress() throws Exception {
    server.answer("/v2/enqueue", 202, "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"INC-20261128-0931-checkout-api\"}");
    Notifier pd = Notifiers.pagerDuty(Secret.of(ROUTING_KEY), server.uri("/v2/enqueue"));

    pd.send(opened());
    Notification progress = Notification.progress(incident(Severity.SEV1), Phase.VALIDATE, "healthy", OPENED.plusSeconds(300));
    assertThat(pd.accepts(progress)).isFalse();
    pd.send(progress);
    pd.send(resolved());

    List<CapturingServer.Request> events = server.requests("/v2/enqueue");
    assertThat(events).hasSize(2);
    JsonNode trigger = events.get(0).json();
    JsonNode resolve = events.get(1).json();
    assertThat(trigger.get("routing_key").asText()).isEqualTo(ROUTING_KEY);
    assertThat(trigger.get("event_action").asText()).isEqualTo("trigger");
    assertThat(trigger.get("dedup_key").asText()).isEqualTo("INC-20261128-0931-checkout-api");
    assertThat(trigger.at("/payload/severity").asText()).isEqualTo("critical");
    assertThat(trigger.at("/payload/source").asText()).isEqualTo("checkout-api");
    assertThat(trigger.at("/payload/summary").asText()).contains("SEV1 checkout-api: rolling back v2.4.0 → v2.3.1");
    assertThat(trigger.at("/payload/custom_details/Target version").asText()).isEqualTo("v2.3.1");
    assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
    assertThat(resolve.get("dedup_key").asText()).isEqualTo(trigger.get("dedup_key").asText());
    assertThat(resolve.get("routing_key").asText()).isEqualTo(ROUTING_KEY);
  }

  @ParameterizedTest
  @CsvSource({"SEV1, critical", "SEV2, error", "SEV3, warning", "SEV4, info"})
  void pagerDutySeverityFollowsTheIncidentSeverity(Severity severity, String expected) throws Exception {
    server.answer("/v2/enqueue", 202, "{\"status\":\"success\"}");
    Notifiers.pagerDuty(Secret.of(ROUTING_KEY), server.uri("/v2/enqueue"))
        .send(Notification.opened(incident(severity), "broken", OPENED));

    assertThat(server.requests("/v2/enqueue").get(0).json().at("/payload/severity").asText()).isEqualTo(expected);
  }

  @Test
  void pagerDutyRejectionsNameTheStatusAndBodyButNotTheRoutingKey() {
    server.answer("/v2/enqueue", 400, "{\"status\":\"invalid event\",\"errors\":[\"routing_key " + ROUTING_KEY + " unknown\"]}");
    Notifier pd = Notifiers.pagerDuty(Secret.of(ROUTING_KEY), server.uri("/v2/enqueue"));

    assertThatThrownBy(() -> pd.send(opened()))
        .hasMessageContaining("answered HTTP 400 (not retried")
        .hasMessageContaining("invalid event")
        .hasMessageContaining("routing_key **** unknown")
        .hasMessageNotContaining(ROUTING_KEY);
  }

  @Test
  void theConsoleNotifierPrintsTheWholeMessage() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Notifiers.console(new PrintStream(bytes, true, StandardCharsets.UTF_8)).send(resolved());

    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .startsWith("RESOLVED [INC-20261128-0931-checkout-api] Resolved: checkout-api restored on v2.3.1")
        .contains("  Duration: 17 min", "  Data loss: none", "    error rate: 0.2% (baseline 0.2%)", "  Next: add a canary");
  }

  @Test
  void theLogNotifierNeverThrows() throws Exception {
    Notifier log = Notifiers.log();
    log.send(opened());
    log.send(resolved());
    assertThat(log.name()).isEqualTo("log");
  }

  @Test
  void aBadSlackUrlIsRejectedWithoutShowingIt() {
    assertThatThrownBy(() -> Notifiers.slack(Secret.of("ftp://hooks.example/T/B/very-secret-path")))
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("webhookUrl must be an absolute http(s) URL with a host, but was ****")
        .hasMessageNotContaining("very-secret-path");
    assertThatThrownBy(() -> Notifiers.slack(Secret.of("https://hooks.example/has space/very-secret-path")))
        .hasMessageContaining("webhookUrl is not a valid URL")
        .hasMessageNotContaining("very-secret-path");
  }

  @Test
  void aWebhookReportsEveryProblemAtOnce() {
    assertThatThrownBy(() -> Notifiers.webhook(URI.create("relative/path"), Secret.of("short")))
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.problems()).hasSize(2))
        .hasMessageContaining("url must be an absolute http(s) URL with a host, but was relative/path")
        .hasMessageContaining("hmacKey must have at least 16 characters, but had 5")
        .hasMessageNotContaining("short");
  }

  @Test
  void aDispatcherNeedsNotifiersWithDistinctNames() {
    assertThatThrownBy(() -> NotificationDispatcher.builder().build())
        .hasMessageContaining("notifiers must not be empty");
    assertThatThrownBy(() -> NotificationDispatcher.of(Notifiers.log(), Notifiers.log()))
        .hasMessageContaining("notifier name 'log' is used twice: rename one with Notifiers.named(\"log-2\", notifier)");
    assertThat(NotificationDispatcher.of(Notifiers.log(), Notifiers.named("log-2", Notifiers.log())).notifiers())
        .extracting(Notifier::name).containsExactly("log", "log-2");
  }

  @Test
  void theOpenIncidentBuilderReportsEveryProblemAtOnce() {
    NotificationDispatcher d = NotificationDispatcher.of(Notifiers.log());
    assertThatThrownBy(() -> IncidentSteps.openIncident(d).id(" bad").eta(Duration.ofMinutes(-5)).build())
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.problems()).hasSize(4))
        .hasMessageContaining("id must be letters")
        .hasMessageContaining("impact or severity must be set")
        .hasMessageContaining("eta must be positive, but was PT-5M")
        .hasMessageContaining("owner must not be blank, but was null");
  }
}
