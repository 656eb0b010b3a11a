package dev.rollback.testkit.k8s;

import dev.rollback.core.Sleeper;
import dev.rollback.testkit.ManualClock;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.runtime.RawExtension;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The Deployment, ReplicaSet, StatefulSet and DaemonSet controllers that fabric8's CRUD mock
 * server lacks, simplified but faithful where a rollback looks: it creates a ReplicaSet per
 * template change with the {@code deployment.kubernetes.io/revision} annotation (reusing the old
 * ReplicaSet when a template comes back and bumping its revision, like the real controller), a
 * controller owner reference, the {@code pod-template-hash} label, and keeps at most {@code
 * revisionHistoryLimit} old ReplicaSets. StatefulSets and DaemonSets get ControllerRevisions whose
 * data is the strategic-merge patch {@code {"spec":{"template":{..., "$patch":"replace"}}}}.
 *
 * <p>Time is simulated: nothing moves until the test calls {@link #tick()}, {@link
 * #advance(Duration)} or {@link #settle()}, or a run sleeps on {@link #sleeper(ManualClock)}. Each
 * tick creates at most one new pod per rollout (max surge 1, max unavailable 0), makes pods ready
 * once they are {@code podStartup} old, scales old ReplicaSets down as new pods become ready and
 * writes status the way {@code kubectl rollout status} reads it. Pods of an image marked with
 * {@link #failImage} fail (CrashLoopBackOff with growing restart counts, ImagePullBackOff,
 * OOMKilled), with Warning events and, through a {@link PodLogSink}, container logs; a rollout
 * that makes no progress for {@code spec.progressDeadlineSeconds} gets {@code Progressing=False}
 * with reason {@code ProgressDeadlineExceeded}.
 *
 * <pre>{@code
 * @EnableKubernetesMockClient(crud = true)
 * class UndoTest {
 *   static KubernetesClient client;
 *   static KubernetesMockServer server;
 *
 *   @Test
 *   void undoes() {
 *     ManualClock clock = ManualClock.create();
 *     try (SimulatedDeploymentController sim = SimulatedDeploymentController.builder(client)
 *         .clock(clock)
 *         .logSink((ns, pod, container, lines) -> server.expect().get()
 *             .withPath("/api/v1/namespaces/" + ns + "/pods/" + pod + "/log?pretty=false&container="
 *                 + container + "&tailLines=20")
 *             .andReturn(200, String.join("\n", lines)).always())
 *         .build()) {
 *       client.apps().deployments().resource(deployment("checkout", "v1")).create();
 *       sim.settle();                                  // ReplicaSet revision 1, 3/3 ready
 *       ...
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>Watches on Deployments, StatefulSets and DaemonSets reconcile in the background (new
 * ReplicaSets and ControllerRevisions appear shortly after a change, as in a cluster); {@link
 * #reconcile()} does the same at once, for tests that read right after a write. A failure in the
 * background is rethrown by the next call.
 *
 * @since 0.1.0
 */
public final class SimulatedDeploymentController implements AutoCloseable {
  /** Annotation holding a Deployment's and a ReplicaSet's revision. */
  public static final String REVISION = "deployment.kubernetes.io/revision";
  /** Annotation listing the earlier revisions of a reused ReplicaSet. */
  public static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
  /** Annotation with the Deployment's replicas, set on its ReplicaSets. */
  public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
  /** Annotation with replicas plus surge, set on its ReplicaSets. */
  public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
  /** Label with the hash of a ReplicaSet's pod template. */
  public static final String POD_TEMPLATE_HASH = "pod-template-hash";
  /** Label with the hash of a ControllerRevision's template. */
  public static final String CONTROLLER_REVISION_HASH = "controller.kubernetes.io/hash";
  /** Label that StatefulSet and DaemonSet pods carry with their revision's name. */
  public static final String POD_REVISION_HASH = "controller-revision-hash";

  private static final Set<String> NOT_COPIED = Set.of(
      "kubectl.kubernetes.io/last-applied-configuration", REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS,
      "deprecated.deployment.rollback.to");
  private static final String SAFE = "bcdfghjklmnpqrstvwxz2456789";
  private static final int MAX_SETTLE_TICKS = 500;

  /**
   * Receives what a simulated container logs, so a test can serve it from the mock server's log
   * endpoint (the CRUD mock has none: register an expectation, which wins over CRUD).
   */
  @FunctionalInterface
  public interface PodLogSink {
    /**
     * @param namespace the pod's namespace
     * @param pod the pod's name
     * @param container the container that logged
     * @param lines what it logged, oldest first
     */
    void publish(String namespace, String pod, String container, List<String> lines);
  }

  private final KubernetesClient client;
  private final KubernetesSerialization json;
  private final String namespace;
  private final Clock clock;
  private final Duration podStartup;
  private final Duration tickInterval;
  private final int daemonSetNodes;
  private final @Nullable PodLogSink logSink;
  private final Map<String, PodFailure> failures = new ConcurrentHashMap<>();
  private final Set<String> stalled = ConcurrentHashMap.newKeySet();
  private final Map<String, Instant> podCreated = new HashMap<>();
  /** {@code pod/container} whose failure log lines went to the log sink already. */
  private final java.util.Set<String> logsPublished = new java.util.HashSet<>();
  private final Set<String> podsWithEvents = new HashSet<>();
  private final Map<String, Instant> lastProgress = new HashMap<>();
  private final Map<String, String> progressSignature = new HashMap<>();
  private final Map<String, String> daemonSetRevision = new HashMap<>();
  private final List<Watch> watches = new ArrayList<>();
  private final @Nullable ExecutorService background;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final AtomicReference<@Nullable RuntimeException> backgroundFailure = new AtomicReference<>();
  private long podCounter;
  private long eventCounter;
  private boolean closed;

  private SimulatedDeploymentController(Builder b) {
    this.client = b.client;
    this.json = b.client.getKubernetesSerialization();
    this.namespace = b.namespace == null ? Objects.requireNonNullElse(b.client.getNamespace(), "default") : b.namespace;
    this.clock = b.clock;
    this.podStartup = b.podStartup;
    this.tickInterval = b.tickInterval;
    this.daemonSetNodes = b.daemonSetNodes;
    this.logSink = b.logSink;
    if (b.watch) {
      this.background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "simulated-deployment-controller");
        t.setDaemon(true);
        return t;
      });
      watches.add(client.apps().deployments().inNamespace(namespace).watch(new Trigger<>()));
      watches.add(client.apps().statefulSets().inNamespace(namespace).watch(new Trigger<>()));
      watches.add(client.apps().daemonSets().inNamespace(namespace).watch(new Trigger<>()));
    } else {
      this.background = null;
    }
  }

  /**
   * @param client a client of the mock server (CRUD mode)
   * @return a builder
   */
  public static Builder builder(KubernetesClient client) {
    return new Builder(Objects.requireNonNull(client, "client must not be null: pass the mock server's client"));
  }

  /**
   * Makes every container running {@code image} fail from now on (pods already created included).
   *
   * @param image the full image reference, e.g. {@code registry.example.com/checkout:v1.3.0}
   * @param failure how it fails
   * @return this controller
   */
  public SimulatedDeploymentController failImage(String image, PodFailure failure) {
    failures.put(Objects.requireNonNull(image, "image"), Objects.requireNonNull(failure, "failure"));
    return this;
  }

  /**
   * @param image an image given to {@link #failImage}
   * @return this controller, with that image healthy again
   */
  public SimulatedDeploymentController healImage(String image) {
    failures.remove(image);
    return this;
  }

  /**
   * Stops the rollout of a Deployment: no new pod is created or becomes ready until {@link
   * #unstall}, so it exceeds its progress deadline once enough simulated time passes.
   *
   * @param deployment the Deployment's name
   * @return this controller
   */
  public SimulatedDeploymentController stall(String deployment) {
    stalled.add(Objects.requireNonNull(deployment, "deployment"));
    return this;
  }

  /**
   * @param deployment a Deployment given to {@link #stall}
   * @return this controller, with that rollout moving again
   */
  public SimulatedDeploymentController unstall(String deployment) {
    stalled.remove(deployment);
    return this;
  }

  /** @return the namespace this controller watches */
  public String namespace() {
    return namespace;
  }

  /**
   * Brings ReplicaSets, ControllerRevisions, revision annotations and status in line with the
   * workloads' specs, without moving time: what the controllers do right after a change.
   */
  public synchronized void reconcile() {
    rethrowBackgroundFailure();
    for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
      reconcileDeployment(d, false);
    }
    for (StatefulSet s : client.apps().statefulSets().inNamespace(namespace).list().getItems()) {
      reconcileStatefulSet(s, false);
    }
    for (DaemonSet s : client.apps().daemonSets().inNamespace(namespace).list().getItems()) {
      reconcileDaemonSet(s, false);
    }
  }

  /** Moves every rollout one step: one new pod, pods becoming ready or failing, old pods going. */
  public synchronized void tick() {
    rethrowBackgroundFailure();
    for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
      reconcileDeployment(d, true);
    }
    for (StatefulSet s : client.apps().statefulSets().inNamespace(namespace).list().getItems()) {
      reconcileStatefulSet(s, true);
    }
    for (DaemonSet s : client.apps().daemonSets().inNamespace(namespace).list().getItems()) {
      reconcileDaemonSet(s, true);
    }
  }

  /**
   * Runs one tick per tick interval (default one second) in {@code duration}, at least one. It does
   * not move the clock: pair it with a {@link ManualClock}, or use {@link #sleeper(ManualClock)}.
   *
   * @param duration how much simulated time passes
   */
  public void advance(Duration duration) {
    long ticks = Math.max(1, Math.min(MAX_SETTLE_TICKS, duration.toMillis() / Math.max(1, tickInterval.toMillis())));
    for (long i = 0; i < ticks; i++) {
      tick();
    }
  }

  /**
   * Ticks until every rollout is complete or stuck (nothing changes any more), at most 500 ticks,
   * moving the clock given to the builder when it is a {@link ManualClock}.
   *
   * @return true when every workload finished its rollout
   */
  public boolean settle() {
    for (int i = 0; i < MAX_SETTLE_TICKS; i++) {
      if (clock instanceof ManualClock m) {
        m.advance(tickInterval);
      }
      tick();
      if (allComplete()) {
        return true;
      }
    }
    return false;
  }

  /**
   * A sleeper for the run under test: each sleep moves the clock and then the simulation by the
   * same time, so a rollout wait sees the cluster move while it waits.
   *
   * @param clock the run's clock (the one given to this controller's builder, as a rule)
   * @return the sleeper
   */
  public Sleeper sleeper(ManualClock clock) {
    Objects.requireNonNull(clock, "clock must not be null");
    return duration -> {
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted before sleeping " + duration);
      }
      if (duration.isNegative() || duration.isZero()) {
        return;
      }
      // Tick by tick, the clock moving before each tick, so pod start-up and progress deadlines
      // pass inside one long sleep as they would in a cluster.
      long ticks = Math.max(1, Math.min(MAX_SETTLE_TICKS, duration.toMillis() / Math.max(1, tickInterval.toMillis())));
      Duration step = duration.dividedBy(ticks);
      for (long i = 0; i < ticks; i++) {
        clock.advance(step);
        tick();
      }
      clock.advance(duration.minus(step.multipliedBy(ticks)));
    };
  }

  /** Stops the watches and the background reconciliation. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    for (Watch w : watches) {
      w.close();
    }
    if (background != null) {
      background.shutdownNow();
      try {
        background.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Deployments

  private void reconcileDeployment(Deployment d, boolean step) {
    String name = d.getMetadata().getName();
    String uid = d.getMetadata().getUid();
    List<ReplicaSet> owned = owned(client.apps().replicaSets().inNamespace(namespace)
        .withLabels(d.getSpec().getSelector().getMatchLabels()).list().getItems(), uid);
    PodTemplateSpec template = d.getSpec().getTemplate();
    Map<String, Object> want = templateTree(template);
    boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
    ReplicaSet newRs = null;
    for (ReplicaSet rs : owned) {
      if (templateTree(rs.getSpec().getTemplate()).equals(want)) {
        newRs = rs;
        break;
      }
    }
    ReplicaSet matched = newRs;
    long maxOther = owned.stream().filter(rs -> rs != matched).mapToLong(SimulatedDeploymentController::revision).max().orElse(0);
    int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    if (newRs == null && !paused) {
      newRs = createReplicaSet(d, template, maxOther + 1, desired);
      owned.add(newRs);
    } else if (newRs != null && !paused) {
      ReplicaSet synced = syncNewReplicaSet(d, newRs, maxOther, desired);
      owned.replaceAll(rs -> rs.getMetadata().getUid().equals(synced.getMetadata().getUid()) ? synced : rs);
      newRs = synced;
    }
    if (newRs != null) {
      String revision = String.valueOf(revision(newRs));
      if (!revision.equals(annotation(d, REVISION))) {
        d = client.apps().deployments().inNamespace(namespace).withName(name).edit(x -> {
          x.getMetadata().setAnnotations(with(x.getMetadata().getAnnotations(), REVISION, revision));
          return x;
        });
      }
    }
    List<Pod> pods = pods(d);
    if (step && newRs != null && !paused) {
      roll(d, newRs, owned, pods, desired);
      pods = pods(d);
    }
    cleanUpOldReplicaSets(d, owned, newRs, pods);
    writeDeploymentStatus(d, newRs, owned, pods, desired);
  }

  private List<Pod> pods(Deployment d) {
    return client.pods().inNamespace(namespace).withLabels(d.getSpec().getSelector().getMatchLabels()).list().getItems();
  }

  private ReplicaSet createReplicaSet(Deployment d, PodTemplateSpec template, long revision, int desired) {
    String hash = hash(templateTree(template));
    PodTemplateSpec rsTemplate = json.clone(template);
    rsTemplate.getMetadata().setLabels(with(rsTemplate.getMetadata().getLabels(), POD_TEMPLATE_HASH, hash));
    Map<String, String> annotations = copiedAnnotations(d);
    annotations.put(REVISION, String.valueOf(revision));
    annotations.put(DESIRED_REPLICAS, String.valueOf(desired));
    annotations.put(MAX_REPLICAS, String.valueOf(desired + 1));
    ReplicaSet rs = new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(d.getMetadata().getName() + "-" + hash)
        .withNamespace(namespace)
        .withLabels(rsTemplate.getMetadata().getLabels())
        .withAnnotations(annotations)
        .withOwnerReferences(ownerReference(d))
        .endMetadata()
        .withNewSpec()
        .withReplicas(0)
        .withNewSelector()
        .withMatchLabels(with(d.getSpec().getSelector().getMatchLabels(), POD_TEMPLATE_HASH, hash))
        .endSelector()
        .withTemplate(rsTemplate)
        .endSpec()
        .build();
    return client.apps().replicaSets().inNamespace(namespace).resource(rs).create();
  }

  /** The real controller copies the Deployment's annotations to the new ReplicaSet and bumps a reused one's revision. */
  private ReplicaSet syncNewReplicaSet(Deployment d, ReplicaSet rs, long maxOther, int desired) {
    Map<String, String> want = new LinkedHashMap<>(nullToEmpty(rs.getMetadata().getAnnotations()));
    want.putAll(copiedAnnotations(d));
    long current = revision(rs);
    if (current <= maxOther) {
      String history = want.get(REVISION_HISTORY);
      want.put(REVISION_HISTORY, history == null || history.isEmpty() ? String.valueOf(current) : history + "," + current);
      want.put(REVISION, String.valueOf(maxOther + 1));
    }
    want.put(DESIRED_REPLICAS, String.valueOf(desired));
    want.put(MAX_REPLICAS, String.valueOf(desired + 1));
    if (want.equals(nullToEmpty(rs.getMetadata().getAnnotations()))) {
      return rs;
    }
    return client.apps().replicaSets().inNamespace(namespace).withName(rs.getMetadata().getName()).edit(x -> {
      x.getMetadata().setAnnotations(want);
      return x;
    });
  }

  private Map<String, String> copiedAnnotations(Deployment d) {
    Map<String, String> out = new LinkedHashMap<>();
    nullToEmpty(d.getMetadata().getAnnotations()).forEach((k, v) -> {
      if (!NOT_COPIED.contains(k)) {
        out.put(k, v);
      }
    });
    return out;
  }

  private void roll(Deployment d, ReplicaSet newRs, List<ReplicaSet> owned, List<Pod> allPods, int desired) {
    boolean stuck = stalled.contains(d.getMetadata().getName());
    Instant now = clock.instant();
    List<Pod> newPods = new ArrayList<>();
    for (Pod p : podsOf(newRs, allPods)) {
      newPods.add(advancePod(p, now, stuck));
    }
    long newReady = newPods.stream().filter(SimulatedDeploymentController::ready).count();
    List<ReplicaSet> olds = new ArrayList<>(owned.stream().filter(rs -> !rs.getMetadata().getUid().equals(newRs.getMetadata().getUid())).toList());
    olds.sort(Comparator.comparingLong(SimulatedDeploymentController::revision));
    long allowedOld = Math.max(0, desired - newReady);
    long oldPods = 0;
    Map<String, List<Pod>> podsByOld = new LinkedHashMap<>();
    for (ReplicaSet rs : olds) {
      List<Pod> pods = podsOf(rs, allPods);
      podsByOld.put(rs.getMetadata().getName(), pods);
      oldPods += pods.size();
    }
    for (ReplicaSet rs : olds) {
      List<Pod> pods = podsByOld.get(rs.getMetadata().getName());
      while (oldPods > allowedOld && !pods.isEmpty()) {
        Pod gone = pods.remove(pods.size() - 1);
        client.pods().inNamespace(namespace).withName(gone.getMetadata().getName()).delete();
        podCreated.remove(gone.getMetadata().getName());
        oldPods--;
      }
      scaleReplicaSet(rs, pods);
    }
    if (!stuck) {
      long notReady = newPods.size() - newReady;
      if (newPods.size() < desired && notReady == 0) {
        newPods.add(createPod(newRs, now));
      } else if (newPods.size() > desired) {
        while (newPods.size() > desired) {
          Pod gone = newPods.remove(newPods.size() - 1);
          client.pods().inNamespace(namespace).withName(gone.getMetadata().getName()).delete();
        }
      }
    }
    scaleReplicaSet(newRs, newPods);
  }

  private void scaleReplicaSet(ReplicaSet rs, List<Pod> pods) {
    int ready = (int) pods.stream().filter(SimulatedDeploymentController::ready).count();
    int replicas = pods.size();
    ReplicaSet current = rs;
    if (!Objects.equals(current.getSpec().getReplicas(), replicas)) {
      current = client.apps().replicaSets().inNamespace(namespace).withName(rs.getMetadata().getName()).edit(x -> {
        x.getSpec().setReplicas(replicas);
        return x;
      });
    }
    Long generation = current.getMetadata().getGeneration();
    var status = new ReplicaSetStatusBuilder()
        .withReplicas(replicas).withReadyReplicas(ready).withAvailableReplicas(ready).withFullyLabeledReplicas(replicas)
        .withObservedGeneration(generation).build();
    if (!status.equals(current.getStatus())) {
      client.apps().replicaSets().inNamespace(namespace).withName(rs.getMetadata().getName()).editStatus(x -> {
        x.setStatus(status);
        return x;
      });
    }
  }

  private void cleanUpOldReplicaSets(Deployment d, List<ReplicaSet> owned, @Nullable ReplicaSet newRs, List<Pod> allPods) {
    int limit = d.getSpec().getRevisionHistoryLimit() == null ? 10 : d.getSpec().getRevisionHistoryLimit();
    List<ReplicaSet> olds = new ArrayList<>(owned.stream()
        .filter(rs -> newRs == null || !rs.getMetadata().getUid().equals(newRs.getMetadata().getUid()))
        .filter(rs -> podsOf(rs, allPods).isEmpty())
        .toList());
    olds.sort(Comparator.comparingLong(SimulatedDeploymentController::revision));
    int excess = olds.size() - limit;
    for (int i = 0; i < excess; i++) {
      String gone = olds.get(i).getMetadata().getName();
      client.apps().replicaSets().inNamespace(namespace).withName(gone).delete();
      owned.removeIf(rs -> rs.getMetadata().getName().equals(gone));
    }
  }

  private void writeDeploymentStatus(Deployment d, @Nullable ReplicaSet newRs, List<ReplicaSet> owned, List<Pod> allPods, int desired) {
    String uid = d.getMetadata().getUid();
    int replicas = 0;
    int ready = 0;
    int updated = 0;
    for (ReplicaSet rs : owned) {
      List<Pod> pods = podsOf(rs, allPods);
      replicas += pods.size();
      int r = (int) pods.stream().filter(SimulatedDeploymentController::ready).count();
      ready += r;
      if (newRs != null && rs.getMetadata().getUid().equals(newRs.getMetadata().getUid())) {
        updated = pods.size();
      }
    }
    Instant now = clock.instant();
    String nowText = now.truncatedTo(ChronoUnit.SECONDS).toString();
    boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
    String rsName = newRs == null ? "" : newRs.getMetadata().getName();
    boolean complete = newRs != null && updated == desired && replicas == updated && ready >= desired;
    String signature = rsName + "/" + updated + "/" + ready + "/" + replicas;
    if (!signature.equals(progressSignature.get(uid))) {
      progressSignature.put(uid, signature);
      lastProgress.put(uid, now);
    }
    DeploymentCondition previous = condition(d.getStatus(), "Progressing");
    boolean alreadyExceeded = previous != null && "ProgressDeadlineExceeded".equals(previous.getReason())
        && rsName.equals(previous.getMessage() == null ? "" : previous.getMessage().replaceAll("^ReplicaSet \"([^\"]*)\".*$", "$1"));
    int deadline = d.getSpec().getProgressDeadlineSeconds() == null ? 600 : d.getSpec().getProgressDeadlineSeconds();
    DeploymentCondition progressing;
    if (complete) {
      progressing = condition("Progressing", "True", "NewReplicaSetAvailable", "ReplicaSet \"" + rsName + "\" has successfully progressed.", previous, nowText);
    } else if (paused) {
      progressing = condition("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", previous, nowText);
    } else if (alreadyExceeded || Duration.between(lastProgress.get(uid), now).getSeconds() > deadline) {
      progressing = condition("Progressing", "False", "ProgressDeadlineExceeded", "ReplicaSet \"" + rsName + "\" has timed out progressing.", previous, nowText);
    } else {
      progressing = condition("Progressing", "True", "ReplicaSetUpdated", "ReplicaSet \"" + rsName + "\" is progressing.", previous, nowText);
    }
    DeploymentCondition available = ready >= desired
        ? condition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", condition(d.getStatus(), "Available"), nowText)
        : condition("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", condition(d.getStatus(), "Available"), nowText);
    DeploymentStatus status = new DeploymentStatusBuilder()
        .withObservedGeneration(d.getMetadata().getGeneration())
        .withReplicas(replicas)
        .withUpdatedReplicas(updated)
        .withReadyReplicas(ready)
        .withAvailableReplicas(ready)
        .withUnavailableReplicas(Math.max(0, Math.max(desired, replicas) - ready))
        .withConditions(available, progressing)
        .build();
    if (!status.equals(d.getStatus())) {
      client.apps().deployments().inNamespace(namespace).withName(d.getMetadata().getName()).editStatus(x -> {
        x.setStatus(status);
        return x;
      });
    }
  }

  private static DeploymentCondition condition(String type, String status, String reason, String message,
      @Nullable DeploymentCondition previous, String now) {
    boolean same = previous != null && status.equals(previous.getStatus()) && reason.equals(previous.getReason())
        && message.equals(previous.getMessage());
    String transition = previous != null && status.equals(previous.getStatus()) && previous.getLastTransitionTime() != null
        ? previous.getLastTransitionTime() : now;
    return new DeploymentConditionBuilder()
        .withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastTransitionTime(transition)
        .withLastUpdateTime(same && previous.getLastUpdateTime() != null ? previous.getLastUpdateTime() : now)
        .build();
  }

  private static @Nullable DeploymentCondition condition(@Nullable DeploymentStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return null;
    }
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  // ---------------------------------------------------------------------------------------------
  // Pods

  private List<Pod> podsOf(ReplicaSet rs, List<Pod> allPods) {
    List<Pod> pods = new ArrayList<>(owned(allPods, rs.getMetadata().getUid()));
    pods.sort(Comparator.comparing(p -> p.getMetadata().getName()));
    return pods;
  }

  private Pod createPod(ReplicaSet rs, Instant now) {
    String name = rs.getMetadata().getName() + "-" + suffix(++podCounter);
    PodTemplateSpec t = rs.getSpec().getTemplate();
    Pod pod = new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(t.getMetadata().getLabels())
        .withAnnotations(t.getMetadata().getAnnotations())
        .withOwnerReferences(ownerReference(rs))
        .endMetadata()
        .withSpec(json.clone(t.getSpec()))
        .build();
    Pod created = client.pods().inNamespace(namespace).resource(pod).create();
    podCreated.put(name, now);
    List<ContainerStatus> containers = new ArrayList<>();
    for (var c : t.getSpec().getContainers()) {
      containers.add(new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withReady(false).withRestartCount(0)
          .withState(new ContainerStateBuilder().withNewWaiting().withReason("ContainerCreating").endWaiting().build()).build());
    }
    PodStatus status = new PodStatusBuilder().withPhase("Pending")
        .withConditions(new PodConditionBuilder().withType("Ready").withStatus("False").build())
        .withContainerStatuses(containers).build();
    created = client.pods().inNamespace(namespace).withName(name).editStatus(x -> {
      x.setStatus(status);
      return x;
    });
    for (var c : t.getSpec().getContainers()) {
      publishFailureLog(name, c.getName(), failures.get(c.getImage()));
    }
    return created;
  }

  /** Sends a failing container's log lines to the sink once, whether the pod was made before or after the failure was set. */
  private void publishFailureLog(String pod, String container, @Nullable PodFailure f) {
    if (f != null && !f.logLines().isEmpty() && logSink != null && logsPublished.add(pod + "/" + container)) {
      logSink.publish(namespace, pod, container, f.logLines());
    }
  }

  private Pod advancePod(Pod pod, Instant now, boolean stuck) {
    String name = pod.getMetadata().getName();
    Instant created = podCreated.computeIfAbsent(name, n -> now);
    boolean started = !stuck && !Duration.between(created, now).minus(podStartup).isNegative();
    List<ContainerStatus> statuses = new ArrayList<>();
    boolean allReady = true;
    boolean anyWaitingPull = false;
    Map<String, ContainerStatus> before = new HashMap<>();
    if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
      pod.getStatus().getContainerStatuses().forEach(s -> before.put(s.getName(), s));
    }
    String startedAt = created.plus(podStartup).truncatedTo(ChronoUnit.SECONDS).toString();
    for (var c : pod.getSpec().getContainers()) {
      PodFailure f = failures.get(c.getImage());
      ContainerStatus old = before.get(c.getName());
      int restarts = old == null || old.getRestartCount() == null ? 0 : old.getRestartCount();
      ContainerStatusBuilder s = new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withRestartCount(restarts);
      if (!started) {
        s.withReady(false).withState(new ContainerStateBuilder().withNewWaiting().withReason("ContainerCreating").endWaiting().build());
        allReady = false;
      } else if (f == null) {
        s.withReady(true).withStarted(true).withState(new ContainerStateBuilder().withNewRunning().withStartedAt(startedAt).endRunning().build());
      } else {
        allReady = false;
        publishFailureLog(name, c.getName(), f);
        switch (f.kind()) {
          case CRASH_LOOP_BACK_OFF, OOM_KILLED -> {
            boolean oom = f.kind() == PodFailure.Kind.OOM_KILLED;
            s.withReady(false).withStarted(false).withRestartCount(restarts + 1)
                .withState(new ContainerStateBuilder().withNewWaiting().withReason("CrashLoopBackOff")
                    .withMessage("back-off " + Math.min(300, 10L << Math.min(5, restarts)) + "s restarting failed container="
                        + c.getName() + " pod=" + name + "_" + namespace + "(" + pod.getMetadata().getUid() + ")")
                    .endWaiting().build())
                .withLastState(new ContainerStateBuilder().withNewTerminated()
                    .withExitCode(oom ? 137 : 1).withReason(oom ? "OOMKilled" : "Error")
                    .withStartedAt(startedAt).withFinishedAt(now.truncatedTo(ChronoUnit.SECONDS).toString())
                    .endTerminated().build());
          }
          case IMAGE_PULL_BACK_OFF -> {
            anyWaitingPull = true;
            s.withReady(false).withStarted(false).withState(new ContainerStateBuilder().withNewWaiting().withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image \"" + c.getImage() + "\"").endWaiting().build());
          }
          case NEVER_READY -> s.withReady(false).withStarted(true)
              .withState(new ContainerStateBuilder().withNewRunning().withStartedAt(startedAt).endRunning().build());
          default -> throw new IllegalStateException("unknown failure " + f.kind());
        }
        if (podsWithEvents.add(name + "/" + c.getName())) {
          recordEvents(pod, c.getName(), c.getImage(), f, now);
        }
      }
      statuses.add(s.build());
    }
    String phase = !started || anyWaitingPull ? "Pending" : "Running";
    PodStatus status = new PodStatusBuilder().withPhase(phase)
        .withConditions(new PodConditionBuilder().withType("Ready").withStatus(allReady ? "True" : "False").build())
        .withContainerStatuses(statuses).build();
    if (!status.equals(pod.getStatus())) {
      return client.pods().inNamespace(namespace).withName(name).editStatus(x -> {
        x.setStatus(status);
        return x;
      });
    }
    return pod;
  }

  private void recordEvents(Pod pod, String container, String image, PodFailure f, Instant now) {
    switch (f.kind()) {
      case CRASH_LOOP_BACK_OFF, OOM_KILLED -> event(pod, "BackOff", "Back-off restarting failed container " + container + " in pod "
          + pod.getMetadata().getName() + "_" + namespace + "(" + pod.getMetadata().getUid() + ")", now);
      case IMAGE_PULL_BACK_OFF -> {
        event(pod, "Failed", "Failed to pull image \"" + image + "\": rpc error: code = NotFound desc = failed to pull and unpack image \""
            + image + "\": not found", now);
        event(pod, "BackOff", "Back-off pulling image \"" + image + "\"", now);
      }
      case NEVER_READY -> event(pod, "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", now);
      default -> throw new IllegalStateException("unknown failure " + f.kind());
    }
  }

  private void event(Pod pod, String reason, String message, Instant now) {
    String at = now.truncatedTo(ChronoUnit.SECONDS).toString();
    client.v1().events().inNamespace(namespace).resource(new EventBuilder()
        .withNewMetadata().withName(pod.getMetadata().getName() + "." + Long.toHexString(++eventCounter)).withNamespace(namespace).endMetadata()
        .withNewInvolvedObject().withKind("Pod").withApiVersion("v1").withName(pod.getMetadata().getName()).withNamespace(namespace)
        .withUid(pod.getMetadata().getUid()).endInvolvedObject()
        .withType("Warning").withReason(reason).withMessage(message).withCount(1)
        .withFirstTimestamp(at).withLastTimestamp(at)
        .withNewSource().withComponent("kubelet").endSource()
        .build()).create();
  }

  private static boolean ready(Pod p) {
    return p.getStatus() != null && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  // ---------------------------------------------------------------------------------------------
  // StatefulSets and DaemonSets

  private void reconcileStatefulSet(StatefulSet s, boolean step) {
    ControllerRevision rev = syncControllerRevision(s, s.getSpec().getTemplate(), s.getSpec().getSelector().getMatchLabels());
    int desired = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
    StatefulSetStatus old = s.getStatus() == null ? new StatefulSetStatus() : s.getStatus();
    String updateRevision = rev.getMetadata().getName();
    boolean newRevision = !updateRevision.equals(old.getUpdateRevision());
    String currentRevision = old.getCurrentRevision() == null ? updateRevision : old.getCurrentRevision();
    int updated = newRevision ? 0 : nz(old.getUpdatedReplicas());
    int ready = nz(old.getReadyReplicas());
    boolean failing = failing(s.getSpec().getTemplate());
    if (step) {
      if (updated < desired && !(failing && updated >= 1)) {
        updated++;
      }
      ready = failing ? Math.max(0, desired - updated) : Math.min(desired, Math.max(ready, updated));
      if (!failing && updated == desired) {
        ready = desired;
      }
    }
    if (updated == desired && ready == desired) {
      currentRevision = updateRevision;
    }
    StatefulSetStatus status = new StatefulSetStatusBuilder()
        .withObservedGeneration(s.getMetadata().getGeneration())
        .withReplicas(desired).withReadyReplicas(ready).withAvailableReplicas(ready)
        .withUpdatedReplicas(updated).withCurrentReplicas(currentRevision.equals(updateRevision) ? updated : desired - updated)
        .withCurrentRevision(currentRevision).withUpdateRevision(updateRevision)
        .build();
    if (!status.equals(s.getStatus())) {
      client.apps().statefulSets().inNamespace(namespace).withName(s.getMetadata().getName()).editStatus(x -> {
        x.setStatus(status);
        return x;
      });
    }
  }

  private void reconcileDaemonSet(DaemonSet s, boolean step) {
    ControllerRevision rev = syncControllerRevision(s, s.getSpec().getTemplate(), s.getSpec().getSelector().getMatchLabels());
    DaemonSetStatus old = s.getStatus() == null ? new DaemonSetStatus() : s.getStatus();
    String revName = rev.getMetadata().getName();
    String seen = daemonSetRevision.get(s.getMetadata().getUid());
    boolean newRevision = !revName.equals(seen);
    int updated = newRevision ? 0 : nz(old.getUpdatedNumberScheduled());
    boolean failing = failing(s.getSpec().getTemplate());
    if (step && updated < daemonSetNodes && !(failing && updated >= 1)) {
      updated++;
    }
    int available = failing ? daemonSetNodes - Math.min(1, updated) : (updated == daemonSetNodes ? daemonSetNodes : daemonSetNodes - 1);
    if (seen == null && updated < daemonSetNodes) {
      available = updated; // first rollout: nothing ran before
    }
    daemonSetRevision.put(s.getMetadata().getUid(), revName);
    DaemonSetStatus status = new DaemonSetStatusBuilder()
        .withObservedGeneration(s.getMetadata().getGeneration())
        .withDesiredNumberScheduled(daemonSetNodes).withCurrentNumberScheduled(daemonSetNodes)
        .withUpdatedNumberScheduled(updated).withNumberAvailable(available).withNumberReady(available)
        .withNumberUnavailable(daemonSetNodes - available).withNumberMisscheduled(0)
        .build();
    if (!status.equals(s.getStatus())) {
      client.apps().daemonSets().inNamespace(namespace).withName(s.getMetadata().getName()).editStatus(x -> {
        x.setStatus(status);
        return x;
      });
    }
  }

  private ControllerRevision syncControllerRevision(HasMetadata owner, PodTemplateSpec template, Map<String, String> selector) {
    Map<String, Object> tpl = new LinkedHashMap<>(templateTree(template));
    tpl.put("$patch", "replace");
    Map<String, Object> data = Map.of("spec", Map.of("template", tpl));
    List<ControllerRevision> owned = owned(
        client.apps().controllerRevisions().inNamespace(namespace).withLabels(selector).list().getItems(), owner.getMetadata().getUid());
    ControllerRevision match = null;
    for (ControllerRevision cr : owned) {
      Object stored = cr.getData() instanceof RawExtension raw ? raw.getValue() : cr.getData();
      if (stored != null && canonical(json.convertValue(stored, Map.class)).equals(canonical(data))) {
        match = cr;
      }
    }
    ControllerRevision found = match;
    long max = owned.stream().filter(cr -> cr != found).mapToLong(cr -> cr.getRevision() == null ? 0 : cr.getRevision()).max().orElse(0);
    if (match == null) {
      String hash = hash(templateTree(template));
      ControllerRevision cr = new ControllerRevisionBuilder()
          .withNewMetadata()
          .withName(owner.getMetadata().getName() + "-" + hash)
          .withNamespace(namespace)
          .withLabels(with(selector, CONTROLLER_REVISION_HASH, hash))
          .withOwnerReferences(ownerReference(owner))
          .endMetadata()
          .withData(data)
          .withRevision(max + 1)
          .build();
      return client.apps().controllerRevisions().inNamespace(namespace).resource(cr).create();
    }
    if (match.getRevision() == null || match.getRevision() <= max) {
      return client.apps().controllerRevisions().inNamespace(namespace).withName(match.getMetadata().getName()).edit(x -> {
        x.setRevision(max + 1);
        return x;
      });
    }
    return match;
  }

  private boolean failing(PodTemplateSpec template) {
    return template.getSpec().getContainers().stream().anyMatch(c -> failures.containsKey(c.getImage()));
  }

  private boolean allComplete() {
    for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
      DeploymentCondition p = condition(d.getStatus(), "Progressing");
      if (p == null || !"NewReplicaSetAvailable".equals(p.getReason())) {
        return false;
      }
    }
    for (StatefulSet s : client.apps().statefulSets().inNamespace(namespace).list().getItems()) {
      StatefulSetStatus st = s.getStatus();
      int desired = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
      if (st == null || !Objects.equals(st.getCurrentRevision(), st.getUpdateRevision()) || nz(st.getReadyReplicas()) < desired) {
        return false;
      }
    }
    for (DaemonSet s : client.apps().daemonSets().inNamespace(namespace).list().getItems()) {
      DaemonSetStatus st = s.getStatus();
      if (st == null || nz(st.getUpdatedNumberScheduled()) < daemonSetNodes || nz(st.getNumberAvailable()) < daemonSetNodes) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private <T extends HasMetadata> List<T> owned(List<T> items, String ownerUid) {
    List<T> out = new ArrayList<>();
    for (T item : items) {
      List<OwnerReference> refs = item.getMetadata().getOwnerReferences();
      if (refs != null && refs.stream().anyMatch(r -> Boolean.TRUE.equals(r.getController()) && ownerUid.equals(r.getUid()))) {
        out.add(item);
      }
    }
    return out;
  }

  private static OwnerReference ownerReference(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true)
        .build();
  }

  /** The template as a tree, without the labels a controller adds, for comparing templates. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> templateTree(PodTemplateSpec template) {
    Map<String, Object> tree = json.convertValue(template, Map.class);
    Object meta = tree.get("metadata");
    if (meta instanceof Map<?, ?> m && m.get("labels") instanceof Map<?, ?> labels) {
      Map<String, Object> l = new LinkedHashMap<>((Map<String, Object>) labels);
      l.remove(POD_TEMPLATE_HASH);
      l.remove(POD_REVISION_HASH);
      Map<String, Object> mm = new LinkedHashMap<>((Map<String, Object>) m);
      mm.put("labels", l);
      tree = new LinkedHashMap<>(tree);
      tree.put("metadata", mm);
    }
    return canonical(tree);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> canonical(Map<?, ?> map) {
    Map<String, Object> out = new TreeMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), canonicalValue(v)));
    return out;
  }

  private static @Nullable Object canonicalValue(@Nullable Object v) {
    if (v instanceof Map<?, ?> m) {
      return canonical(m);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) {
        out.add(canonicalValue(o));
      }
      return out;
    }
    return v;
  }

  private String hash(Map<String, Object> tree) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.asJson(tree).getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 10; i++) {
        sb.append(SAFE.charAt((digest[i] & 0xff) % SAFE.length()));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static String suffix(long n) {
    StringBuilder sb = new StringBuilder();
    long x = n * 7919 + 104729;
    for (int i = 0; i < 5; i++) {
      sb.append(SAFE.charAt((int) (x % SAFE.length())));
      x /= SAFE.length();
    }
    return sb.toString();
  }

  private static long revision(ReplicaSet rs) {
    String r = annotation(rs, REVISION);
    if (r == null) {
      return 0;
    }
    try {
      return Long.parseLong(r);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static @Nullable String annotation(HasMetadata o, String key) {
    return o.getMetadata().getAnnotations() == null ? null : o.getMetadata().getAnnotations().get(key);
  }

  private static Map<String, String> with(@Nullable Map<String, String> map, String key, String value) {
    Map<String, String> out = new LinkedHashMap<>(nullToEmpty(map));
    out.put(key, value);
    return out;
  }

  private static Map<String, String> nullToEmpty(@Nullable Map<String, String> map) {
    return map == null ? Map.of() : map;
  }

  private static int nz(@Nullable Integer i) {
    return i == null ? 0 : i;
  }

  private void rethrowBackgroundFailure() {
    RuntimeException e = backgroundFailure.getAndSet(null);
    if (e != null) {
      throw new IllegalStateException("the simulated controller failed in the background: " + e.getMessage(), e);
    }
  }

  private void reconcileInBackground() {
    pending.set(false);
    synchronized (this) {
      if (closed) {
        return;
      }
      try {
        reconcile();
      } catch (RuntimeException e) {
        if (!closed) {
          backgroundFailure.compareAndSet(null, e);
        }
      }
    }
  }

  private final class Trigger<T> implements Watcher<T> {
    @Override
    public void eventReceived(Action action, T resource) {
      if (background != null && pending.compareAndSet(false, true) && !background.isShutdown()) {
        background.execute(SimulatedDeploymentController.this::reconcileInBackground);
      }
    }

    @Override
    public void onClose(WatcherException cause) {
      if (!closed) {
        backgroundFailure.compareAndSet(null, cause.asClientException());
      }
    }
  }

  /** Builds a {@link SimulatedDeploymentController}. */
  public static final class Builder {
    private final KubernetesClient client;
    private @Nullable String namespace;
    private Clock clock = Clock.systemUTC();
    private Duration podStartup = Duration.ZERO;
    private Duration tickInterval = Duration.ofSeconds(1);
    private int daemonSetNodes = 3;
    private @Nullable PodLogSink logSink;
    private boolean watch = true;

    private Builder(KubernetesClient client) {
      this.client = client;
    }

    /**
     * @param namespace where to simulate; default: the client's namespace
     * @return this builder
     */
    public Builder namespace(String namespace) {
      this.namespace = Objects.requireNonNull(namespace, "namespace");
      return this;
    }

    /**
     * @param clock the simulated time (a {@link ManualClock} as a rule); default: the system clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @param podStartup how long a healthy pod takes to become ready; default zero (the next tick)
     * @return this builder
     */
    public Builder podStartup(Duration podStartup) {
      if (podStartup == null || podStartup.isNegative()) {
        throw new IllegalArgumentException("podStartup must be zero or positive, but was " + podStartup);
      }
      this.podStartup = podStartup;
      return this;
    }

    /**
     * @param tickInterval the simulated time per tick in {@link #advance}; default one second
     * @return this builder
     */
    public Builder tickInterval(Duration tickInterval) {
      if (tickInterval == null || tickInterval.isNegative() || tickInterval.isZero()) {
        throw new IllegalArgumentException("tickInterval must be positive, but was " + tickInterval);
      }
      this.tickInterval = tickInterval;
      return this;
    }

    /**
     * @param nodes how many nodes a DaemonSet schedules on; default 3
     * @return this builder
     */
    public Builder daemonSetNodes(int nodes) {
      if (nodes < 1) {
        throw new IllegalArgumentException("daemonSetNodes must be at least 1, but was " + nodes);
      }
      this.daemonSetNodes = nodes;
      return this;
    }

    /**
     * @param sink where the logs of failing containers go (see {@link PodLogSink})
     * @return this builder
     */
    public Builder logSink(PodLogSink sink) {
      this.logSink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /**
     * @param watch whether to reconcile in the background on watch events (default true); false
     *     leaves every move to {@link #reconcile()}, {@link #tick()} and friends
     * @return this builder
     */
    public Builder watch(boolean watch) {
      this.watch = watch;
      return this;
    }

    /** @return the controller, watching when asked to */
    public SimulatedDeploymentController build() {
      return new SimulatedDeploymentController(this);
    }
  }
}
