package dev.rollback.k8s;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Key;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.StepStatus;
import dev.rollback.core.version.VersionCatalog;
import dev.rollback.k8s.internal.ConfigChangeLog;
import dev.rollback.k8s.internal.ConfigObjectRef;
import dev.rollback.k8s.internal.ConfigObjects;
import dev.rollback.k8s.internal.ConfigObjects.Content;
import dev.rollback.k8s.internal.ConfigObjects.Live;
import dev.rollback.k8s.internal.PatchOperations;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Rolls back the ConfigMaps and Secrets of a Deployment, in the {@link Phase#CONFIG_ROLLBACK}
 * phase, and restarts its pods so they pick them up.
 *
 * <pre>{@code
 * Step config = KubernetesConfigRollback.builder("restore-checkout-config", client)
 *     .namespace("prod").deployment("checkout")
 *     .versions(GitVersionCatalog.open(repo))
 *     .configMapFromTag("checkout-config", "deploy/k8s/config")  // each file under the folder is a key
 *     .fromSnapshot(KubernetesConfigRollback.SECRET, "checkout-secrets")
 *     .build();
 * }</pre>
 *
 * <p>How a run goes:
 *
 * <ol>
 *   <li><b>Snapshot first.</b> Every ConfigMap and Secret the Deployment's pod template references
 *       ({@code envFrom}, {@code env[].valueFrom}, volumes, projected volumes), and every object
 *       configured below, is copied into an immutable object {@code <name>-rb-<short run id>} with
 *       labels {@code rollback.dev/snapshot-of}, {@code rollback.dev/run}, {@code
 *       rollback.dev/version} (the version running now, {@link StepContext#fromVersion()}) and
 *       annotations naming the origin and the full run id. A snapshot that exists already (a resumed
 *       run) is kept. Missing optional references are noted and skipped.
 *   <li><b>Restore.</b> A ConfigMap configured with {@link Builder#configMapFromTag} gets the files
 *       under a folder at the target tag ({@link StepContext#toVersion()}), one key per file. An
 *       object configured with {@link Builder#fromSnapshot} gets the data of the newest snapshot taken
 *       while the target version was running (by an earlier run of this step, for example at deploy
 *       time). An object whose data already matches is left alone, so the step is idempotent. An
 *       immutable object is refused, naming it: point the template at a new name instead.
 *   <li><b>Restart.</b> When anything changed, the pod template gets the annotation {@code
 *       kubectl.kubernetes.io/restartedAt} (run clock), as {@code kubectl rollout restart} does;
 *       waiting for the rollout is the workload strategy's job.
 * </ol>
 *
 * <p>{@link #compensate} puts every changed object back from this run's snapshot (deleting objects
 * the step created) and restarts again. Secret values never leave the cluster: timeline entries,
 * results, the journal and the report name objects, keys and (for ConfigMaps only) a content hash.
 *
 * <p>RBAC: {@code get}, {@code list}, {@code create}, {@code patch}, {@code delete} on {@code
 * configmaps} and {@code secrets}; {@code get}, {@code patch} on {@code deployments}.
 *
 * @since 0.1.0
 */
public final class KubernetesConfigRollback implements Step {
  /** The kind of a ConfigMap, for {@link Builder#fromSnapshot}. */
  public static final String CONFIG_MAP = ConfigObjectRef.CONFIG_MAP;
  /** The kind of a Secret, for {@link Builder#fromSnapshot}. */
  public static final String SECRET = ConfigObjectRef.SECRET;
  /** The pod-template annotation that makes the Deployment roll its pods. */
  public static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  private final String id;
  private final KubernetesClient client;
  private final String namespace;
  private final String deployment;
  private final @Nullable VersionCatalog versions;
  private final Map<String, Source> sources;
  private final Key<ConfigChangeLog> changes;

  /** Where a restored object's data comes from. */
  private record Source(String kind, String name, @Nullable String repoFolder) {
    String describe(StepContext ctx) {
      return repoFolder == null ? "snapshot taken while " + ctx.toVersion() + " ran" : "tag " + ctx.toVersion() + ":" + repoFolder;
    }
  }

  private KubernetesConfigRollback(Builder b, String namespace) {
    this.id = b.id;
    this.client = Objects.requireNonNull(b.client);
    this.namespace = namespace;
    this.deployment = Objects.requireNonNull(b.deployment);
    this.versions = b.versions;
    this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(b.sources));
    this.changes = Key.of("k8s-config." + id + ".changes", ConfigChangeLog.class);
  }

  /**
   * @param id the step's id, unique within the plan
   * @param client the client
   * @return a builder
   */
  public static Builder builder(String id, KubernetesClient client) {
    return new Builder(id, client);
  }

  @Override
  public String id() {
    return id;
  }

  /** @return {@link Phase#CONFIG_ROLLBACK} */
  @Override
  public Phase phase() {
    return Phase.CONFIG_ROLLBACK;
  }

  /** @return true: snapshots are kept when they exist and objects already matching are left alone */
  @Override
  public boolean idempotent() {
    return true;
  }

  /** @return the key under which the objects changed by a run are kept (and journaled) */
  public Key<ConfigChangeLog> changesKey() {
    return changes;
  }

  @Override
  public String preview(StepContext ctx) {
    return "would snapshot the ConfigMaps and Secrets of deployment " + namespace + "/" + deployment + ", restore "
        + (sources.isEmpty() ? "nothing" : String.join(", ", sources.keySet())) + " for " + ctx.toVersion()
        + " and restart its pods if anything changed";
  }

  /**
   * Snapshots, restores and restarts; see the class description.
   *
   * @param ctx the run's context
   * @return the objects snapshotted and restored, as facts
   * @throws RollbackException when the Deployment, a source or a snapshot is missing, or an object
   *     to restore is immutable
   */
  @Override
  public StepResult execute(StepContext ctx) throws Exception {
    ConfigObjects objects = new ConfigObjects(client, namespace);
    Deployment d = loadDeployment();
    List<ConfigObjectRef> scope = scope(d);
    Map<String, Live> before = new LinkedHashMap<>();
    int snapshotted = 0;
    for (ConfigObjectRef ref : scope) {
      ctx.throwIfCancelled();
      Optional<Live> live = objects.read(ref.kind(), ref.name());
      if (live.isEmpty()) {
        ctx.record(ref.display() + " does not exist" + (ref.optional() ? " (optional reference)" : ""),
            facts(ref.kind(), ref.name(), "absent"));
        continue;
      }
      before.put(ref.display(), live.get());
      String snapshot = ConfigObjects.snapshotName(ref.name(), ctx.runId());
      boolean created = objects.snapshot(live.get(), snapshot, snapshotLabels(ref.name(), ctx), snapshotAnnotations(ref, live.get(), ctx));
      Map<String, String> f = facts(ref.kind(), ref.name(), created ? "snapshotted" : "snapshot kept");
      f.put("snapshot", snapshot);
      content(f, ref.kind(), live.get().content());
      ctx.record(ref.display() + (created ? " snapshotted as " : " already snapshotted as ") + snapshot, f);
      snapshotted++;
    }

    ConfigChangeLog log = ctx.get(changes).orElse(ConfigChangeLog.empty());
    int changed = 0;
    int unchanged = 0;
    for (Source source : sources.values()) {
      ctx.throwIfCancelled();
      String display = ConfigObjects.lower(source.kind()) + "/" + source.name();
      Content wanted = wanted(source, objects, ctx);
      Live live = objects.read(source.kind(), source.name()).orElse(null);
      if (live != null && live.content().sameBytes(SECRET.equals(source.kind()), wanted)) {
        Map<String, String> f = facts(source.kind(), source.name(), "unchanged");
        content(f, source.kind(), wanted);
        ctx.record(display + " already matches " + source.describe(ctx), f);
        unchanged++;
        continue;
      }
      if (live != null && live.immutable()) {
        throw new RollbackException(ErrorCode.VALIDATION_FAILED, display + " in " + namespace + " is immutable, so its data cannot be "
            + "restored in place; roll the pod template back to the name the target version used, or recreate the object");
      }
      String snapshot = live == null ? null : ConfigObjects.snapshotName(source.name(), ctx.runId());
      if (live == null) {
        objects.create(source.kind(), source.name(), wanted, Map.of("app.kubernetes.io/managed-by", "rollback"));
      } else {
        objects.write(live, wanted);
      }
      log = log.with(new ConfigChangeLog.Entry(source.kind(), source.name(), snapshot));
      ctx.put(changes, log);
      Map<String, String> f = facts(source.kind(), source.name(), live == null ? "created" : "restored");
      f.put("source", source.describe(ctx));
      content(f, source.kind(), wanted);
      ctx.record(display + (live == null ? " created from " : " restored from ") + source.describe(ctx), f);
      changed++;
    }
    if (changed == 0) {
      return new StepResult(StepStatus.SKIPPED, "the config of deployment " + namespace + "/" + deployment + " already matches "
          + ctx.toVersion() + " (" + snapshotted + " object(s) snapshotted, " + unchanged + " unchanged)",
          Map.of("kind", "k8s-config", "snapshotted", String.valueOf(snapshotted), "changed", "0"));
    }
    String at = restart(ctx);
    return new StepResult(StepStatus.SUCCEEDED, "restored " + changed + " config object(s) of deployment " + namespace + "/" + deployment
        + " for " + ctx.toVersion() + " and restarted its pods at " + at,
        Map.of("kind", "k8s-config", "snapshotted", String.valueOf(snapshotted), "changed", String.valueOf(changed),
            "unchanged", String.valueOf(unchanged), "restartedAt", at));
  }

  /**
   * Puts every object this run changed back from this run's snapshot (newest change first),
   * deletes objects it created, and restarts the pods again.
   *
   * @param ctx the run's context
   * @return how it went; skipped when the step changed nothing
   * @throws RollbackException naming every object that could not be put back
   */
  @Override
  public StepResult compensate(StepContext ctx) throws Exception {
    ConfigChangeLog log = ctx.get(changes).orElse(ConfigChangeLog.empty());
    if (log.entries().isEmpty()) {
      return StepResult.skipped("no ConfigMap or Secret was changed");
    }
    ConfigObjects objects = new ConfigObjects(client, namespace);
    List<ConfigChangeLog.Entry> entries = new ArrayList<>(log.entries());
    Collections.reverse(entries);
    List<String> failures = new ArrayList<>();
    List<RuntimeException> causes = new ArrayList<>();
    for (ConfigChangeLog.Entry e : entries) {
      String display = ConfigObjects.lower(e.kind()) + "/" + e.name();
      try {
        if (e.snapshot() == null) {
          objects.delete(e.kind(), e.name());
          ctx.record(display + " deleted (the step had created it)", facts(e.kind(), e.name(), "deleted"));
          continue;
        }
        Live snapshot = objects.read(e.kind(), e.snapshot()).orElseThrow(() -> new IllegalStateException(
            "its snapshot " + e.snapshot() + " is gone"));
        Live live = objects.read(e.kind(), e.name()).orElse(null);
        if (live == null) {
          objects.create(e.kind(), e.name(), snapshot.content(), Map.of());
        } else if (!live.content().sameBytes(SECRET.equals(e.kind()), snapshot.content())) {
          objects.write(live, snapshot.content());
        }
        Map<String, String> f = facts(e.kind(), e.name(), "put back");
        f.put("snapshot", e.snapshot());
        content(f, e.kind(), snapshot.content());
        ctx.record(display + " put back from " + e.snapshot(), f);
      } catch (RuntimeException ex) {
        failures.add(display + ": " + ex.getMessage());
        causes.add(ex);
      }
    }
    String at = restart(ctx);
    if (!failures.isEmpty()) {
      RollbackException failure = new RollbackException(ErrorCode.VALIDATION_FAILED, "config compensation of step '" + id
          + "' left problems: " + String.join("; ", failures) + "; the snapshots are labelled " + ConfigObjects.RUN + "="
          + ConfigObjects.shortRunId(ctx.runId()));
      causes.forEach(failure::addSuppressed);
      throw failure;
    }
    return StepResult.succeeded("put back " + entries.size() + " config object(s) of deployment " + namespace + "/" + deployment
        + " from this run's snapshots and restarted its pods at " + at).withFact("kind", "k8s-config").withFact("restored", entries.size());
  }

  private Deployment loadDeployment() {
    Deployment d = client.apps().deployments().inNamespace(namespace).withName(deployment).get();
    if (d == null) {
      throw new RollbackException(ErrorCode.VALIDATION_FAILED, "deployment " + namespace + "/" + deployment
          + " does not exist; fix the namespace and name given to step '" + id + "'");
    }
    return d;
  }

  private List<ConfigObjectRef> scope(Deployment d) {
    Map<String, ConfigObjectRef> all = new LinkedHashMap<>();
    for (ConfigObjectRef r : ConfigObjectRef.of(d.getSpec().getTemplate() == null ? null : d.getSpec().getTemplate().getSpec())) {
      all.put(r.display(), r);
    }
    for (Source s : sources.values()) {
      all.putIfAbsent(ConfigObjects.lower(s.kind()) + "/" + s.name(), new ConfigObjectRef(s.kind(), s.name(), true));
    }
    return List.copyOf(all.values());
  }

  private Content wanted(Source source, ConfigObjects objects, StepContext ctx) {
    String tag = ctx.toVersion();
    if (source.repoFolder() == null) {
      Live snap = objects.newestSnapshot(source.kind(), source.name(), tag).orElseThrow(() -> new RollbackException(
          ErrorCode.VALIDATION_FAILED, "no snapshot of " + ConfigObjects.lower(source.kind()) + "/" + source.name() + " taken while "
              + tag + " ran exists in " + namespace + " (labels " + ConfigObjects.SNAPSHOT_OF + ", " + ConfigObjects.VERSION + "=" + tag
              + "); run this step while " + tag + " is deployed to take one, or restore the object from another source"));
      return snap.content();
    }
    VersionCatalog catalog = Objects.requireNonNull(versions);
    String folder = source.repoFolder();
    List<String> paths = catalog.list(tag, folder);
    if (paths.isEmpty()) {
      throw new RollbackException(ErrorCode.VERSION_REJECTED, "tag " + tag + " has no files under '" + folder + "' for configmap/"
          + source.name() + "; refusing to empty it: check the folder given to configMapFromTag");
    }
    String prefix = folder.isEmpty() || folder.endsWith("/") ? folder : folder + "/";
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String p : paths) {
      String key = p.substring(prefix.length());
      if (!KEY.matcher(key).matches()) {
        throw new RollbackException(ErrorCode.VERSION_REJECTED, "file " + p + " at " + tag + " cannot be a key of configmap/" + source.name()
            + ": keys are letters, digits, '-', '_' and '.', so sub-folders do not map; give the ConfigMap a flat folder");
      }
      files.put(key, catalog.read(tag, p).orElseThrow(() -> new RollbackException(ErrorCode.VERSION_REJECTED,
          "file " + p + " is listed at " + tag + " but cannot be read")));
    }
    return ConfigObjects.configMapOf(files);
  }

  private String restart(StepContext ctx) {
    String at = ctx.clock().instant().toString();
    Deployment d = loadDeployment();
    PatchOperations patch = new PatchOperations();
    if (d.getSpec().getTemplate().getMetadata() == null) {
      patch.add("/spec/template/metadata", Map.of("annotations", Map.of(RESTARTED_AT, at)));
    } else if (d.getSpec().getTemplate().getMetadata().getAnnotations() == null) {
      patch.add("/spec/template/metadata/annotations", Map.of(RESTARTED_AT, at));
    } else {
      patch.add(PatchOperations.pointer("spec", "template", "metadata", "annotations", RESTARTED_AT), at);
    }
    client.apps().deployments().inNamespace(namespace).withName(deployment).patch(PatchContext.of(PatchType.JSON), patch.toJson());
    ctx.record("deployment " + namespace + "/" + deployment + " restarted so its pods read the restored config",
        Map.of("kind", "k8s-config", "deployment", namespace + "/" + deployment, "action", "rollout restart", RESTARTED_AT, at));
    return at;
  }

  private Map<String, String> snapshotLabels(String name, StepContext ctx) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put("app.kubernetes.io/managed-by", "rollback");
    l.put(ConfigObjects.SNAPSHOT_OF, ConfigObjects.labelValue(name));
    l.put(ConfigObjects.RUN, ConfigObjects.shortRunId(ctx.runId()));
    l.put(ConfigObjects.VERSION, ConfigObjects.labelValue(ctx.fromVersion()));
    return l;
  }

  private Map<String, String> snapshotAnnotations(ConfigObjectRef ref, Live live, StepContext ctx) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put(ConfigObjects.ORIGIN, ConfigObjects.lower(ref.kind()) + "/" + namespace + "/" + ref.name());
    a.put(ConfigObjects.ORIGIN_NAME, ref.name());
    a.put(ConfigObjects.ORIGIN_RESOURCE_VERSION, live.resourceVersion());
    a.put(ConfigObjects.RUN_ID, ctx.runId());
    a.put(ConfigObjects.VERSION_EXACT, ctx.fromVersion());
    a.put(ConfigObjects.SNAPSHOT_AT, ctx.clock().instant().toString());
    a.put("rollback.dev/deployment", namespace + "/" + deployment);
    return a;
  }

  private Map<String, String> facts(String kind, String name, String action) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("kind", "k8s-config");
    f.put("object", ConfigObjects.lower(kind) + "/" + namespace + "/" + name);
    f.put("action", action);
    return f;
  }

  /** Key names always; a content hash for ConfigMaps only (a Secret's hash could be guessed against). */
  private static void content(Map<String, String> f, String kind, Content c) {
    f.put("keys", String.join(",", c.keys()));
    if (!SECRET.equals(kind)) {
      f.put("sha256", c.sha256(false));
    }
  }

  @Override
  public String toString() {
    return "KubernetesConfigRollback[" + id + " -> deployment " + namespace + "/" + deployment + ", restores " + sources.keySet() + "]";
  }

  /** Builds a {@link KubernetesConfigRollback}; {@link #build()} reports every problem at once. */
  public static final class Builder {
    private final String id;
    private final @Nullable KubernetesClient client;
    private @Nullable String namespace;
    private @Nullable String deployment;
    private @Nullable VersionCatalog versions;
    private final Map<String, Source> sources = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    private Builder(String id, @Nullable KubernetesClient client) {
      this.id = id;
      this.client = client;
    }

    /**
     * @param namespace the Deployment's namespace; default: the client's namespace
     * @return this builder
     */
    public Builder namespace(String namespace) {
      if (namespace == null || !namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
        problems.add("namespace must be a DNS label, but was " + quote(namespace) + ": pass e.g. \"prod\"");
      }
      this.namespace = namespace;
      return this;
    }

    /**
     * @param name the Deployment whose pod template's ConfigMaps and Secrets are rolled back;
     *     required
     * @return this builder
     */
    public Builder deployment(String name) {
      if (!validName(name)) {
        problems.add("deployment must be a Kubernetes object name, but was " + quote(name) + ": pass e.g. \"checkout\"");
      }
      this.deployment = name;
      return this;
    }

    /**
     * @param catalog where {@link #configMapFromTag} reads files; required when that is used
     * @return this builder
     */
    public Builder versions(VersionCatalog catalog) {
      if (catalog == null) {
        problems.add("versions must not be null: pass GitVersionCatalog.open(repository)");
      }
      this.versions = catalog;
      return this;
    }

    /**
     * Restores a ConfigMap from the files directly under a repository folder at the target tag: one
     * key per file, named as the file.
     *
     * @param name the ConfigMap
     * @param repoFolder the folder in the repository, e.g. {@code deploy/k8s/config}
     * @return this builder
     */
    public Builder configMapFromTag(String name, String repoFolder) {
      if (repoFolder == null || repoFolder.startsWith("/") || repoFolder.contains("..")) {
        problems.add("configMapFromTag folder for " + quote(name) + " must be a relative repository path, but was " + quote(repoFolder));
      }
      return source(CONFIG_MAP, name, repoFolder == null ? "" : repoFolder);
    }

    /**
     * Restores a ConfigMap or Secret from the newest snapshot of it taken while the target version
     * was running (labels {@code rollback.dev/snapshot-of=<name>}, {@code rollback.dev/version=<target>}).
     *
     * @param kind {@link #CONFIG_MAP} or {@link #SECRET}
     * @param name the object
     * @return this builder
     */
    public Builder fromSnapshot(String kind, String name) {
      if (!CONFIG_MAP.equals(kind) && !SECRET.equals(kind)) {
        problems.add("fromSnapshot kind must be ConfigMap or Secret, but was " + quote(kind));
        return this;
      }
      return source(kind, name, null);
    }

    private Builder source(String kind, @Nullable String name, @Nullable String folder) {
      if (!validName(name)) {
        problems.add(ConfigObjects.lower(kind) + " name must be a Kubernetes object name, but was " + quote(name));
        return this;
      }
      String key = ConfigObjects.lower(kind) + "/" + name;
      if (sources.containsKey(key)) {
        problems.add(key + " is given two sources: restore each object from one");
      }
      sources.put(key, new Source(kind, name, folder));
      return this;
    }

    /**
     * @return the step
     * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} listing every problem
     */
    public KubernetesConfigRollback build() {
      List<String> all = new ArrayList<>(problems);
      if (id == null || id.isBlank()) {
        all.add("id must not be blank, but was " + quote(id) + ": give the step a stable name such as 'restore-checkout-config'");
      }
      if (client == null) {
        all.add("client must not be null: pass a KubernetesClient");
      }
      if (deployment == null && problems.stream().noneMatch(p -> p.startsWith("deployment"))) {
        all.add("deployment is not set: call deployment(\"checkout\")");
      }
      if (versions == null && sources.values().stream().anyMatch(s -> s.repoFolder() != null)
          && problems.stream().noneMatch(p -> p.startsWith("versions"))) {
        all.add("versions must be set when configMapFromTag is used: pass GitVersionCatalog.open(repository)");
      }
      String ns = namespace != null ? namespace : client == null ? null : client.getNamespace();
      if (ns == null && problems.stream().noneMatch(p -> p.startsWith("namespace"))) {
        all.add("namespace is not set and the client has no default namespace: call namespace(\"prod\")");
      }
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid Kubernetes config rollback '" + id + "'", all);
      }
      return new KubernetesConfigRollback(this, Objects.requireNonNull(ns));
    }

    private static boolean validName(@Nullable String name) {
      return name != null && NAME.matcher(name).matches();
    }

    private static String quote(@Nullable String s) {
      return s == null ? "null" : "'" + s + "'";
    }
  }
}
