package dev.rollback.k8s;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.StepContext;
import dev.rollback.core.strategy.Convergence;
import dev.rollback.core.strategy.PlatformState;
import dev.rollback.core.strategy.Revision;
import dev.rollback.core.strategy.RollbackRequest;
import dev.rollback.core.strategy.RollbackStrategy;
import dev.rollback.k8s.internal.ImageRefs;
import dev.rollback.k8s.internal.PodInspector;
import dev.rollback.k8s.internal.RolloutState;
import dev.rollback.k8s.internal.Templates;
import dev.rollback.k8s.internal.UndoPatches;
import dev.rollback.k8s.internal.WorkloadAccess;
import dev.rollback.k8s.internal.WorkloadAccess.HistoryEntry;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Rolls a Kubernetes Deployment, StatefulSet or DaemonSet back the way {@code kubectl rollout undo}
 * does, waits for the rollout the way {@code kubectl rollout status} does, and tells why pods fail
 * when it does not converge.
 *
 * <pre>{@code
 * KubernetesRollback checkout = KubernetesRollback.deployment("checkout")
 *     .namespace("prod")
 *     .client(new KubernetesClientBuilder().build())
 *     .container("app")                        // its image tag is the version: registry/checkout:v1.2.9
 *     .rolloutTimeout(Duration.ofMinutes(5))
 *     .build();
 * RollbackPlan plan = RollbackPlan.builder("checkout")
 *     .currentVersion(KubernetesVersionProbe.of(checkout))
 *     .target("v1.2.9")
 *     .strategy(checkout)
 *     .build();
 * }</pre>
 *
 * <p><b>History</b> ({@link #history()}) is what {@code kubectl rollout history} lists: the
 * ReplicaSets (Deployment) or ControllerRevisions (StatefulSet, DaemonSet) whose controller owner
 * reference is the workload, by revision. The <b>version</b> of a revision is the image tag of the
 * version container ({@link Builder#container}; the only container when there is one).
 *
 * <p><b>Undo</b> ({@link #undo}, {@link #rollback}) restores a revision's pod template with a JSON
 * Patch, exactly as kubectl does: for a Deployment the ReplicaSet's template without the {@code
 * pod-template-hash} label, and its annotations except those the controller owns. It refuses a
 * paused Deployment unless {@link Builder#resumeIfPaused}, does nothing when the target already
 * runs, and names the revisions that exist when the one asked for does not. When the revision of
 * the target version is gone (beyond {@code revisionHistoryLimit}), it sets the container images to
 * the target's tag instead ({@link Builder#rollbackByImage}).
 *
 * <p><b>Waiting</b> ({@link #awaitConvergence}) follows a watch on the workload, re-reads it every
 * {@link Builder#resyncInterval}, stays within the timeout on the run's clock, reports progress
 * ("2/3 updated, 1/3 available"), fails fast when the Deployment exceeds its progress deadline and
 * then records why the new pods fail ({@link PodDiagnosis}: reason, restarts, events, log tail).
 *
 * @since 0.1.0
 */
public final class KubernetesRollback implements RollbackStrategy {
  /** The strategy's name: {@value}. */
  public static final String NAME = "kubernetes";

  private final WorkloadAccess access;
  private final @Nullable String container;
  private final long toRevision;
  private final boolean resumeIfPaused;
  private final boolean updateLastAppliedConfiguration;
  private final boolean rollbackByImage;
  private final Map<String, String> imageRepositories;
  private final Duration rolloutTimeout;
  private final Duration pollInterval;
  private final Duration resyncInterval;
  private final int logLines;
  private final int eventsPerPod;
  private final int maxPodsDiagnosed;

  private KubernetesRollback(Builder b, KubernetesClient client, String namespace) {
    this.access = new WorkloadAccess(client, b.kind, namespace, b.name);
    this.container = b.container;
    this.toRevision = b.toRevision;
    this.resumeIfPaused = b.resumeIfPaused;
    this.updateLastAppliedConfiguration = b.updateLastAppliedConfiguration;
    this.rollbackByImage = b.rollbackByImage;
    this.imageRepositories = Map.copyOf(b.imageRepositories);
    this.rolloutTimeout = b.rolloutTimeout;
    this.pollInterval = b.pollInterval;
    this.resyncInterval = b.resyncInterval;
    this.logLines = b.logLines;
    this.eventsPerPod = b.eventsPerPod;
    this.maxPodsDiagnosed = b.maxPodsDiagnosed;
  }

  /**
   * @param name the Deployment's name
   * @return a builder
   */
  public static Builder deployment(String name) {
    return new Builder(WorkloadKind.DEPLOYMENT, name);
  }

  /**
   * @param name the StatefulSet's name
   * @return a builder
   */
  public static Builder statefulSet(String name) {
    return new Builder(WorkloadKind.STATEFUL_SET, name);
  }

  /**
   * @param name the DaemonSet's name
   * @return a builder
   */
  public static Builder daemonSet(String name) {
    return new Builder(WorkloadKind.DAEMON_SET, name);
  }

  /**
   * @param kind the workload's kind
   * @param name its name
   * @return a builder
   */
  public static Builder of(WorkloadKind kind, String name) {
    return new Builder(kind, name);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** @return the workload's kind */
  public WorkloadKind kind() {
    return access.kind();
  }

  /** @return the workload's name */
  public String workloadName() {
    return access.name();
  }

  /** @return the workload's namespace */
  public String namespace() {
    return access.namespace();
  }

  /** @return e.g. {@code deployment/checkout} */
  public String workload() {
    return access.ref();
  }

  @Override
  public Duration convergenceTimeout() {
    return rolloutTimeout;
  }

  /**
   * What {@code kubectl rollout history} lists, oldest revision first.
   *
   * @return the revisions
   * @throws IllegalStateException when the workload does not exist
   */
  public List<WorkloadRevision> history() {
    HasMetadata w = access.get();
    return revisions(w, access.history(w));
  }

  /**
   * @return the version running now: the image tag of the version container in the workload's
   *     template
   * @throws IllegalStateException when the workload does not exist or the version container is
   *     ambiguous or missing
   */
  public String currentVersion() {
    return versionOf(WorkloadAccess.template(access.get()), true);
  }

  /**
   * @return the version now and the earlier revisions, newest first, each with its change cause,
   *     images and source in {@link Revision#details()}
   */
  @Override
  public PlatformState inspect() {
    HasMetadata w = access.get();
    String current = versionOf(WorkloadAccess.template(w), true);
    List<WorkloadRevision> revisions = revisions(w, access.history(w));
    List<Revision> earlier = new ArrayList<>();
    for (int i = revisions.size() - 1; i >= 0; i--) {
      WorkloadRevision r = revisions.get(i);
      if (r.current()) {
        continue;
      }
      Map<String, String> details = new LinkedHashMap<>();
      details.put("source", r.source());
      details.put("images", String.join(",", r.images().values()));
      if (r.changeCause() != null) {
        details.put("changeCause", r.changeCause());
      }
      earlier.add(new Revision(String.valueOf(r.revision()), r.version(), r.createdAt(), details));
    }
    return new PlatformState(current, earlier);
  }

  /**
   * Rolls back to {@code request.revision()} when given, else to the builder's {@link
   * Builder#toRevision}, else to the newest revision that runs {@code request.toVersion()}; when no
   * revision runs it any more, sets the images to that version's tag (unless {@link
   * Builder#rollbackByImage} is off).
   *
   * @param request what to roll back to
   * @param ctx the run's context
   * @throws RollbackException with {@link ErrorCode#VERSION_REJECTED} when the revision or version
   *     is not in the history, naming the revisions that are
   * @throws IllegalStateException when the Deployment is paused and {@link Builder#resumeIfPaused}
   *     is off
   */
  @Override
  public void rollback(RollbackRequest request, StepContext ctx) {
    if (request.revision() != null) {
      undo(parseRevision(request.revision()), ctx);
      return;
    }
    if (toRevision > 0) {
      undo(toRevision, ctx);
      return;
    }
    rollbackToVersion(request.toVersion(), ctx);
  }

  /**
   * Rolls back to the newest revision that runs {@code version}, or by image when none does.
   *
   * @param version the version to run
   * @param ctx the run's context
   * @return what was done
   */
  public UndoResult rollbackToVersion(String version, StepContext ctx) {
    Objects.requireNonNull(version, "version");
    HasMetadata w = access.get();
    List<HistoryEntry> history = access.history(w);
    Map<String, Object> currentTree = Templates.tree(access.json(), WorkloadAccess.template(w));
    if (version.equals(versionOf(WorkloadAccess.template(w), true))) {
      long current = currentRevision(history, currentTree);
      String msg = access.ref() + " already runs " + version + (current > 0 ? " (revision " + current + ")" : "") + ": nothing to undo";
      ctx.record(msg, Map.of("workload", access.ref(), "namespace", access.namespace(), "version", version, "changed", "false"));
      return new UndoResult(access.ref(), access.namespace(), current, current, false, UndoResult.BY_REVISION,
          Templates.images(WorkloadAccess.template(w)), lastApplied(w) != null, false, msg);
    }
    HistoryEntry match = null;
    for (HistoryEntry e : history) {
      if (version.equals(versionOf(e.template(), false))) {
        match = e;
      }
    }
    if (match != null) {
      return undo(w, history, match.revision(), ctx);
    }
    if (!rollbackByImage) {
      throw new RollbackException(ErrorCode.VERSION_REJECTED, "no revision of " + access.describe() + " runs " + version
          + "; revisions: " + listing(w, history) + ". Pick one with toRevision(n), or allow rollbackByImage(true) to set the image tag");
    }
    return undoByImage(w, history, version, ctx);
  }

  /**
   * {@code kubectl rollout undo [--to-revision=n]}.
   *
   * @param revision the revision to restore; 0 for the previous one
   * @param ctx the run's context
   * @return what was done
   * @throws RollbackException with {@link ErrorCode#VERSION_REJECTED} when the revision does not
   *     exist (naming those that do) or there is no previous revision
   * @throws IllegalStateException when the Deployment is paused and {@link Builder#resumeIfPaused}
   *     is off
   */
  public UndoResult undo(long revision, StepContext ctx) {
    if (revision < 0) {
      throw new IllegalArgumentException("revision must be 0 (previous) or positive, but was " + revision);
    }
    HasMetadata w = access.get();
    return undo(w, access.history(w), revision, ctx);
  }

  /**
   * Sets the images of the version container (and of every container given an {@link
   * Builder#image image repository}) to {@code version}'s tag: the rollback when the revision is gone.
   *
   * @param version the version to run, used as the image tag
   * @param ctx the run's context
   * @return what was done
   */
  public UndoResult undoByImage(String version, StepContext ctx) {
    HasMetadata w = access.get();
    return undoByImage(w, access.history(w), version, ctx);
  }

  /**
   * Waits until the rollout finished as {@code kubectl rollout status} sees it, the progress
   * deadline passed, or the timeout passed on the run's clock. The new pods are then checked: any
   * that is not ready is diagnosed, recorded in the timeline and returned in the facts.
   *
   * @param timeout the longest wait
   * @param ctx the run's context
   * @return converged, or not with the reason and the pods' diagnoses in the facts
   * @throws InterruptedException when interrupted
   */
  @Override
  public Convergence awaitConvergence(Duration timeout, StepContext ctx) throws InterruptedException {
    HasMetadata first = access.get();
    AtomicReference<HasMetadata> latest = new AtomicReference<>(first);
    AtomicReference<@Nullable RuntimeException> watchFailure = new AtomicReference<>();
    Watch watch = access.watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, HasMetadata resource) {
        if (action == Action.ADDED || action == Action.MODIFIED) {
          latest.set(resource);
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        watchFailure.set(cause.asClientException());
      }
    });
    AtomicReference<RolloutState> state = new AtomicReference<>(access.rolloutState(first));
    AtomicReference<String> lastProgress = new AtomicReference<>("");
    AtomicReference<Instant> nextResync = new AtomicReference<>(ctx.clock().instant().plus(resyncInterval));
    String what = "rollout of " + access.ref() + " in " + access.namespace();
    boolean finished;
    try {
      finished = ctx.await(what, () -> {
        Instant now = ctx.clock().instant();
        if (!now.isBefore(nextResync.get()) || watchFailure.get() != null) {
          latest.set(access.get());
          nextResync.set(now.plus(resyncInterval));
          watchFailure.set(null);
        }
        RolloutState s = access.rolloutState(latest.get());
        state.set(s);
        String line = access.ref() + ": " + (s.observed() ? s.counts() : "waiting for the controller to observe the change");
        if (!line.equals(lastProgress.get())) {
          lastProgress.set(line);
          ctx.progress(line, s.fraction());
        }
        return s.done() || s.failed();
      }, timeout, pollInterval);
    } finally {
      watch.close();
    }
    HasMetadata w = access.get();
    RolloutState s = access.rolloutState(w);
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("workload", access.ref());
    facts.put("namespace", access.namespace());
    facts.put("replicas", s.counts());
    String running = versionOf(WorkloadAccess.template(w), false);
    facts.put("version", running);
    String revision = WorkloadAccess.annotation(w, WorkloadAccess.REVISION);
    if (revision != null) {
      facts.put("revision", revision);
    }
    if (s.done()) {
      List<PodDiagnosis> pods = diagnoseNewPods(w);
      List<PodDiagnosis> notReady = pods.stream().filter(p -> !p.ready()).toList();
      if (!notReady.isEmpty()) {
        return notConverged(access.ref() + " rolled out but " + notReady.size() + " new pod(s) are not ready: "
            + notReady.get(0).summary(), facts, notReady, ctx);
      }
      if (!running.equals(ctx.toVersion())) {
        return new Convergence(false, access.ref() + " rolled out, but runs " + running + " instead of " + ctx.toVersion(), facts);
      }
      facts.put("pods", String.valueOf(pods.size()));
      return new Convergence(true, s.message() + " (" + s.counts() + ", " + running + ")", facts);
    }
    List<PodDiagnosis> notReady = diagnoseNewPods(w).stream().filter(p -> !p.ready()).toList();
    String why = s.failed() ? s.message() : (finished ? s.message() : "not rolled out within " + timeout + ": " + s.message());
    return notConverged(why, facts, notReady, ctx);
  }

  /**
   * Diagnoses the pods of the workload's current template (for a Deployment, the pods of its new
   * ReplicaSet), those not ready first.
   *
   * @return a diagnosis per pod, at most {@link Builder#maxPodsDiagnosed}
   */
  public List<PodDiagnosis> verifyPods() {
    return diagnoseNewPods(access.get());
  }

  private Convergence notConverged(String why, Map<String, String> facts, List<PodDiagnosis> notReady, StepContext ctx) {
    for (PodDiagnosis d : notReady) {
      facts.putAll(d.facts());
      ctx.record(d.summary(), d.facts());
    }
    if (!notReady.isEmpty()) {
      facts.put("failingPods", String.join(",", notReady.stream().map(PodDiagnosis::pod).toList()));
      why = why + "; " + notReady.get(0).summary();
    }
    return new Convergence(false, why, facts);
  }

  private List<PodDiagnosis> diagnoseNewPods(HasMetadata w) {
    KubernetesClient client = access.client();
    List<Pod> pods;
    if (access.kind() == WorkloadKind.DEPLOYMENT) {
      List<HistoryEntry> history = access.history(w);
      long current = currentRevision(history, Templates.tree(access.json(), WorkloadAccess.template(w)));
      HistoryEntry newRs = history.stream().filter(e -> e.revision() == current).findFirst().orElse(null);
      if (newRs == null) {
        return List.of();
      }
      Map<String, String> labels = new LinkedHashMap<>(WorkloadAccess.matchLabels(w));
      String hash = newRs.template().getMetadata() == null || newRs.template().getMetadata().getLabels() == null
          ? null : newRs.template().getMetadata().getLabels().get(Templates.POD_TEMPLATE_HASH);
      if (hash != null) {
        labels.put(Templates.POD_TEMPLATE_HASH, hash);
      }
      pods = client.pods().inNamespace(access.namespace()).withLabels(labels).list().getItems().stream()
          .filter(p -> WorkloadAccess.ownedBy(p, newRs.uid())).toList();
    } else {
      pods = client.pods().inNamespace(access.namespace()).withLabels(WorkloadAccess.matchLabels(w)).list().getItems().stream()
          .filter(p -> WorkloadAccess.ownedBy(p, w.getMetadata().getUid())).toList();
    }
    return new PodInspector(client, access.namespace(), logLines, eventsPerPod).diagnose(pods, maxPodsDiagnosed);
  }

  // ---------------------------------------------------------------------------------------------

  private UndoResult undo(HasMetadata w, List<HistoryEntry> history, long revision, StepContext ctx) {
    Map<String, Object> currentTree = Templates.tree(access.json(), WorkloadAccess.template(w));
    long current = currentRevision(history, currentTree);
    HistoryEntry target = pick(w, history, revision);
    boolean paused = WorkloadAccess.paused(w);
    if (paused && !resumeIfPaused) {
      throw new IllegalStateException(access.describe() + " is paused: you cannot roll back a paused Deployment, because its "
          + "controller would not roll the change out. Resume it first (kubectl rollout resume " + access.ref() + " -n "
          + access.namespace() + "), or let the rollback resume it with resumeIfPaused(true)");
    }
    String lastApplied = lastApplied(w);
    String version = versionOf(target.template(), false);
    if (target.tree().equals(currentTree)) {
      boolean resumed = false;
      if (paused) {
        access.patch(List.of(Map.of("op", "replace", "path", "/spec/paused", "value", false)));
        resumed = true;
        ctx.record("resumed paused " + access.ref(), Map.of("workload", access.ref(), "namespace", access.namespace()));
      }
      String msg = "skipped rollback of " + access.ref() + " (current template already matches revision " + target.revision() + ", "
          + version + ")";
      ctx.record(msg, Map.of("workload", access.ref(), "namespace", access.namespace(), "revision", String.valueOf(target.revision()),
          "changed", "false"));
      return new UndoResult(access.ref(), access.namespace(), current, target.revision(), false, UndoResult.BY_REVISION,
          Templates.images(target.template()), lastApplied != null, resumed, msg);
    }
    List<Map<String, Object>> ops;
    boolean updateLastApplied = updateLastAppliedConfiguration && lastApplied != null;
    if (access.kind() == WorkloadKind.DEPLOYMENT) {
      ops = UndoPatches.deployment(w, target, access.json(), paused,
          updateLastApplied ? UndoPatches.lastApplied(lastApplied, target, access.json()) : null);
    } else {
      ops = new ArrayList<>(UndoPatches.controllerRevision(target, access.json()));
      if (updateLastApplied) {
        ops.add(Map.of("op", "add", "path", "/metadata/annotations/" + Templates.pointer(UndoPatches.LAST_APPLIED),
            "value", UndoPatches.lastApplied(lastApplied, target, access.json())));
      }
    }
    access.patch(w, ops);
    String msg = "rolled back " + access.ref() + " in " + access.namespace() + " from revision " + current + " to revision "
        + target.revision() + " (" + version + ")" + (paused ? ", resumed it" : "");
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("workload", access.ref());
    facts.put("namespace", access.namespace());
    facts.put("method", UndoResult.BY_REVISION);
    facts.put("fromRevision", String.valueOf(current));
    facts.put("toRevision", String.valueOf(target.revision()));
    facts.put("version", version);
    facts.put("images", String.join(",", Templates.images(target.template()).values()));
    facts.put("source", target.source());
    facts.put("resumed", String.valueOf(paused));
    ctx.record(msg, facts);
    boolean stale = recordLastApplied(lastApplied, updateLastApplied, ctx);
    return new UndoResult(access.ref(), access.namespace(), current, target.revision(), true, UndoResult.BY_REVISION,
        Templates.images(target.template()), stale, paused, msg);
  }

  private UndoResult undoByImage(HasMetadata w, List<HistoryEntry> history, String version, StepContext ctx) {
    if (!ImageRefs.validTag(version)) {
      throw new RollbackException(ErrorCode.VERSION_REJECTED, "version '" + version + "' cannot be an image tag (letters, digits, _ . -;"
          + " at most 128): no revision of " + access.describe() + " runs it and it cannot be set as an image; revisions: "
          + listing(w, history));
    }
    boolean paused = WorkloadAccess.paused(w);
    if (paused && !resumeIfPaused) {
      throw new IllegalStateException(access.describe() + " is paused: you cannot roll back a paused Deployment, because its "
          + "controller would not roll the change out. Resume it first (kubectl rollout resume " + access.ref() + " -n "
          + access.namespace() + "), or let the rollback resume it with resumeIfPaused(true)");
    }
    PodTemplateSpec t = WorkloadAccess.template(w);
    String versionContainer = versionContainer(t, true);
    Map<Integer, Map.Entry<String, String>> images = new LinkedHashMap<>();
    Map<String, String> after = new LinkedHashMap<>(Templates.images(t));
    List<io.fabric8.kubernetes.api.model.Container> containers = t.getSpec().getContainers();
    for (int i = 0; i < containers.size(); i++) {
      String name = containers.get(i).getName();
      if (!name.equals(versionContainer) && !imageRepositories.containsKey(name)) {
        continue;
      }
      String repo = imageRepositories.getOrDefault(name, ImageRefs.repository(containers.get(i).getImage()));
      String image = ImageRefs.withTag(repo, version);
      images.put(i, new AbstractMap.SimpleEntry<>(name, image));
      after.put(name, image);
    }
    for (String named : imageRepositories.keySet()) {
      if (!after.containsKey(named)) {
        throw new IllegalStateException("image repository given for container '" + named + "', but " + access.describe()
            + " has containers " + after.keySet());
      }
    }
    String cause = "rollback to " + version + " by image: no revision of " + access.ref() + " runs it any more";
    List<Map<String, Object>> ops = new ArrayList<>(UndoPatches.images(w, images, cause));
    if (paused) {
      ops.add(Map.of("op", "replace", "path", "/spec/paused", "value", false));
    }
    access.patch(w, ops);
    long current = currentRevision(history, Templates.tree(access.json(), t));
    String msg = "rolled back " + access.ref() + " in " + access.namespace() + " to " + version + " by image ("
        + String.join(", ", images.values().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
        + "): no revision in its history runs " + version + "; revisions: " + listing(w, history);
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("workload", access.ref());
    facts.put("namespace", access.namespace());
    facts.put("method", UndoResult.BY_IMAGE);
    facts.put("fromRevision", String.valueOf(current));
    facts.put("version", version);
    facts.put("images", String.join(",", after.values()));
    facts.put("resumed", String.valueOf(paused));
    ctx.record(msg, facts);
    String lastApplied = lastApplied(w);
    boolean stale = recordLastApplied(lastApplied, false, ctx);
    return new UndoResult(access.ref(), access.namespace(), current, 0, true, UndoResult.BY_IMAGE, after, stale, paused, msg);
  }

  private boolean recordLastApplied(@Nullable String lastApplied, boolean updated, StepContext ctx) {
    if (lastApplied == null) {
      return false;
    }
    if (updated) {
      ctx.record("updated " + UndoPatches.LAST_APPLIED + " of " + access.ref() + " to the rolled-back template",
          Map.of("workload", access.ref(), "lastAppliedConfiguration", "updated"));
      return false;
    }
    ctx.record(access.ref() + " keeps a stale " + UndoPatches.LAST_APPLIED + ": it still describes the manifest rolled back from, so "
        + "the next kubectl apply computes its three-way merge against it and can silently roll forward again or drop fields; "
        + "commit the rolled-back manifest, or set updateLastAppliedConfiguration(true)",
        Map.of("workload", access.ref(), "hazard", "stale-last-applied-configuration", "lastAppliedConfiguration", "stale"));
    return true;
  }

  private HistoryEntry pick(HasMetadata w, List<HistoryEntry> history, long revision) {
    if (revision > 0) {
      for (HistoryEntry e : history) {
        if (e.revision() == revision) {
          return e;
        }
      }
      throw new RollbackException(ErrorCode.VERSION_REJECTED, "unable to find revision " + revision + " of " + access.describe()
          + "; revisions: " + listing(w, history));
    }
    if (history.size() < 2) {
      throw new RollbackException(ErrorCode.VERSION_REJECTED, "no previous revision of " + access.describe() + " to roll back to; "
          + "revisions: " + listing(w, history));
    }
    return history.get(history.size() - 2);
  }

  private static long currentRevision(List<HistoryEntry> history, Map<String, Object> currentTree) {
    long current = 0;
    for (HistoryEntry e : history) {
      if (e.tree().equals(currentTree)) {
        current = Math.max(current, e.revision());
      }
    }
    return current;
  }

  private List<WorkloadRevision> revisions(HasMetadata w, List<HistoryEntry> history) {
    Map<String, Object> currentTree = Templates.tree(access.json(), WorkloadAccess.template(w));
    long current = currentRevision(history, currentTree);
    List<WorkloadRevision> out = new ArrayList<>();
    for (HistoryEntry e : history) {
      out.add(new WorkloadRevision(e.revision(), e.source(), versionOf(e.template(), false), Templates.images(e.template()),
          e.annotations().get(WorkloadAccess.CHANGE_CAUSE), e.createdAt(), e.revision() == current));
    }
    return out;
  }

  private String listing(HasMetadata w, List<HistoryEntry> history) {
    if (history.isEmpty()) {
      return "none (no owned " + (access.kind() == WorkloadKind.DEPLOYMENT ? "ReplicaSets" : "ControllerRevisions") + " found)";
    }
    List<String> parts = new ArrayList<>();
    for (WorkloadRevision r : revisions(w, history)) {
      parts.add(r.revision() + " (" + r.version() + (r.current() ? ", current" : "") + ")");
    }
    return String.join(", ", parts);
  }

  private static @Nullable String lastApplied(HasMetadata w) {
    return WorkloadAccess.annotation(w, UndoPatches.LAST_APPLIED);
  }

  private String versionOf(@Nullable PodTemplateSpec template, boolean strict) {
    String name = versionContainer(template, strict);
    if (name == null) {
      return "unknown";
    }
    String image = Templates.images(template).get(name);
    return image == null || image.isEmpty() ? "unknown" : ImageRefs.tag(image);
  }

  private @Nullable String versionContainer(@Nullable PodTemplateSpec template, boolean strict) {
    Map<String, String> images = Templates.images(template);
    if (container != null) {
      if (images.containsKey(container)) {
        return container;
      }
      if (strict) {
        throw new IllegalStateException("container '" + container + "' is not in the pod template of " + access.describe()
            + "; its containers are " + images.keySet() + ": name the one whose image tag is the version with container(..)");
      }
      return null;
    }
    if (images.size() == 1) {
      return images.keySet().iterator().next();
    }
    if (strict) {
      throw new IllegalStateException(access.describe() + " has " + (images.isEmpty() ? "no containers" : "containers " + images.keySet())
          + ": name the one whose image tag is the version with container(..)");
    }
    return null;
  }

  private static long parseRevision(String text) {
    try {
      long r = Long.parseLong(text.trim());
      if (r < 0) {
        throw new NumberFormatException();
      }
      return r;
    } catch (NumberFormatException e) {
      throw new RollbackException(ErrorCode.VERSION_REJECTED, "revision '" + text + "' is not a revision number: use a number from "
          + "kubectl rollout history, or 0 for the previous revision", e);
    }
  }

  @Override
  public String toString() {
    return "KubernetesRollback[" + access.describe() + "]";
  }

  /**
   * Builds a {@link KubernetesRollback}; {@link #build()} reports every problem at once.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final WorkloadKind kind;
    private final String name;
    private @Nullable String namespace;
    private @Nullable KubernetesClient client;
    private @Nullable String container;
    private long toRevision;
    private boolean resumeIfPaused;
    private boolean updateLastAppliedConfiguration;
    private boolean rollbackByImage = true;
    private final Map<String, String> imageRepositories = new LinkedHashMap<>();
    private Duration rolloutTimeout = Duration.ofMinutes(10);
    private Duration pollInterval = Duration.ofSeconds(2);
    private Duration resyncInterval = Duration.ofSeconds(10);
    private int logLines = 20;
    private int eventsPerPod = 5;
    private int maxPodsDiagnosed = 5;
    private final List<String> problems = new ArrayList<>();

    private Builder(WorkloadKind kind, @Nullable String name) {
      this.kind = Objects.requireNonNull(kind, "kind");
      if (name == null || !name.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
        problems.add(kind.id() + " name must be a DNS subdomain name (lower-case letters, digits, '-' and '.'), but was "
            + (name == null ? "null" : "'" + name + "'") + ": e.g. 'checkout'");
      }
      this.name = name == null ? "" : name;
    }

    /**
     * @param namespace the workload's namespace; default: the client's namespace
     * @return this builder
     */
    public Builder namespace(String namespace) {
      if (namespace == null || !namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
        problems.add("namespace must be a DNS label (lower-case letters, digits and '-'), but was "
            + (namespace == null ? "null" : "'" + namespace + "'") + ": e.g. 'prod'");
      } else {
        this.namespace = namespace;
      }
      return this;
    }

    /**
     * @param client the fabric8 client to use (required); the caller closes it
     * @return this builder
     */
    public Builder client(KubernetesClient client) {
      if (client == null) {
        problems.add("client must not be null: pass new KubernetesClientBuilder().build() or a configured client");
      } else {
        this.client = client;
      }
      return this;
    }

    /**
     * @param container the container whose image tag is the version; default: the only container
     * @return this builder
     */
    public Builder container(String container) {
      if (container == null || container.isBlank()) {
        problems.add("container must name a container of the pod template, but was " + (container == null ? "null" : "'" + container + "'"));
      } else {
        this.container = container;
      }
      return this;
    }

    /**
     * @param revision the revision {@link KubernetesRollback#rollback} restores whatever the target
     *     version ({@code kubectl rollout undo --to-revision}); 0 (default) picks the revision by
     *     version
     * @return this builder
     */
    public Builder toRevision(long revision) {
      if (revision < 0) {
        problems.add("toRevision must be 0 (by version) or a revision number, but was " + revision);
      } else {
        this.toRevision = revision;
      }
      return this;
    }

    /**
     * @param resume whether to resume a paused Deployment in the undo's patch (default false:
     *     refuse, as kubectl does)
     * @return this builder
     */
    public Builder resumeIfPaused(boolean resume) {
      this.resumeIfPaused = resume;
      return this;
    }

    /**
     * @param update whether to rewrite {@code kubectl.kubernetes.io/last-applied-configuration} with
     *     the restored template (default false: keep it as kubectl does, and record the hazard)
     * @return this builder
     */
    public Builder updateLastAppliedConfiguration(boolean update) {
      this.updateLastAppliedConfiguration = update;
      return this;
    }

    /**
     * @param enabled whether to set the image tag when no revision runs the target version (default
     *     true)
     * @return this builder
     */
    public Builder rollbackByImage(boolean enabled) {
      this.rollbackByImage = enabled;
      return this;
    }

    /**
     * Sets the repository of a container's image for rollback by image; the version container uses
     * its current repository unless given here. Containers named here get the version's tag, too.
     *
     * @param container a container of the pod template
     * @param repository its image repository without tag, e.g. {@code registry.example.com/checkout}
     * @return this builder
     */
    public Builder image(String container, String repository) {
      if (container == null || container.isBlank()) {
        problems.add("image(container, repository): container must not be blank, but was " + (container == null ? "null" : "'" + container + "'"));
      } else if (repository == null || repository.isBlank() || repository.contains("@")
          || ImageRefs.repository(repository).length() != repository.length()) {
        problems.add("image repository for container '" + container + "' must be a repository without tag or digest, but was "
            + (repository == null ? "null" : "'" + repository + "'") + ": e.g. 'registry.example.com/checkout'");
      } else {
        imageRepositories.put(container, repository);
      }
      return this;
    }

    /**
     * @param timeout how long {@link KubernetesRollback#awaitConvergence} waits when the runner asks;
     *     positive; default 10 minutes
     * @return this builder
     */
    public Builder rolloutTimeout(Duration timeout) {
      positive("rolloutTimeout", timeout, "Duration.ofMinutes(5)").ifPresentOrElse(problems::add, () -> this.rolloutTimeout = timeout);
      return this;
    }

    /**
     * @param interval how often the wait looks at what the watch delivered; positive; default 2 seconds
     * @return this builder
     */
    public Builder pollInterval(Duration interval) {
      positive("pollInterval", interval, "Duration.ofSeconds(2)").ifPresentOrElse(problems::add, () -> this.pollInterval = interval);
      return this;
    }

    /**
     * @param interval how often the wait re-reads the workload even without watch events; positive;
     *     default 10 seconds
     * @return this builder
     */
    public Builder resyncInterval(Duration interval) {
      positive("resyncInterval", interval, "Duration.ofSeconds(10)").ifPresentOrElse(problems::add, () -> this.resyncInterval = interval);
      return this;
    }

    /**
     * @param lines how many log lines to keep per failing pod; 0 to 1000; default 20
     * @return this builder
     */
    public Builder logLines(int lines) {
      if (lines < 0 || lines > 1000) {
        problems.add("logLines must be between 0 and 1000, but was " + lines);
      } else {
        this.logLines = lines;
      }
      return this;
    }

    /**
     * @param events how many recent events to keep per failing pod; 0 to 100; default 5
     * @return this builder
     */
    public Builder eventsPerPod(int events) {
      if (events < 0 || events > 100) {
        problems.add("eventsPerPod must be between 0 and 100, but was " + events);
      } else {
        this.eventsPerPod = events;
      }
      return this;
    }

    /**
     * @param pods how many pods to diagnose at most; 1 to 100; default 5
     * @return this builder
     */
    public Builder maxPodsDiagnosed(int pods) {
      if (pods < 1 || pods > 100) {
        problems.add("maxPodsDiagnosed must be between 1 and 100, but was " + pods);
      } else {
        this.maxPodsDiagnosed = pods;
      }
      return this;
    }

    /**
     * @return the strategy
     * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} listing every problem
     */
    public KubernetesRollback build() {
      List<String> all = new ArrayList<>(problems);
      if (client == null && problems.stream().noneMatch(p -> p.startsWith("client"))) {
        all.add("client must be set: pass new KubernetesClientBuilder().build() or a configured client");
      }
      if (kind != WorkloadKind.DEPLOYMENT && resumeIfPaused) {
        all.add("resumeIfPaused applies to Deployments only, but the workload is a " + kind.kind() + ": remove it");
      }
      if (!resyncIntervalFits()) {
        all.add("resyncInterval " + resyncInterval + " must not be shorter than pollInterval " + pollInterval);
      }
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid Kubernetes rollback of " + kind.id() + "/" + name, all);
      }
      String ns = namespace != null ? namespace : client.getNamespace();
      if (ns == null || ns.isBlank()) {
        ns = "default";
      }
      return new KubernetesRollback(this, client, ns);
    }

    private boolean resyncIntervalFits() {
      return resyncInterval.compareTo(pollInterval) >= 0;
    }

    private static Optional<String> positive(String field, @Nullable Duration d, String example) {
      if (d == null || d.isNegative() || d.isZero()) {
        return Optional.of(field + " must be positive, but was " + d + ": e.g. " + example);
      }
      return Optional.empty();
    }
  }
}
