package dev.rollback.k8s.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.Sleeper;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.TimelineEntry;
import dev.rollback.core.traffic.TrafficRouter;
import dev.rollback.core.traffic.TrafficSplit;
import dev.rollback.k8s.internal.TrafficHttpRouteRouter;
import dev.rollback.testkit.FakeRollbackLock;
import dev.rollback.testkit.ManualClock;
import dev.rollback.testkit.ManualSleeper;
import dev.rollback.testkit.RecordingJournal;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.rollback.k8s.testing.PatientMockClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The three Kubernetes routers against fabric8's CRUD mock server: each moves traffic only after
 * the target Deployment reports ready capacity, leaves the routed object untouched while it waits,
 * and fails naming what it saw when the Deployment never gets there. Time is a manual clock moved
 * by the run's sleeper; the "controller" that makes a Deployment ready is the sleeper's hook.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = PatientMockClient.class)
class KubernetesTrafficTest {
  private static final Duration POLL = Duration.ofSeconds(5);

  KubernetesClient client;

  private final ManualClock clock = ManualClock.startingAt(Instant.parse("2026-11-28T12:00:00Z"));
  private final ManualSleeper manual = new ManualSleeper(clock);
  private final List<String> seenWhileWaiting = new ArrayList<>();
  private Supplier<String> observed = () -> "";
  private Instant becomesReadyAt = Instant.MAX;
  private String becomesReady = "";

  @BeforeEach
  void twoDeploymentsTheOldReadyTheNewStillScalingUp() throws Exception {
    deployment("checkout-blue", 3, 3);
    deployment("checkout-green", 3, 1);
  }

  // ---- Service selector ----------------------------------------------------------------------

  @Test
  void serviceSelectorSwitchesOnlyAfterTheTargetColourReportsAllReplicasReady() throws Exception {
    service("blue");
    TrafficRouter router = blueGreen(Duration.ofMinutes(2));
    observed = () -> client.services().withName("checkout").get().getSpec().getSelector().get("track");
    readyAfter("checkout-green", Duration.ofSeconds(15));

    RollbackResult result = run(ctx -> router.switchTo("green", ctx));

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    // Three polls saw 1 of 3 replicas ready; the selector stayed on blue through all of them.
    assertThat(seenWhileWaiting).containsExactly("blue", "blue", "blue");
    assertThat(manual.sleeps()).containsExactly(POLL, POLL, POLL);
    assertThat(client.services().withName("checkout").get().getSpec().getSelector())
        .containsExactlyInAnyOrderEntriesOf(Map.of("app", "checkout", "track", "green"));
    assertThat(router.current().weights()).containsExactly(Map.entry("blue", 0), Map.entry("green", 100));
    assertThat(result.timeline()).extracting(TimelineEntry::message)
        .contains("backend green has ready capacity", "service test/checkout switched to track=green");
  }

  @Test
  void serviceSelectorTimesOutNamingTheBackendAndWhatItSawAndLeavesTheSelectorAlone() throws Exception {
    service("blue");
    TrafficRouter router = blueGreen(Duration.ofMinutes(1));
    observed = () -> client.services().withName("checkout").get().getSpec().getSelector().get("track");

    RollbackResult result = run(ctx -> router.switchTo("green", ctx));

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.failureMessage()).hasValueSatisfying(m -> assertThat(m)
        .contains("service test/checkout: backend 'green' (deployment test/checkout-green) did not report ready capacity within PT1M")
        .contains("last seen: readyReplicas=1 of spec.replicas=3")
        .contains("traffic was not moved"));
    assertThat(manual.totalSlept()).isEqualTo(Duration.ofMinutes(1));
    assertThat(seenWhileWaiting).isNotEmpty().containsOnly("blue");
    assertThat(client.services().withName("checkout").get().getSpec().getSelector()).containsEntry("track", "blue");
  }

  @Test
  void serviceSelectorAlreadyOnTheColourChangesNothingAndDoesNotWait() throws Exception {
    service("green");
    String before = client.services().withName("checkout").get().getMetadata().getResourceVersion();
    TrafficRouter router = blueGreen(Duration.ofMinutes(1));

    RollbackResult result = run(ctx -> router.switchTo("green", ctx));

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(manual.sleeps()).isEmpty();
    assertThat(client.services().withName("checkout").get().getMetadata().getResourceVersion()).isEqualTo(before);
  }

  @Test
  void serviceSelectorRefusesPartialWeightsAndUnknownColours() throws Exception {
    service("blue");
    TrafficRouter router = blueGreen(Duration.ofMinutes(1));
    assertThat(router.supportsPartialWeights()).isFalse();

    RollbackResult partial = run(ctx -> router.apply(TrafficSplit.of(ordered("blue", 90, "green", 10)), ctx));
    RollbackResult unknown = run(ctx -> router.switchTo("red", ctx));

    assertThat(partial.failureMessage()).hasValueSatisfying(m -> assertThat(m)
        .contains("sends all traffic to one colour").contains("[blue, green]"));
    assertThat(unknown.failureMessage()).hasValueSatisfying(m -> assertThat(m)
        .contains("backend(s) [red] are not configured; known backends: [blue, green]"));
    assertThat(client.services().withName("checkout").get().getSpec().getSelector()).containsEntry("track", "blue");
  }

  // ---- ingress-nginx canary ------------------------------------------------------------------

  @Test
  void ingressCanaryWeightMovesOnlyAfterTheCanaryDeploymentIsReady() throws Exception {
    ingress("checkout", Map.of());
    ingress("checkout-canary", Map.of("nginx.ingress.kubernetes.io/canary", "true", "nginx.ingress.kubernetes.io/canary-weight", "0"));
    TrafficRouter router = KubernetesTraffic.ingressCanary(client, "checkout-canary")
        .stable("stable", "checkout-blue").canary("canary", "checkout-green")
        .readinessTimeout(Duration.ofMinutes(2)).pollInterval(POLL).build();
    observed = () -> client.network().v1().ingresses().withName("checkout-canary").get().getMetadata().getAnnotations()
        .get("nginx.ingress.kubernetes.io/canary-weight");
    readyAfter("checkout-green", Duration.ofSeconds(10));

    assertThat(router.current().weights()).containsExactly(Map.entry("stable", 100), Map.entry("canary", 0));
    RollbackResult result = run(ctx -> router.apply(TrafficSplit.of(ordered("stable", 90, "canary", 10)), ctx));

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(seenWhileWaiting).containsExactly("0", "0");
    assertThat(client.network().v1().ingresses().withName("checkout-canary").get().getMetadata().getAnnotations())
        .containsEntry("nginx.ingress.kubernetes.io/canary", "true")
        .containsEntry("nginx.ingress.kubernetes.io/canary-weight", "10");
    assertThat(client.network().v1().ingresses().withName("checkout").get().getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(router.current().weights()).containsExactly(Map.entry("stable", 90), Map.entry("canary", 10));
  }

  @Test
  void ingressCanaryTimesOutAndKeepsItsWeightWhenTheCanaryNeverBecomesReady() throws Exception {
    ingress("checkout-canary", Map.of("nginx.ingress.kubernetes.io/canary", "true", "nginx.ingress.kubernetes.io/canary-weight", "0"));
    TrafficRouter router = KubernetesTraffic.ingressCanary(client, "checkout-canary")
        .stable("stable", "checkout-blue").canary("canary", "checkout-green")
        .readinessTimeout(Duration.ofSeconds(30)).pollInterval(POLL).build();

    RollbackResult result = run(ctx -> router.switchTo("canary", ctx));

    assertThat(result.failureMessage()).hasValueSatisfying(m -> assertThat(m)
        .contains("ingress canary test/checkout-canary: backend 'canary' (deployment test/checkout-green) did not report ready capacity within PT30S")
        .contains("readyReplicas=1 of spec.replicas=3"));
    assertThat(client.network().v1().ingresses().withName("checkout-canary").get().getMetadata().getAnnotations())
        .containsEntry("nginx.ingress.kubernetes.io/canary-weight", "0");
  }

  @Test
  void ingressCanaryWithoutAnnotationsIsAllStableAndGetsThemOnApply() throws Exception {
    deploymentReady("checkout-green");
    ingress("checkout-canary", Map.of());
    TrafficRouter router = KubernetesTraffic.ingressCanary(client, "checkout-canary")
        .stable("stable", "checkout-blue").canary("canary", "checkout-green").pollInterval(POLL).build();

    assertThat(router.current().weights()).containsExactly(Map.entry("stable", 100), Map.entry("canary", 0));
    RollbackResult first = run(ctx -> router.switchTo("canary", ctx));
    String version = client.network().v1().ingresses().withName("checkout-canary").get().getMetadata().getResourceVersion();
    RollbackResult again = run(ctx -> router.switchTo("canary", ctx));

    assertThat(first.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(again.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(router.current().weights()).containsExactly(Map.entry("stable", 0), Map.entry("canary", 100));
    assertThat(client.network().v1().ingresses().withName("checkout-canary").get().getMetadata().getResourceVersion()).isEqualTo(version);
  }

  @Test
  void drainingTheCanaryGivesItsShareBackToTheReadyStableBackend() throws Exception {
    ingress("checkout-canary", Map.of("nginx.ingress.kubernetes.io/canary", "true", "nginx.ingress.kubernetes.io/canary-weight", "10"));
    TrafficRouter router = KubernetesTraffic.ingressCanary(client, "checkout-canary")
        .stable("stable", "checkout-blue").canary("canary", "checkout-green").pollInterval(POLL).build();

    RollbackResult result = run(ctx -> router.drain("canary", ctx));

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(manual.sleeps()).isEmpty();
    assertThat(router.current().weights()).containsExactly(Map.entry("stable", 100), Map.entry("canary", 0));
    assertThat(result.timeline()).extracting(TimelineEntry::message)
        .contains("backend stable has ready capacity", "ingress canary test/checkout-canary sends 0% to canary (was 10%)");
  }

  // ---- Gateway API HTTPRoute -----------------------------------------------------------------

  @Test
  void httpRouteWeightsMoveOnlyAfterTheTargetIsReadyOnEveryRuleThatNamesTheBackends() throws Exception {
    httpRoute(List.of(
        rule(ref("checkout-blue", 100), ref("checkout-green", 0)),
        rule(ref("checkout-blue", 1), ref("checkout-green", null)),
        rule(ref("static-site", 1))));
    TrafficRouter router = KubernetesTraffic.httpRoute(client, "checkout")
        .backend("checkout-blue", "checkout-blue").backend("checkout-green", "checkout-green")
        .readinessTimeout(Duration.ofMinutes(2)).pollInterval(POLL).build();
    observed = () -> weights().toString();
    String before = weights().toString();
    readyAfter("checkout-green", Duration.ofSeconds(20));

    assertThat(router.current().weights()).containsExactly(Map.entry("checkout-blue", 100), Map.entry("checkout-green", 0));
    RollbackResult result = run(ctx -> router.apply(TrafficSplit.of(ordered("checkout-blue", 50, "checkout-green", 50)), ctx));

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(seenWhileWaiting).hasSize(4).containsOnly(before);
    assertThat(weights()).containsExactly(
        List.of(Map.entry("checkout-blue", 50), Map.entry("checkout-green", 50)),
        List.of(Map.entry("checkout-blue", 50), Map.entry("checkout-green", 50)),
        List.of(Map.entry("static-site", 1)));
    assertThat(router.current().weights()).containsExactly(Map.entry("checkout-blue", 50), Map.entry("checkout-green", 50));
  }

  @Test
  void httpRouteTimesOutNamingTheBackendAndLeavesTheWeights() throws Exception {
    httpRoute(List.of(rule(ref("checkout-blue", 100), ref("checkout-green", 0))));
    TrafficRouter router = KubernetesTraffic.httpRoute(client, "checkout")
        .backend("checkout-blue", "checkout-blue").backend("checkout-green", "checkout-green")
        .readinessTimeout(Duration.ofSeconds(20)).pollInterval(POLL).build();

    RollbackResult result = run(ctx -> router.switchTo("checkout-green", ctx));

    assertThat(result.failureMessage()).hasValueSatisfying(m -> assertThat(m)
        .contains("httproute test/checkout: backend 'checkout-green' (deployment test/checkout-green) did not report ready capacity within PT20S"));
    assertThat(weights()).containsExactly(List.of(Map.entry("checkout-blue", 100), Map.entry("checkout-green", 0)));
  }

  @Test
  void httpRouteRelativeWeightsReadAsPercentsAndAnUnchangedSplitIsNotPatched() throws Exception {
    deploymentReady("checkout-green");
    httpRoute(List.of(rule(ref("checkout-blue", 3), ref("checkout-green", 1))));
    TrafficRouter router = KubernetesTraffic.httpRoute(client, "checkout")
        .backend("checkout-blue", "checkout-blue").backend("checkout-green", "checkout-green").build();

    assertThat(router.current().weights()).containsExactly(Map.entry("checkout-blue", 75), Map.entry("checkout-green", 25));
    run(ctx -> router.apply(TrafficSplit.of(ordered("checkout-blue", 75, "checkout-green", 25)), ctx));
    String version = route().getMetadata().getResourceVersion();
    RollbackResult again = run(ctx -> router.apply(TrafficSplit.of(ordered("checkout-blue", 75, "checkout-green", 25)), ctx));

    assertThat(again.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(route().getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(weights()).containsExactly(List.of(Map.entry("checkout-blue", 75), Map.entry("checkout-green", 25)));
  }

  @Test
  void buildersReportEveryProblemAtOnce() throws Exception {
    assertThatThrownBy(() -> KubernetesTraffic.serviceSelector(client, "Checkout!").namespace("Prod")
        .readinessTimeout(Duration.ZERO).backend("blue", "").build())
        .isInstanceOf(RollbackException.class)
        .satisfies(e -> assertThat(((RollbackException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("namespace must be a DNS label").hasMessageContaining("'Prod'")
        .hasMessageContaining("readinessTimeout must be positive, but was PT0S")
        .hasMessageContaining("colour 'blue' needs the name of the Deployment behind it, but was ''")
        .hasMessageContaining("service must be a Kubernetes object name, but was 'Checkout!'");
    assertThatThrownBy(() -> KubernetesTraffic.serviceSelector(client, "checkout").backend("blue", "checkout-blue").build())
        .hasMessageContaining("a blue-green switch needs at least two colours, but has [blue]");
    assertThatThrownBy(() -> KubernetesTraffic.ingressCanary(client, "c").stable("x", "a").build())
        .hasMessageContaining("canary backend is not set");
  }

  // ---- fixtures ------------------------------------------------------------------------------

  private TrafficRouter blueGreen(Duration timeout) {
    return KubernetesTraffic.serviceSelector(client, "checkout").backend("blue", "checkout-blue").backend("green", "checkout-green")
        .readinessTimeout(timeout).pollInterval(POLL).build();
  }

  private interface TrafficAction {
    void run(StepContext ctx) throws Exception;
  }

  /** Runs one step that moves traffic; the sleeper records the routed object at every poll. */
  private RollbackResult run(TrafficAction action) {
    Sleeper sleeper = d -> {
      seenWhileWaiting.add(observed.get());
      manual.sleep(d);
      if (!clock.instant().isBefore(becomesReadyAt)) {
        deploymentReady(becomesReady);
        becomesReadyAt = Instant.MAX;
      }
    };
    RollbackRunner runner = RollbackRunner.builder().clock(clock).sleeper(sleeper).journal(new RecordingJournal())
        .lock(new FakeRollbackLock(clock)).build();
    Step step = Step.builder("move-traffic", Phase.TRAFFIC_RESTORE).execute(ctx -> {
      action.run(ctx);
      return StepResult.succeeded("moved");
    }).build();
    return runner.run(RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9").step(step).build());
  }

  private void readyAfter(String deployment, Duration after) {
    becomesReady = deployment;
    becomesReadyAt = clock.instant().plus(after);
  }

  private void deployment(String name, int replicas, int ready) {
    client.apps().deployments().resource(new DeploymentBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("checkout:1").endContainer().endSpec().endTemplate()
        .endSpec().build()).create();
    client.apps().deployments().withName(name).editStatus(d -> {
      d.setStatus(new DeploymentStatusBuilder().withReplicas(replicas).withReadyReplicas(ready)
          .withObservedGeneration(d.getMetadata().getGeneration()).build());
      return d;
    });
  }

  private void deploymentReady(String name) {
    client.apps().deployments().withName(name).editStatus(d -> {
      Deployment copy = new DeploymentBuilder(d).build();
      copy.getStatus().setReadyReplicas(d.getSpec().getReplicas());
      return copy;
    });
  }

  private void service(String colour) {
    client.services().resource(new ServiceBuilder().withNewMetadata().withName("checkout").endMetadata()
        .withNewSpec().addToSelector("app", "checkout").addToSelector("track", colour).addNewPort().withPort(80).endPort().endSpec()
        .build()).create();
  }

  private void ingress(String name, Map<String, String> annotations) {
    client.network().v1().ingresses().resource(new IngressBuilder().withNewMetadata().withName(name)
        .withAnnotations(annotations.isEmpty() ? null : annotations).endMetadata()
        .withNewSpec().addNewRule().withHost("checkout.example.com").endRule().endSpec().build()).create();
  }

  private static Map<String, Object> ref(String name, Integer weight) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("name", name);
    r.put("port", 8080);
    if (weight != null) {
      r.put("weight", weight);
    }
    return r;
  }

  @SafeVarargs
  private static Map<String, Object> rule(Map<String, Object>... refs) {
    return Map.of("backendRefs", List.of(refs));
  }

  private void httpRoute(List<Map<String, Object>> rules) {
    GenericKubernetesResource r = new GenericKubernetesResourceBuilder().withApiVersion("gateway.networking.k8s.io/v1")
        .withKind("HTTPRoute").withNewMetadata().withName("checkout").endMetadata().build();
    r.setAdditionalProperty("spec", Map.of("parentRefs", List.of(Map.of("name", "edge")), "rules", rules));
    client.genericKubernetesResources(TrafficHttpRouteRouter.HTTP_ROUTE).resource(r).create();
  }

  private GenericKubernetesResource route() {
    return client.genericKubernetesResources(TrafficHttpRouteRouter.HTTP_ROUTE).withName("checkout").get();
  }

  /** Per rule, backendRef name → weight (absent weights left out of the entry list). */
  @SuppressWarnings("unchecked")
  private List<List<Map.Entry<String, Object>>> weights() {
    List<Map<String, Object>> rules = (List<Map<String, Object>>) ((Map<String, Object>) route().getAdditionalProperties().get("spec")).get("rules");
    List<List<Map.Entry<String, Object>>> out = new ArrayList<>();
    for (Map<String, Object> rule : rules) {
      List<Map.Entry<String, Object>> row = new ArrayList<>();
      for (Map<String, Object> ref : (List<Map<String, Object>>) rule.get("backendRefs")) {
        if (ref.get("weight") != null) {
          row.add(Map.entry((String) ref.get("name"), ref.get("weight")));
        }
      }
      out.add(row);
    }
    return out;
  }

  private static Map<String, Integer> ordered(String a, int wa, String b, int wb) {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put(a, wa);
    m.put(b, wb);
    return m;
  }
}
