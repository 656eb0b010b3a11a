package dev.rollback.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.rollback.core.CompensationOutcome;
import dev.rollback.core.CompensationRecord;
import dev.rollback.core.ErrorCode;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.Step;
import dev.rollback.core.StepOutcome;
import dev.rollback.core.StepResult;
import dev.rollback.core.TimelineEntry;
import dev.rollback.core.report.IncidentReport;
import dev.rollback.core.report.ReportNotes;
import dev.rollback.testkit.FakeRollbackLock;
import dev.rollback.testkit.InMemoryVersionCatalog;
import dev.rollback.testkit.ManualClock;
import dev.rollback.testkit.ManualSleeper;
import dev.rollback.testkit.RecordingJournal;
import dev.rollback.testkit.RecordingListener;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import dev.rollback.k8s.testing.PatientMockClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ConfigMap and Secret rollback of a Deployment against fabric8's CRUD mock server, run through a
 * real {@link RollbackRunner} with the testkit's journal and listener.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = PatientMockClient.class)
class KubernetesConfigRollbackTest {
  private static final Instant START = Instant.parse("2026-11-28T12:00:00Z");
  private static final String RUN_SHORT = "0a1b2c3d";
  private static final String RUN_ID = "checkout-20261128-120000-" + RUN_SHORT;
  private static final String PROPS_130 = "pool=40\nfeature.fast-checkout=on\n";
  private static final String PROPS_129 = "pool=20\n";
  private static final String DB_PASSWORD_130 = "Tr0ub4dor&3-v130-db";
  private static final String DB_PASSWORD_129 = "correct-horse-battery-staple-v129";
  private static final String API_KEY_130 = "sk_live_51HxV130apikeyZZ";
  private static final String API_KEY_129 = "sk_live_51HxV129apikeyYY";

  KubernetesClient client;

  private final ManualClock clock = ManualClock.startingAt(START);
  private final RecordingJournal journal = new RecordingJournal();
  private final RecordingListener listener = new RecordingListener();
  private final InMemoryVersionCatalog versions = InMemoryVersionCatalog.newestFirst("v1.3.0", "v1.2.9", "v1.2.8")
      .file("v1.3.0", "deploy/k8s/config/app.properties", PROPS_130)
      .file("v1.3.0", "deploy/k8s/config/log.level", "debug")
      .file("v1.2.9", "deploy/k8s/config/app.properties", PROPS_129)
      .file("v1.2.9", "deploy/k8s/config/log.level", "info");

  @BeforeEach
  void aDeploymentOnV130ThatUsesConfigMapsAndSecretsInEveryWayAPodCan() {
    configMap("checkout-config", Map.of("app.properties", PROPS_130, "log.level", "debug"));
    configMap("checkout-files", Map.of("nginx.conf", "worker_processes 2;\n"));
    configMap("checkout-ca", Map.of("ca.crt", "-----BEGIN CERTIFICATE-----\nCA\n"));
    secret("checkout-secrets", DB_PASSWORD_130, API_KEY_130);
    client.secrets().resource(new SecretBuilder().withNewMetadata().withName("checkout-tls").endMetadata()
        .withData(Map.of("tls.key", b64("private-key-bytes"))).build()).create();
    client.apps().deployments().resource(new DeploymentBuilder()
        .withNewMetadata().withName("checkout").endMetadata()
        .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "checkout").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "checkout").endMetadata()
        .withNewSpec()
        .addNewContainer().withName("app").withImage("checkout:1.3.0")
        .addNewEnvFrom().withNewConfigMapRef().withName("checkout-config").endConfigMapRef().endEnvFrom()
        .addNewEnvFrom().withNewConfigMapRef().withName("checkout-extra").withOptional(true).endConfigMapRef().endEnvFrom()
        .addNewEnv().withName("DB_PASSWORD").withNewValueFrom().withNewSecretKeyRef().withName("checkout-secrets").withKey("DB_PASSWORD")
        .endSecretKeyRef().endValueFrom().endEnv()
        .endContainer()
        .addNewVolume().withName("files").withNewConfigMap().withName("checkout-files").endConfigMap().endVolume()
        .addNewVolume().withName("certs").withNewProjected()
        .addNewSource().withNewSecret().withName("checkout-tls").endSecret().endSource()
        .addNewSource().withNewConfigMap().withName("checkout-ca").endConfigMap().endSource()
        .endProjected().endVolume()
        .endSpec().endTemplate().endSpec().build()).create();
  }

  @Test
  void snapshotsEveryReferencedObjectRestoresTheTagsConfigRestartsAndCompensationPutsItAllBack() {
    AtomicReference<Map<String, String>> configSeenLater = new AtomicReference<>();
    AtomicReference<String> restartSeenLater = new AtomicReference<>();
    Step validate = Step.builder("health-check", Phase.VALIDATE).execute(ctx -> {
      configSeenLater.set(client.configMaps().withName("checkout-config").get().getData());
      restartSeenLater.set(restartedAt());
      throw new IllegalStateException("health check returned 503");
    }).build();
    KubernetesConfigRollback config = KubernetesConfigRollback.builder("restore-config", client).deployment("checkout")
        .versions(versions).configMapFromTag("checkout-config", "deploy/k8s/config").build();

    RollbackResult result = run(plan("v1.3.0", "v1.2.9").step(templateChange()).step(config).step(validate));

    // While the later step ran, the ConfigMap held v1.2.9's files and the pods had been restarted.
    assertThat(configSeenLater.get()).containsExactlyInAnyOrderEntriesOf(Map.of("app.properties", PROPS_129, "log.level", "info"));
    assertThat(restartSeenLater.get()).isEqualTo(START.toString());
    // The later step failed: config compensated first (reverse order), then the template change.
    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.step("restore-config")).hasValueSatisfying(s -> assertThat(s.outcome()).isEqualTo(StepOutcome.SUCCEEDED));
    assertThat(result.compensations()).extracting(CompensationRecord::stepId, CompensationRecord::outcome).containsExactly(
        tuple("restore-config", CompensationOutcome.COMPENSATED), tuple("change-template", CompensationOutcome.COMPENSATED));
    assertThat(client.configMaps().withName("checkout-config").get().getData())
        .containsExactlyInAnyOrderEntriesOf(Map.of("app.properties", PROPS_130, "log.level", "debug"));
    assertThat(deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("checkout:1.3.0");
    assertThat(restartedAt()).isNotNull();

    // Every referenced object that exists was copied, immutable, named and labelled with the run.
    for (String name : List.of("checkout-config", "checkout-files", "checkout-ca")) {
      ConfigMap snap = client.configMaps().withName(name + "-rb-" + RUN_SHORT).get();
      assertThat(snap.getImmutable()).isTrue();
      assertThat(snap.getData()).isEqualTo(name.equals("checkout-config")
          ? Map.of("app.properties", PROPS_130, "log.level", "debug") : client.configMaps().withName(name).get().getData());
      assertThat(snap.getMetadata().getLabels()).containsEntry("rollback.dev/snapshot-of", name)
          .containsEntry("rollback.dev/run", RUN_SHORT).containsEntry("rollback.dev/version", "v1.3.0");
      assertThat(snap.getMetadata().getAnnotations()).containsEntry("rollback.dev/origin", "configmap/test/" + name)
          .containsEntry("rollback.dev/run-id", RUN_ID).containsEntry("rollback.dev/snapshot-at", START.toString());
    }
    for (String name : List.of("checkout-secrets", "checkout-tls")) {
      Secret snap = client.secrets().withName(name + "-rb-" + RUN_SHORT).get();
      assertThat(snap.getImmutable()).isTrue();
      assertThat(snap.getData()).isEqualTo(client.secrets().withName(name).get().getData());
      assertThat(snap.getMetadata().getAnnotations()).containsEntry("rollback.dev/origin", "secret/test/" + name);
    }
    assertThat(client.configMaps().withName("checkout-extra-rb-" + RUN_SHORT).get()).isNull();
    assertThat(result.timeline()).extracting(TimelineEntry::message).contains(
        "configmap/checkout-extra does not exist (optional reference)",
        "configmap/checkout-config restored from tag v1.2.9:deploy/k8s/config",
        "configmap/checkout-config put back from checkout-config-rb-" + RUN_SHORT);
  }

  @Test
  void aSecretComesBackFromTheSnapshotTakenWhileTheTargetRanAndItsValuesAppearNowhere() {
    // While v1.2.9 ran, a run (here: of v1.2.9 back to v1.2.8, config step only snapshotting) took a snapshot.
    replaceSecret(DB_PASSWORD_129, API_KEY_129);
    KubernetesConfigRollback snapshotOnly = KubernetesConfigRollback.builder("snapshot-config", client).deployment("checkout").build();
    RollbackResult earlier = run(plan("v1.2.9", "v1.2.8").step(snapshotOnly), "checkout-20261127-090000-99aa88bb");
    assertThat(earlier.step("snapshot-config")).hasValueSatisfying(s -> assertThat(s.outcome()).isEqualTo(StepOutcome.SKIPPED));
    // Then v1.3.0 was deployed with new secret values; it failed, and we roll back to v1.2.9.
    replaceSecret(DB_PASSWORD_130, API_KEY_130);
    KubernetesConfigRollback config = KubernetesConfigRollback.builder("restore-config", client).deployment("checkout")
        .versions(versions).configMapFromTag("checkout-config", "deploy/k8s/config")
        .fromSnapshot(KubernetesConfigRollback.SECRET, "checkout-secrets").build();

    RollbackResult result = run(plan("v1.3.0", "v1.2.9").step(config));

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(client.secrets().withName("checkout-secrets").get().getData())
        .containsExactlyInAnyOrderEntriesOf(Map.of("DB_PASSWORD", b64(DB_PASSWORD_129), "API_KEY", b64(API_KEY_129)));
    assertThat(client.secrets().withName("checkout-secrets-rb-" + RUN_SHORT).get().getData())
        .containsEntry("DB_PASSWORD", b64(DB_PASSWORD_130));
    assertThat(result.timeline()).filteredOn(t -> "secret/test/checkout-secrets".equals(t.facts().get("object")))
        .isNotEmpty()
        .allSatisfy(t -> assertThat(t.facts()).doesNotContainKey("sha256"))
        .anySatisfy(t -> assertThat(t.facts()).containsEntry("action", "restored").containsEntry("keys", "API_KEY,DB_PASSWORD"));

    // Names and key names are recorded; the values, plain or base64, are nowhere.
    List<String> everything = new ArrayList<>();
    for (String runId : journal.runIds()) {
      journal.entries(runId).forEach(e -> everything.add(e.toString()));
      IncidentReport report = IncidentReport.fromJournal(journal, runId, ReportNotes.none());
      everything.add(report.toMarkdown());
      everything.add(report.toJson());
      everything.add(report.toHtml());
    }
    // The checked text does carry the timeline's facts, so a leaked value would be seen.
    assertThat(String.join("\n", everything)).contains("keys=API_KEY,DB_PASSWORD");
    listener.events().forEach(e -> everything.add(e.toString()));
    everything.add(result.toString());
    everything.add(earlier.toString());
    assertThat(journal.runIds()).hasSize(2);
    assertThat(String.join("\n", everything)).contains("checkout-secrets", "DB_PASSWORD")
        .doesNotContain(DB_PASSWORD_129, DB_PASSWORD_130, API_KEY_129, API_KEY_130)
        .doesNotContain(b64(DB_PASSWORD_129), b64(DB_PASSWORD_130), b64(API_KEY_129), b64(API_KEY_130));
  }

  @Test
  void configAlreadyOnTheTargetChangesNothingAndDoesNotRestart() {
    client.configMaps().withName("checkout-config").edit(c -> new ConfigMapBuilder(c)
        .withData(Map.of("app.properties", PROPS_129, "log.level", "info")).build());
    String version = client.configMaps().withName("checkout-config").get().getMetadata().getResourceVersion();
    KubernetesConfigRollback config = KubernetesConfigRollback.builder("restore-config", client).deployment("checkout")
        .versions(versions).configMapFromTag("checkout-config", "deploy/k8s/config").build();

    RollbackResult result = run(plan("v1.3.0", "v1.2.9").step(config));

    assertThat(result.step("restore-config")).hasValueSatisfying(s -> assertThat(s.outcome()).isEqualTo(StepOutcome.SKIPPED));
    assertThat(client.configMaps().withName("checkout-config").get().getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(restartedAt()).isNull();
  }

  @Test
  void anImmutableObjectOrAMissingSnapshotStopsTheStepNamingIt() {
    client.configMaps().withName("checkout-config").edit(c -> new ConfigMapBuilder(c).withImmutable(true).build());
    KubernetesConfigRollback fromTag = KubernetesConfigRollback.builder("restore-config", client).deployment("checkout")
        .versions(versions).configMapFromTag("checkout-config", "deploy/k8s/config").build();
    KubernetesConfigRollback fromSnapshot = KubernetesConfigRollback.builder("restore-secret", client).deployment("checkout")
        .fromSnapshot(KubernetesConfigRollback.SECRET, "checkout-secrets").build();

    RollbackResult immutable = run(plan("v1.3.0", "v1.2.9").step(fromTag));
    RollbackResult noSnapshot = run(plan("v1.3.0", "v1.2.9").step(fromSnapshot), "checkout-20261128-130000-11111111");

    assertThat(immutable.failureMessage()).hasValueSatisfying(m -> assertThat(m)
        .contains("configmap/checkout-config in test is immutable, so its data cannot be restored in place"));
    assertThat(noSnapshot.failureMessage()).hasValueSatisfying(m -> assertThat(m)
        .contains("no snapshot of secret/checkout-secrets taken while v1.2.9 ran exists in test"));
    assertThat(client.secrets().withName("checkout-secrets").get().getData()).containsEntry("DB_PASSWORD", b64(DB_PASSWORD_130));
    assertThat(restartedAt()).isNull();
  }

  @Test
  void theBuilderReportsEveryProblemAtOnce() {
    assertThatThrownBy(() -> KubernetesConfigRollback.builder(" ", client).namespace("Prod")
        .configMapFromTag("Bad_Name", "x").fromSnapshot("Pod", "p").build())
        .isInstanceOf(RollbackException.class)
        .satisfies(e -> assertThat(((RollbackException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("id must not be blank")
        .hasMessageContaining("namespace must be a DNS label, but was 'Prod'")
        .hasMessageContaining("configmap name must be a Kubernetes object name, but was 'Bad_Name'")
        .hasMessageContaining("fromSnapshot kind must be ConfigMap or Secret, but was 'Pod'")
        .hasMessageContaining("deployment is not set");
    assertThatThrownBy(() -> KubernetesConfigRollback.builder("c", client).deployment("checkout")
        .configMapFromTag("checkout-config", "deploy").build())
        .hasMessageContaining("versions must be set when configMapFromTag is used");
  }

  // ---- fixtures ------------------------------------------------------------------------------

  private RollbackPlan.Builder plan(String from, String to) {
    return RollbackPlan.builder("checkout").currentVersion(from).target(to);
  }

  private RollbackResult run(RollbackPlan.Builder plan) {
    return run(plan, RUN_ID);
  }

  private RollbackResult run(RollbackPlan.Builder plan, String runId) {
    RollbackRunner runner = RollbackRunner.builder().clock(clock).sleeper(new ManualSleeper(clock)).journal(journal)
        .listener(listener).lock(new FakeRollbackLock(clock)).runIds((service, at) -> runId).build();
    return runner.run(plan.build());
  }

  /** Another helper builds the real undo; a JSON patch of the template stands in for it here. */
  private Step templateChange() {
    return Step.builder("change-template", Phase.PLATFORM_ROLLBACK)
        .execute(ctx -> {
          image("checkout:1.2.9");
          return StepResult.succeeded("template on checkout:1.2.9");
        })
        .compensate(ctx -> {
          image("checkout:1.3.0");
          return StepResult.succeeded("template back on checkout:1.3.0");
        }).build();
  }

  private void image(String image) {
    client.apps().deployments().withName("checkout").patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"" + image + "\"}]");
  }

  private Deployment deployment() {
    return client.apps().deployments().withName("checkout").get();
  }

  private String restartedAt() {
    Map<String, String> a = deployment().getSpec().getTemplate().getMetadata().getAnnotations();
    return a == null ? null : a.get("kubectl.kubernetes.io/restartedAt");
  }

  private void configMap(String name, Map<String, String> data) {
    client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().withData(data).build()).create();
  }

  private void secret(String name, String dbPassword, String apiKey) {
    client.secrets().resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata().withType("Opaque")
        .withData(Map.of("DB_PASSWORD", b64(dbPassword), "API_KEY", b64(apiKey))).build()).create();
  }

  private void replaceSecret(String dbPassword, String apiKey) {
    client.secrets().withName("checkout-secrets").edit(s -> new SecretBuilder(s)
        .withData(Map.of("DB_PASSWORD", b64(dbPassword), "API_KEY", b64(apiKey))).build());
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
