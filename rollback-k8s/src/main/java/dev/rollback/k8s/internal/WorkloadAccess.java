package dev.rollback.k8s.internal;

import dev.rollback.k8s.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesResourceUtil;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.api.model.runtime.RawExtension;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads and patches one workload of any {@link WorkloadKind}: the object, its pod template, its
 * history (owned ReplicaSets or ControllerRevisions, owner checked client-side by uid), its rollout
 * state, and JSON Patches.
 */
public final class WorkloadAccess {
  /** Annotation holding a Deployment's and a ReplicaSet's revision. */
  public static final String REVISION = "deployment.kubernetes.io/revision";
  /** Annotation kubectl and the controller use for the reason of a change. */
  public static final String CHANGE_CAUSE = "kubernetes.io/change-cause";

  private final KubernetesClient client;
  private final WorkloadKind kind;
  private final String namespace;
  private final String name;

  /**
   * @param client the client
   * @param kind the workload's kind
   * @param namespace its namespace
   * @param name its name
   */
  public WorkloadAccess(KubernetesClient client, WorkloadKind kind, String namespace, String name) {
    this.client = client;
    this.kind = kind;
    this.namespace = namespace;
    this.name = name;
  }

  /** @return e.g. {@code deployment/checkout} */
  public String ref() {
    return kind.id() + "/" + name;
  }

  /** @return e.g. {@code deployment/checkout in namespace prod} */
  public String describe() {
    return ref() + " in namespace " + namespace;
  }

  /** @return the kind */
  public WorkloadKind kind() {
    return kind;
  }

  /** @return the namespace */
  public String namespace() {
    return namespace;
  }

  /** @return the name */
  public String name() {
    return name;
  }

  /** @return the client's serialization */
  public KubernetesSerialization json() {
    return client.getKubernetesSerialization();
  }

  /** @return the client */
  public KubernetesClient client() {
    return client;
  }

  /**
   * @return the workload as it is now
   * @throws IllegalStateException when it does not exist
   */
  public HasMetadata get() {
    HasMetadata w = resource().get();
    if (w == null) {
      throw new IllegalStateException(describe() + " does not exist: check the name, the namespace and the kubeconfig context ("
          + "kubectl get " + kind.id() + " " + name + " -n " + namespace + ")");
    }
    return w;
  }

  /**
   * @param w the workload
   * @return its pod template
   */
  public static PodTemplateSpec template(HasMetadata w) {
    if (w instanceof Deployment d) {
      return d.getSpec().getTemplate();
    }
    if (w instanceof StatefulSet s) {
      return s.getSpec().getTemplate();
    }
    if (w instanceof DaemonSet s) {
      return s.getSpec().getTemplate();
    }
    throw new IllegalArgumentException("not a workload: " + w.getKind());
  }

  /**
   * @param w the workload
   * @return its selector's match labels
   */
  public static Map<String, String> matchLabels(HasMetadata w) {
    LabelSelector s;
    if (w instanceof Deployment d) {
      s = d.getSpec().getSelector();
    } else if (w instanceof StatefulSet st) {
      s = st.getSpec().getSelector();
    } else if (w instanceof DaemonSet ds) {
      s = ds.getSpec().getSelector();
    } else {
      throw new IllegalArgumentException("not a workload: " + w.getKind());
    }
    return s == null || s.getMatchLabels() == null ? Map.of() : s.getMatchLabels();
  }

  /**
   * @param w the workload
   * @return whether it is a paused Deployment
   */
  public static boolean paused(HasMetadata w) {
    return w instanceof Deployment d && Boolean.TRUE.equals(d.getSpec().getPaused());
  }

  /**
   * The revisions of the workload, oldest first: owned ReplicaSets with a revision annotation, or
   * owned ControllerRevisions.
   *
   * @param w the workload
   * @return its history
   */
  public List<HistoryEntry> history(HasMetadata w) {
    String uid = w.getMetadata().getUid();
    Map<String, String> labels = matchLabels(w);
    List<HistoryEntry> out = new ArrayList<>();
    if (kind == WorkloadKind.DEPLOYMENT) {
      for (ReplicaSet rs : client.apps().replicaSets().inNamespace(namespace).withLabels(labels).list().getItems()) {
        if (!ownedBy(rs, uid)) {
          continue;
        }
        String rev = annotation(rs, REVISION);
        if (rev == null) {
          continue;
        }
        long revision;
        try {
          revision = Long.parseLong(rev.trim());
        } catch (NumberFormatException e) {
          continue; // kubectl skips ReplicaSets whose revision is not a number, too
        }
        out.add(new HistoryEntry(revision, rs.getMetadata().getName(), rs.getMetadata().getUid(), rs.getSpec().getTemplate(),
            rs.getMetadata().getAnnotations() == null ? Map.of() : rs.getMetadata().getAnnotations(),
            created(rs), Templates.tree(json(), rs.getSpec().getTemplate())));
      }
    } else {
      for (ControllerRevision cr : client.apps().controllerRevisions().inNamespace(namespace).withLabels(labels).list().getItems()) {
        if (!ownedBy(cr, uid) || cr.getRevision() == null) {
          continue;
        }
        PodTemplateSpec t = templateOf(cr);
        if (t == null) {
          continue;
        }
        out.add(new HistoryEntry(cr.getRevision(), cr.getMetadata().getName(), cr.getMetadata().getUid(), t,
            cr.getMetadata().getAnnotations() == null ? Map.of() : cr.getMetadata().getAnnotations(), created(cr),
            Templates.tree(json(), t)));
      }
    }
    out.sort(Comparator.comparingLong(HistoryEntry::revision));
    return out;
  }

  /**
   * @param cr a ControllerRevision of a StatefulSet or DaemonSet
   * @return the pod template its data holds ({@code spec.template}, without {@code $patch}), or null
   */
  @SuppressWarnings("unchecked")
  public @Nullable PodTemplateSpec templateOf(ControllerRevision cr) {
    Object data = cr.getData();
    if (data instanceof RawExtension raw) {
      data = raw.getValue();
    }
    if (data == null) {
      return null;
    }
    Map<String, Object> tree = data instanceof String s ? json().unmarshal(s, Map.class) : json().convertValue(data, Map.class);
    if (!(tree.get("spec") instanceof Map<?, ?> spec) || !(spec.get("template") instanceof Map<?, ?> template)) {
      return null;
    }
    Map<String, Object> t = new java.util.LinkedHashMap<>((Map<String, Object>) template);
    t.remove("$patch");
    return json().convertValue(t, PodTemplateSpec.class);
  }

  /**
   * Sends a JSON Patch (RFC 6902), which every API server and the mock apply alike.
   *
   * @param ops the operations
   * @return the workload after the patch
   */
  public HasMetadata patch(List<Map<String, Object>> ops) {
    return resource().patch(PatchContext.of(PatchType.JSON), json().asJson(ops));
  }

  /**
   * Sends a JSON Patch against the workload as it was just read. fabric8 then does not fetch it
   * again before patching (one request instead of two); the operations' own {@code test}s still
   * guard against a change made in between.
   *
   * @param read the workload as read for this decision
   * @param ops the operations
   * @return the workload after the patch
   */
  public HasMetadata patch(HasMetadata read, List<Map<String, Object>> ops) {
    return client.resource(read).patch(PatchContext.of(PatchType.JSON), json().asJson(ops));
  }

  /**
   * @param w the workload as read
   * @return what {@code kubectl rollout status} would say
   */
  public RolloutState rolloutState(HasMetadata w) {
    if (w instanceof Deployment d) {
      return RolloutStatusViewer.deployment(d);
    }
    if (w instanceof StatefulSet s) {
      return RolloutStatusViewer.statefulSet(s);
    }
    if (w instanceof DaemonSet s) {
      return RolloutStatusViewer.daemonSet(s);
    }
    throw new IllegalArgumentException("not a workload: " + w.getKind());
  }

  /**
   * @param watcher what to tell of changes to this one workload
   * @return the watch; close it when done
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Watch watch(Watcher<HasMetadata> watcher) {
    return ((Resource) resource()).watch(watcher);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Resource<HasMetadata> resource() {
    switch (kind) {
      case DEPLOYMENT:
        return (Resource) client.apps().deployments().inNamespace(namespace).withName(name);
      case STATEFUL_SET:
        return (Resource) client.apps().statefulSets().inNamespace(namespace).withName(name);
      case DAEMON_SET:
        return (Resource) client.apps().daemonSets().inNamespace(namespace).withName(name);
      default:
        throw new IllegalStateException("unknown kind " + kind);
    }
  }

  /**
   * @param o an object
   * @param ownerUid a workload's uid
   * @return whether its controller owner reference points at that uid
   */
  public static boolean ownedBy(HasMetadata o, String ownerUid) {
    OwnerReference ref = KubernetesResourceUtil.getControllerUid(o);
    return ref != null && ownerUid.equals(ref.getUid());
  }

  /**
   * @param o an object
   * @param key an annotation key
   * @return the annotation, or null
   */
  public static @Nullable String annotation(HasMetadata o, String key) {
    return o.getMetadata().getAnnotations() == null ? null : o.getMetadata().getAnnotations().get(key);
  }

  private static @Nullable Instant created(HasMetadata o) {
    String t = o.getMetadata().getCreationTimestamp();
    if (t == null) {
      return null;
    }
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * One revision as stored.
   *
   * @param revision its number
   * @param source the ReplicaSet or ControllerRevision
   * @param uid the source's uid
   * @param template its pod template (a ReplicaSet's still carries {@code pod-template-hash})
   * @param annotations the source's annotations
   * @param createdAt when the source was created
   * @param tree the template as a canonical tree without {@code pod-template-hash}, for comparison
   */
  public record HistoryEntry(
      long revision, String source, String uid, PodTemplateSpec template, Map<String, String> annotations, @Nullable Instant createdAt,
      Map<String, Object> tree) {}
}
