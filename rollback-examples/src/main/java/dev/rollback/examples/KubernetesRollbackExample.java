package dev.rollback.examples;

import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.StepRecord;
import dev.rollback.core.event.ConsoleProgress;
import dev.rollback.k8s.KubernetesRollback;
import dev.rollback.k8s.KubernetesVersionProbe;
import dev.rollback.k8s.PodDiagnosis;
import dev.rollback.k8s.WorkloadRevision;
import dev.rollback.testkit.ManualClock;
import dev.rollback.testkit.k8s.PodFailure;
import dev.rollback.testkit.k8s.SimulatedDeploymentController;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Rolls a crashing Kubernetes Deployment back with the {@code "kubernetes"} strategy, against an
 * API server simulated in-process: fabric8's mock server in CRUD mode, with the testkit's {@link
 * SimulatedDeploymentController} playing the Deployment and ReplicaSet controllers and the kubelet.
 * Nothing but a JDK is needed.
 *
 * <p>It deploys {@code checkout} through v1.2.8, v1.2.9 and v1.3.0 (revisions 1 to 3). v1.3.0's pods
 * crash on start ({@code CrashLoopBackOff}), so its rollout hangs until it exceeds its progress
 * deadline, with the v1.2.9 pods still serving. The example diagnoses the new pods as the strategy
 * does (reason, restarts, events, log tail), then runs a {@link RollbackPlan} built with the typed
 * {@link KubernetesRollback} builder back to v1.2.9: the undo of revision 2 as {@code kubectl rollout
 * undo} does it and the rollout wait as {@code kubectl rollout status} does it, with progress
 * printed by {@link ConsoleProgress}. Time is simulated:
 * every wait of the run moves a {@link ManualClock} and the controllers together, so the rollout
 * takes a moment.
 *
 * <p>Run it with {@code ./mvnw -q -pl rollback-examples -am -DskipTests package exec:java
 * -Dexec.mainClass=dev.rollback.examples.KubernetesRollbackExample}; it exits 0 only when the
 * Deployment runs v1.2.9 with every replica ready.
 */
public final class KubernetesRollbackExample {
  static final String BAD = "v1.3.0";
  static final String GOOD = "v1.2.9";
  static final String REPOSITORY = "registry.example.com/checkout";
  static final String CRASH_LOG = "panic: config key payments.url missing";
  private static final int REPLICAS = 3;
  private static final int PROGRESS_DEADLINE_SECONDS = 60;
  private static final Instant START = Instant.parse("2026-11-28T09:00:00Z");

  /** Held, so that the level sticks: the mock server logs every request at INFO through java.util.logging. */
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  private KubernetesRollbackExample() {}

  /**
   * @param args none
   */
  public static void main(String[] args) {
    Outcome outcome = run(System.out);
    System.exit(outcome.readyOnTarget() ? 0 : 1);
  }

  /**
   * How the example ended.
   *
   * @param result the rollback run's result
   * @param diagnosedBefore the pods of v1.3.0 as diagnosed before the rollback
   * @param runningAfter the version the Deployment runs afterwards
   * @param readyOnTarget whether the run succeeded and the Deployment runs v1.2.9 with every replica
   *     updated and ready
   */
  public record Outcome(RollbackResult result, List<PodDiagnosis> diagnosedBefore, String runningAfter, boolean readyOnTarget) {
    /** Copies the diagnoses. */
    public Outcome {
      Objects.requireNonNull(result, "result");
      diagnosedBefore = List.copyOf(diagnosedBefore);
      Objects.requireNonNull(runningAfter, "runningAfter");
    }
  }

  /**
   * Starts the mock API server and the simulated controllers, deploys, breaks v1.3.0 and rolls it
   * back; stops everything before returning.
   *
   * @param out where the story and the run's progress are printed
   * @return how it ended
   */
  public static Outcome run(PrintStream out) {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), expectations,
        new KubernetesMixedDispatcher(expectations), false);
    server.init();
    // Generous timeouts and no retries: a busy machine must not turn a slow answer into a repeated create.
    try (KubernetesClient client = server.createClient(b -> b.editOrNewConfig().withRequestTimeout(120_000)
        .withConnectionTimeout(60_000).withRequestRetryBackoffLimit(0).endConfig())) {
      ManualClock clock = ManualClock.startingAt(START);
      try (SimulatedDeploymentController sim = SimulatedDeploymentController.builder(client).clock(clock)
          .logSink((namespace, pod, container, lines) -> serveLog(server, namespace, pod, container, lines))
          .build()) {
        return rollBack(client, sim, clock, out);
      }
    } finally {
      server.destroy();
    }
  }

  private static Outcome rollBack(KubernetesClient client, SimulatedDeploymentController sim, ManualClock clock, PrintStream out) {
    out.println("== Deploying checkout to a simulated cluster (namespace " + sim.namespace() + ")");
    client.apps().deployments().resource(deployment("v1.2.8")).create();
    settle(sim, "v1.2.8");
    setVersion(client, GOOD);
    settle(sim, GOOD);

    // v1.3.0 crashes on start. Its rollout creates one new pod at a time and keeps the v1.2.9 pods
    // until the new ones are ready, so it hangs with a crash-looping pod until its progress deadline.
    out.println("== Deploying " + BAD + ", whose pods crash on start");
    sim.failImage(REPOSITORY + ":" + BAD, PodFailure.crashLoop("starting checkout " + BAD, CRASH_LOG));
    setVersion(client, BAD);
    for (int second = 0; second < PROGRESS_DEADLINE_SECONDS + 30; second++) {   // a minute and a half passes
      clock.advance(Duration.ofSeconds(1));
      sim.tick();
    }
    Deployment stuck = client.apps().deployments().withName("checkout").get();
    stuck.getStatus().getConditions().stream().filter(c -> "Progressing".equals(c.getType())).forEach(c ->
        out.println("deployment/checkout Progressing=" + c.getStatus() + " " + c.getReason() + ": " + c.getMessage()));
    out.println("deployment/checkout: " + count(stuck.getStatus().getUpdatedReplicas()) + " updated, "
        + count(stuck.getStatus().getReadyReplicas()) + "/" + stuck.getSpec().getReplicas() + " ready");

    KubernetesRollback checkout = KubernetesRollback.deployment("checkout")
        .namespace(sim.namespace())
        .client(client)
        .container("app")
        .rolloutTimeout(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(2))
        .resyncInterval(Duration.ofSeconds(5))
        .build();
    out.println("kubectl rollout history deployment/checkout:");
    for (WorkloadRevision r : checkout.history()) {
      out.println("  " + r.describe());
    }
    List<PodDiagnosis> before = checkout.verifyPods();
    out.println("new pods of " + checkout.currentVersion() + " (what the strategy diagnoses when a rollout fails):");
    for (PodDiagnosis d : before) {
      out.println("  " + d.summary());
      d.logTail().forEach(line -> out.println("    log: " + line));
    }

    out.println("== Rolling checkout back to " + GOOD);
    RollbackPlan plan = RollbackPlan.builder("checkout")
        .currentVersion(KubernetesVersionProbe.of(checkout))   // must read v1.3.0 before anything changes
        .target(GOOD)
        .strategy(checkout)                                  // undo to the revision running v1.2.9, wait for the rollout
        .build();
    RollbackRunner runner = RollbackRunner.builder()
        .clock(clock)
        .sleeper(sim.sleeper(clock))
        .listener(new ConsoleProgress(out, ZoneOffset.UTC))
        .build();
    RollbackResult result = runner.run(plan);

    out.println();
    out.println("Result: " + result.outcome() + " " + result.fromVersion() + " -> " + result.toVersion() + " (run " + result.runId()
        + ", " + Duration.between(START, clock.instant()).toSeconds() + " s simulated)");
    result.failureMessage().ifPresent(m -> out.println("Failure: " + m));
    for (StepRecord s : result.steps()) {
      out.println("  " + s.stepId() + ": " + s.outcome() + " " + s.message());
    }
    Deployment after = client.apps().deployments().withName("checkout").get();
    String running = checkout.currentVersion();
    boolean ready = result.succeeded() && GOOD.equals(running) && allReady(after);
    out.println("kubectl rollout history deployment/checkout:");
    for (WorkloadRevision r : checkout.history()) {
      out.println("  " + r.describe());
    }
    DeploymentStatus status = after.getStatus();
    out.println("checkout now runs " + running + ": " + count(status.getReadyReplicas()) + "/" + after.getSpec().getReplicas()
        + " ready" + (ready ? "" : " — NOT ready on " + GOOD));
    return new Outcome(result, before, running, ready);
  }

  /** {@code kubectl set image}, recording the change cause as {@code --record} did. */
  private static void setVersion(KubernetesClient client, String version) {
    client.apps().deployments().withName("checkout").edit(d -> {
      d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(REPOSITORY + ":" + version);
      d.getMetadata().getAnnotations().put("kubernetes.io/change-cause", "kubectl set image deployment/checkout app="
          + REPOSITORY + ":" + version);
      return d;
    });
  }

  private static boolean allReady(Deployment d) {
    DeploymentStatus s = d.getStatus();
    int replicas = d.getSpec().getReplicas();
    return s != null && count(s.getObservedGeneration()) >= count(d.getMetadata().getGeneration())
        && count(s.getUpdatedReplicas()) == replicas && count(s.getReadyReplicas()) == replicas
        && count(s.getReplicas()) == replicas;
  }

  private static long count(Number n) {
    return n == null ? 0 : n.longValue();
  }

  private static void settle(SimulatedDeploymentController sim, String version) {
    if (!sim.settle()) {
      throw new IllegalStateException("the rollout of checkout " + version + " did not finish in the simulated cluster");
    }
  }

  private static Deployment deployment(String version) {
    return new DeploymentBuilder()
        .withNewMetadata().withName("checkout")
        .addToAnnotations("kubernetes.io/change-cause", "kubectl create deployment checkout --image=" + REPOSITORY + ":" + version)
        .endMetadata()
        .withNewSpec()
        .withReplicas(REPLICAS)
        .withProgressDeadlineSeconds(PROGRESS_DEADLINE_SECONDS)
        .withNewSelector().addToMatchLabels("app", "checkout").endSelector()
        .withNewTemplate()
        .withNewMetadata().addToLabels("app", "checkout").endMetadata()
        .withNewSpec()
        .addNewContainer().withName("app").withImage(REPOSITORY + ":" + version).addNewPort().withContainerPort(8080).endPort()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** Serves a simulated container's log where the strategy reads it (current and previous run, last 20 lines). */
  private static void serveLog(KubernetesMockServer server, String namespace, String pod, String container, List<String> lines) {
    String body = String.join("\n", lines) + "\n";
    for (String previous : List.of("", "&previous=true")) {
      server.expect().get()
          .withPath("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/log?pretty=false&container=" + container + previous
              + "&tailLines=20")
          .andReturn(200, body).always();
    }
  }
}
