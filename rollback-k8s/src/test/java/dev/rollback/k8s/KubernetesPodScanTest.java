package dev.rollback.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.health.MetricSource;
import dev.rollback.core.metric.MetricGate;
import dev.rollback.testkit.FakeRollbackLock;
import dev.rollback.testkit.ManualSleeper;
import dev.rollback.testkit.RecordingJournal;
import dev.rollback.testkit.ManualClock;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.rollback.k8s.testing.PatientMockClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pod scan against fabric8's mock server: pods and events in CRUD mode, logs from expectations
 * (the CRUD mock does not serve them), a manual clock for the window.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = PatientMockClient.class)
class KubernetesPodScanTest {
  private static final Instant NOW = Instant.parse("2026-11-28T12:30:00Z");

  KubernetesClient client;
  KubernetesMockServer server;

  private final ManualClock clock = ManualClock.startingAt(NOW);
  private MetricSource scan;

  @BeforeEach
  void twoCheckoutPodsAndAnUnrelatedOne() {
    pod("checkout-1", "checkout", "app", "proxy");
    pod("checkout-2", "checkout", "app");
    pod("other-1", "other", "app");
    scan = KubernetesPodScan.builder(client).podLabels(Map.of("app", "checkout"))
        .logPattern("errors", Pattern.compile("\\b(ERROR|FATAL)\\b")).logPattern("timeouts", Pattern.compile("timeout"))
        .window(Duration.ofMinutes(5)).clock(clock).build();
  }

  @Test
  void countsWarningEventsOnTheSelectedPodsWithinTheWindowWithTheirRepeatCounts() throws Exception {
    event("e1", "checkout-1", uid("checkout-1"), "Warning", "BackOff", 4, NOW.minusSeconds(60));
    event("e2", "checkout-2", uid("checkout-2"), "Warning", "Unhealthy", 1, NOW.minusSeconds(120));
    event("e3", "checkout-1", uid("checkout-1"), "Warning", "FailedMount", 2, NOW.minus(Duration.ofMinutes(20)));  // before the window
    event("e4", "checkout-1", uid("checkout-1"), "Normal", "Pulled", 1, NOW.minusSeconds(30));                      // not a warning
    event("e5", "other-1", uid("other-1"), "Warning", "BackOff", 9, NOW.minusSeconds(30));                       // another app
    event("e6", "checkout-2", "uid-old", "Warning", "BackOff", 3, NOW.minusSeconds(30));                   // an earlier pod of that name

    assertThat(scan.read("pods")).hasValue(2);
    assertThat(scan.read("warning_events")).hasValue(5);
    assertThat(scan.read("warning_events:BackOff")).hasValue(4);
    assertThat(scan.read("warning_events:Unhealthy,FailedMount")).hasValue(1);

    clock.advance(Duration.ofMinutes(4)); // the Unhealthy event (12:28) leaves the window, the BackOff (12:29) stays
    assertThat(scan.read("warning_events")).hasValue(4);
  }

  @Test
  void countsMatchingLogLinesPerMinuteWithinTheWindowAcrossPodsAndContainers() throws Exception {
    log("checkout-1", "app", String.join("\n",
        at(NOW.minus(Duration.ofMinutes(10))) + " ERROR before the window",
        at(NOW.minus(Duration.ofMinutes(4))) + " ERROR db timeout after 30s",
        at(NOW.minusSeconds(60)) + " INFO request ok",
        at(NOW.minusSeconds(30)) + " FATAL out of memory",
        at(NOW.minusSeconds(20)) + " WARN slow request"));
    log("checkout-1", "proxy", at(NOW.minusSeconds(10)) + " ERROR upstream connection reset\n");
    server.expect().get().withPath(logPath("checkout-2", "app")).andReturn(400,
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"container \\\"app\\\" in pod \\\"checkout-2\\\" "
            + "is waiting to start: ContainerCreating\",\"reason\":\"BadRequest\",\"code\":400}").always();

    OptionalDouble all = scan.read("log_lines");
    OptionalDouble timeouts = scan.read("log_lines:timeouts");

    assertThat(all).isPresent();
    assertThat(all.getAsDouble()).isCloseTo(3 / 5.0, within(1e-9));
    assertThat(timeouts.getAsDouble()).isCloseTo(1 / 5.0, within(1e-9));
    assertThat(scan.read("log_unreadable")).hasValue(1);
  }

  @Test
  void aMetricGateOnTheScanFailsTheRunWhileAPodIsCrashLooping() {
    event("e1", "checkout-1", uid("checkout-1"), "Warning", "BackOff", 2, NOW.minusSeconds(10));
    MetricGate noCrashLoops = MetricGate.custom("checkout-backoff").source(scan).query("warning_events:BackOff,Unhealthy")
        .max(0).count(2).interval(Duration.ofSeconds(30)).build();
    RollbackRunner runner = RollbackRunner.builder().clock(clock).sleeper(new ManualSleeper(clock)).journal(new RecordingJournal())
        .lock(new FakeRollbackLock(clock)).build();

    RollbackResult result = runner.run(RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9").gate(noCrashLoops).build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.failureMessage()).hasValueSatisfying(m -> assertThat(m).contains("checkout-backoff"));
  }

  @Test
  void noSelectedPodIsNoDataNotZeroAndUnknownQueriesAreNamed() throws Exception {
    MetricSource none = KubernetesPodScan.builder(client).podLabels(Map.of("app", "gone")).clock(clock).build();

    assertThat(none.read("pods")).hasValue(0);
    assertThat(none.read("warning_events")).isEmpty();
    assertThat(none.read("log_lines")).isEmpty();
    assertThatThrownBy(() -> scan.read("restarts")).hasMessageContaining("pod scan query 'restarts' is unknown")
        .hasMessageContaining("patterns: [errors, timeouts]");
    assertThatThrownBy(() -> scan.read("log_lines:oom")).hasMessageContaining("names log pattern 'oom', which is not configured");
    assertThatThrownBy(() -> KubernetesPodScan.builder(client).window(Duration.ZERO).build())
        .hasMessageContaining("window must be positive, but was PT0S").hasMessageContaining("podLabels are not set");
  }

  private void pod(String name, String app, String... containers) {
    PodBuilder b = new PodBuilder().withNewMetadata().withName(name).addToLabels("app", app)
        .endMetadata().withNewSpec().endSpec();
    for (String c : containers) {
      b.editSpec().addNewContainer().withName(c).withImage("checkout:1.2.9").endContainer().endSpec();
    }
    client.pods().resource(b.build()).create();
  }

  /** The CRUD mock assigns its own uids; events name the one it gave. */
  private String uid(String pod) {
    return client.pods().withName(pod).get().getMetadata().getUid();
  }

  private void event(String name, String pod, String uid, String type, String reason, int count, Instant last) {
    client.v1().events().resource(new EventBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewInvolvedObject().withKind("Pod").withName(pod).withUid(uid).withNamespace("test").endInvolvedObject()
        .withType(type).withReason(reason).withCount(count).withMessage(reason + " of " + pod)
        .withFirstTimestamp(last.minusSeconds(600).toString()).withLastTimestamp(last.toString()).build()).create();
  }

  private void log(String pod, String container, String body) {
    server.expect().get().withPath(logPath(pod, container)).andReturn(200, body).always();
  }

  private static String logPath(String pod, String container) {
    return "/api/v1/namespaces/test/pods/" + pod + "/log?pretty=false&container=" + container + "&sinceSeconds=301&timestamps=true";
  }

  private static String at(Instant t) {
    return t.toString().replace("Z", ".000000000Z");
  }
}
