package dev.rollback.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.rollback.core.CompensationOutcome;
import dev.rollback.core.CompensationRecord;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.Step;
import dev.rollback.core.StepOutcome;
import dev.rollback.core.StepRecord;
import dev.rollback.core.StepResult;
import dev.rollback.core.TimelineEntry;
import dev.rollback.core.report.IncidentReport;
import dev.rollback.core.report.ReportNotes;
import dev.rollback.core.strategy.Convergence;
import dev.rollback.k8s.testing.PatientMockClient;
import dev.rollback.testkit.FakeRollbackLock;
import dev.rollback.testkit.InMemoryVersionCatalog;
import dev.rollback.testkit.ManualClock;
import dev.rollback.testkit.RecordingJournal;
import dev.rollback.testkit.RecordingListener;
import dev.rollback.testkit.k8s.PodFailure;
import dev.rollback.testkit.k8s.SimulatedDeploymentController;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The must-show of the issue: a ConfigMap snapshot and restore around a Kubernetes undo, as one plan
 * run by the real runner against fabric8's CRUD mock server with the testkit's simulated
 * controllers. The strategy undoes the Deployment (PLATFORM_ROLLBACK, with its rollout wait), then
 * {@link KubernetesConfigRollback} snapshots every ConfigMap and Secret the template references,
 * restores the ConfigMap from the target tag and restarts the pods (CONFIG_ROLLBACK), and a last
 * step waits for that restart's rollout.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = PatientMockClient.class)
class ConfigAroundUndoTest {
  static {
    Workloads.quietMockServer();
  }

  private static final Instant START = Instant.parse("2026-11-28T12:00:00Z");
  private static final String RUN_SHORT = "5e6f7a8b";
  private static final String RUN_ID = "checkout-20261128-120000-" + RUN_SHORT;
  private static final String PROPS_130 = "pool=40\nfeature.fast-checkout=on\n";
  private static final String PROPS_129 = "pool=20\n";
  private static final String DB_PASSWORD = "Tr0ub4dor&3-checkout-db";
  private static final String API_KEY = "sk_live_51HxVcheckoutapikeyQQ";

  KubernetesClient client;
  KubernetesMockServer server;

  private final ManualClock clock = ManualClock.startingAt(START);
  private final RecordingJournal journal = new RecordingJournal();
  private final RecordingListener listener = new RecordingListener();
  private final InMemoryVersionCatalog versions = InMemoryVersionCatalog.newestFirst("v1.3.0", "v1.2.9", "v1.2.8")
      .file("v1.3.0", "deploy/k8s/config/app.properties", PROPS_130)
      .file("v1.3.0", "deploy/k8s/config/log.level", "debug")
      .file("v1.2.9", "deploy/k8s/config/app.properties", PROPS_129)
      .file("v1.2.9", "deploy/k8s/config/log.level", "info");
  private SimulatedDeploymentController sim;
  private KubernetesRollback checkout;
  private PodSpec revision2;

  @BeforeEach
  void checkoutDeployedThroughThreeVersionsAndCrashingOnV130() {
    client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("checkout-config").endMetadata()
        .withData(Map.of("app.properties", PROPS_130, "log.level", "debug")).build()).create();
    client.secrets().resource(new SecretBuilder().withNewMetadata().withName("checkout-secrets").endMetadata().withType("Opaque")
        .withData(Map.of("DB_PASSWORD", b64(DB_PASSWORD), "API_KEY", b64(API_KEY))).build()).create();
    Deployment d = Workloads.deployment("checkout", "v1.2.8", 3);
    d.getSpec().getTemplate().getSpec().getContainers().get(0).setEnvFrom(List.of(
        new EnvFromSourceBuilder().withNewConfigMapRef().withName("checkout-config").endConfigMapRef()
            .build()));
    d.getSpec().getTemplate().getSpec().getContainers().get(0).setEnv(List.of(new EnvVarBuilder()
        .withName("DB_PASSWORD").withNewValueFrom().withNewSecretKeyRef().withName("checkout-secrets").withKey("DB_PASSWORD")
        .endSecretKeyRef().endValueFrom().build()));

    sim = SimulatedDeploymentController.builder(client).clock(clock).logSink(Workloads.logsOn(server)).build();
    client.apps().deployments().resource(d).create();
    assertThat(sim.settle()).as("v1.2.8 rolled out").isTrue();
    for (String version : List.of("v1.2.9", "v1.3.0")) {
      Workloads.setVersion(client, "checkout", version);
      assertThat(sim.settle()).as(version + " rolled out").isTrue();
    }
    sim.failImage(Workloads.image("v1.3.0"), PodFailure.crashLoop("checkout: pool=40 exceeds the database's max_connections"));

    checkout = KubernetesRollback.deployment("checkout").client(client).container("app")
        .rolloutTimeout(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).resyncInterval(Duration.ofSeconds(1)).build();
    assertThat(checkout.history()).extracting(WorkloadRevision::revision, WorkloadRevision::version)
        .containsExactly(tuple(1L, "v1.2.8"), tuple(2L, "v1.2.9"), tuple(3L, "v1.3.0"));
    revision2 = replicaSetOfRevision("2").getSpec().getTemplate().getSpec();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void theUndoRunsRevision2AndTheConfigMapHoldsTheTargetsFilesTakenFromAnImmutableSnapshotNamedWithTheRun() {
    RollbackResult result = run(plan());

    assertThat(result.outcome()).as(result.failureMessage().orElse("")).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(result.steps()).extracting(StepRecord::stepId, StepRecord::outcome).containsSubsequence(
        tuple("platform-rollback-kubernetes", StepOutcome.SUCCEEDED), tuple("restore-config", StepOutcome.SUCCEEDED),
        tuple("await-restart", StepOutcome.SUCCEEDED));
    assertThat(result.step("platform-rollback-kubernetes").orElseThrow().facts()).containsEntry("from", "v1.3.0").containsEntry("to", "v1.2.9");
    assertThat(result.timeline()).extracting(TimelineEntry::message).containsSubsequence(
        "rolled back deployment/checkout in test from revision 3 to revision 2 (v1.2.9)",
        "configmap/checkout-config snapshotted as checkout-config-rb-" + RUN_SHORT,
        "secret/checkout-secrets snapshotted as checkout-secrets-rb-" + RUN_SHORT,
        "configmap/checkout-config restored from tag v1.2.9:deploy/k8s/config",
        "deployment test/checkout restarted so its pods read the restored config");

    // The Deployment runs revision 2's pod spec, restarted (the only template difference), on 3 ready pods.
    Deployment after = client.apps().deployments().withName("checkout").get();
    assertThat(after.getSpec().getTemplate().getSpec()).isEqualTo(revision2);
    String restartedAt = result.step("restore-config").orElseThrow().facts().get("restartedAt");
    assertThat(Instant.parse(restartedAt)).as("restarted on the run clock, after the undo's rollout").isAfter(START);
    assertThat(after.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(KubernetesConfigRollback.RESTARTED_AT, restartedAt);
    assertThat(checkout.currentVersion()).isEqualTo("v1.2.9");
    assertThat(after.getStatus().getReadyReplicas()).isEqualTo(3);
    String currentHash = replicaSetOfRevision(after.getMetadata().getAnnotations().get(SimulatedDeploymentController.REVISION))
        .getMetadata().getLabels().get(SimulatedDeploymentController.POD_TEMPLATE_HASH);
    assertThat(client.pods().list().getItems()).hasSize(3).allSatisfy(p -> {
      assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo(Workloads.image("v1.2.9"));
      assertThat(p.getMetadata().getLabels()).containsEntry(SimulatedDeploymentController.POD_TEMPLATE_HASH, currentHash);
    });
    // The ConfigMap holds v1.2.9's files; the Secret is untouched.
    assertThat(client.configMaps().withName("checkout-config").get().getData())
        .containsExactlyInAnyOrderEntriesOf(Map.of("app.properties", PROPS_129, "log.level", "info"));
    assertThat(client.secrets().withName("checkout-secrets").get().getData())
        .containsExactlyInAnyOrderEntriesOf(Map.of("DB_PASSWORD", b64(DB_PASSWORD), "API_KEY", b64(API_KEY)));

    // Snapshots: immutable copies of what v1.3.0 ran with, named and labelled with the run.
    ConfigMap configSnapshot = client.configMaps().withName("checkout-config-rb-" + RUN_SHORT).get();
    assertThat(configSnapshot.getImmutable()).isTrue();
    assertThat(configSnapshot.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("app.properties", PROPS_130, "log.level", "debug"));
    assertThat(configSnapshot.getMetadata().getLabels()).containsEntry("rollback.dev/snapshot-of", "checkout-config")
        .containsEntry("rollback.dev/run", RUN_SHORT).containsEntry("rollback.dev/version", "v1.3.0");
    assertThat(configSnapshot.getMetadata().getAnnotations()).containsEntry("rollback.dev/run-id", RUN_ID);
    Secret secretSnapshot = client.secrets().withName("checkout-secrets-rb-" + RUN_SHORT).get();
    assertThat(secretSnapshot.getImmutable()).isTrue();
    assertThat(secretSnapshot.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("DB_PASSWORD", b64(DB_PASSWORD), "API_KEY", b64(API_KEY)));
    assertThat(secretSnapshot.getMetadata().getLabels()).containsEntry("rollback.dev/run", RUN_SHORT);
    assertThat(secretSnapshot.getMetadata().getAnnotations()).containsEntry("rollback.dev/run-id", RUN_ID)
        .containsEntry("rollback.dev/origin", "secret/test/checkout-secrets");

    assertSecretValuesAppearNowhere(result);
  }

  @Test
  void aLaterValidateFailureCompensatesTheConfigBackToV130sFromTheSnapshot() {
    AtomicReference<Map<String, String>> configSeenByValidate = new AtomicReference<>();
    Step validate = Step.builder("checkout-smoke-test", Phase.VALIDATE).execute(ctx -> {
      configSeenByValidate.set(client.configMaps().withName("checkout-config").get().getData());
      throw new IllegalStateException("POST /checkout answered 500");
    }).build();

    RollbackResult result = run(plan().step(validate));

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.failureMessage()).hasValueSatisfying(m -> assertThat(m).contains("POST /checkout answered 500"));
    assertThat(configSeenByValidate.get()).containsExactlyInAnyOrderEntriesOf(Map.of("app.properties", PROPS_129, "log.level", "info"));
    assertThat(result.compensations()).extracting(CompensationRecord::stepId, CompensationRecord::outcome)
        .contains(tuple("restore-config", CompensationOutcome.COMPENSATED));
    assertThat(result.timeline()).extracting(TimelineEntry::message)
        .contains("configmap/checkout-config put back from checkout-config-rb-" + RUN_SHORT);
    assertThat(client.configMaps().withName("checkout-config").get().getData())
        .containsExactlyInAnyOrderEntriesOf(Map.of("app.properties", PROPS_130, "log.level", "debug"));
    assertThat(client.configMaps().withName("checkout-config-rb-" + RUN_SHORT).get().getImmutable()).isTrue();
    assertThat(client.secrets().withName("checkout-secrets").get().getData())
        .containsExactlyInAnyOrderEntriesOf(Map.of("DB_PASSWORD", b64(DB_PASSWORD), "API_KEY", b64(API_KEY)));

    assertSecretValuesAppearNowhere(result);
  }

  // ---- fixtures ------------------------------------------------------------------------------

  private RollbackPlan.Builder plan() {
    KubernetesConfigRollback config = KubernetesConfigRollback.builder("restore-config", client).deployment("checkout")
        .versions(versions).configMapFromTag("checkout-config", "deploy/k8s/config").build();
    Step awaitRestart = Step.builder("await-restart", Phase.CONFIG_ROLLBACK).execute(ctx -> {
      Convergence c = checkout.awaitConvergence(checkout.convergenceTimeout(), ctx);
      if (!c.converged()) {
        throw new IllegalStateException("the restart did not roll out: " + c.message());
      }
      return StepResult.succeeded("restarted pods ready: " + c.message());
    }).build();
    return RollbackPlan.builder("checkout")
        .currentVersion(KubernetesVersionProbe.of(checkout))
        .target("v1.2.9")
        .strategy(checkout)
        .step(config)
        .step(awaitRestart);
  }

  private RollbackResult run(RollbackPlan.Builder plan) {
    RollbackRunner runner = RollbackRunner.builder().clock(clock).sleeper(sim.sleeper(clock)).journal(journal).listener(listener)
        .lock(new FakeRollbackLock(clock)).runIds((service, at) -> RUN_ID).build();
    return runner.run(plan.build());
  }

  /** Object and key names are recorded; the Secret's values, plain or base64, are in no record of the run. */
  private void assertSecretValuesAppearNowhere(RollbackResult result) {
    List<String> everything = new ArrayList<>();
    assertThat(journal.runIds()).containsExactly(RUN_ID);
    journal.entries(RUN_ID).forEach(e -> everything.add(e.toString()));
    IncidentReport report = IncidentReport.fromJournal(journal, RUN_ID, ReportNotes.none());
    everything.add(report.toMarkdown());
    everything.add(report.toJson());
    everything.add(report.toHtml());
    listener.events().forEach(e -> everything.add(e.toString()));
    everything.add(result.toString());
    String text = String.join("\n", everything);
    // The checked text carries the timeline's facts, so a leaked value would be seen.
    assertThat(text).contains("secret/test/checkout-secrets", "keys=API_KEY,DB_PASSWORD", "checkout-secrets-rb-" + RUN_SHORT)
        .doesNotContain(DB_PASSWORD, API_KEY, b64(DB_PASSWORD), b64(API_KEY));
  }

  private ReplicaSet replicaSetOfRevision(String revision) {
    return client.apps().replicaSets().list().getItems().stream()
        .filter(rs -> revision.equals(rs.getMetadata().getAnnotations().get(SimulatedDeploymentController.REVISION)))
        .findFirst().orElseThrow(() -> new AssertionError("no ReplicaSet of revision " + revision));
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
