package dev.rollback.k8s.internal;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The JSON Patches of an undo, built the way {@code kubectl rollout undo} builds them
 * (k8s.io/kubectl/pkg/polymorphichelpers/rollback.go): the target's template without {@code
 * pod-template-hash}, and for a Deployment the target ReplicaSet's annotations, except the ones
 * the controller owns, which keep the Deployment's own values.
 */
public final class UndoPatches {
  /** kubectl apply's record of the manifest it applied last. */
  public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  /** Annotations kubectl's undo does not copy from the ReplicaSet (annotationsToSkip). */
  public static final Set<String> SKIPPED = Set.of(
      LAST_APPLIED,
      "deployment.kubernetes.io/revision",
      "deployment.kubernetes.io/revision-history",
      "deployment.kubernetes.io/desired-replicas",
      "deployment.kubernetes.io/max-replicas",
      "deprecated.deployment.rollback.to");

  private UndoPatches() {}

  /**
   * @param workload the Deployment as read
   * @param target the ReplicaSet revision to restore
   * @param json the client's serialization
   * @param resume whether to unpause the Deployment in the same patch
   * @param lastApplied a new value for the last-applied-configuration annotation, or null to keep
   *     the Deployment's (kubectl keeps it)
   * @return the patch: guard on the revision read, replace the template, replace the annotations
   */
  public static List<Map<String, Object>> deployment(
      HasMetadata workload, WorkloadAccess.HistoryEntry target, KubernetesSerialization json, boolean resume,
      @Nullable String lastApplied) {
    Map<String, String> own = workload.getMetadata().getAnnotations() == null ? Map.of() : workload.getMetadata().getAnnotations();
    Map<String, String> annotations = annotations(own, target.annotations());
    if (lastApplied != null) {
      annotations.put(LAST_APPLIED, lastApplied);
    }
    List<Map<String, Object>> ops = new ArrayList<>();
    guardRevision(ops, own);
    ops.add(op("replace", "/spec/template", template(target, json)));
    ops.add(op(own.isEmpty() && workload.getMetadata().getAnnotations() == null ? "add" : "replace", "/metadata/annotations", annotations));
    if (resume) {
      ops.add(op("replace", "/spec/paused", false));
    }
    return ops;
  }

  /**
   * kubectl's annotation rule: the ReplicaSet's annotations, except {@link #SKIPPED}, which keep the
   * Deployment's values (absent when the Deployment has none).
   *
   * @param deployment the Deployment's annotations
   * @param replicaSet the target ReplicaSet's annotations
   * @return the Deployment's annotations after the undo
   */
  public static Map<String, String> annotations(Map<String, String> deployment, Map<String, String> replicaSet) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String k : SKIPPED) {
      String v = deployment.get(k);
      if (v != null) {
        out.put(k, v);
      }
    }
    replicaSet.forEach((k, v) -> {
      if (!SKIPPED.contains(k)) {
        out.put(k, v);
      }
    });
    return out;
  }

  /**
   * @param target a ControllerRevision's template
   * @param json the client's serialization
   * @return the patch: replace the template (what the revision's strategic-merge patch with {@code
   *     "$patch":"replace"} does, in a form every server and the mock accept)
   */
  public static List<Map<String, Object>> controllerRevision(WorkloadAccess.HistoryEntry target, KubernetesSerialization json) {
    List<Map<String, Object>> ops = new ArrayList<>();
    ops.add(op("replace", "/spec/template", template(target, json)));
    return ops;
  }

  /**
   * @param workload the workload as read
   * @param images container index to new image, with the container's name for a guard
   * @param changeCause the change cause to record
   * @return the patch: per container, a test of its name and a replace of its image; the change cause
   */
  public static List<Map<String, Object>> images(HasMetadata workload, Map<Integer, Map.Entry<String, String>> images, String changeCause) {
    List<Map<String, Object>> ops = new ArrayList<>();
    Map<String, String> own = workload.getMetadata().getAnnotations();
    guardRevision(ops, own == null ? Map.of() : own);
    images.forEach((i, nameAndImage) -> {
      ops.add(op("test", "/spec/template/spec/containers/" + i + "/name", nameAndImage.getKey()));
      ops.add(op("replace", "/spec/template/spec/containers/" + i + "/image", nameAndImage.getValue()));
    });
    if (own == null) {
      ops.add(op("add", "/metadata/annotations", Map.of(WorkloadAccess.CHANGE_CAUSE, changeCause)));
    } else {
      ops.add(op("add", "/metadata/annotations/" + Templates.pointer(WorkloadAccess.CHANGE_CAUSE), changeCause));
    }
    return ops;
  }

  /**
   * @param lastApplied the current last-applied-configuration (a JSON manifest)
   * @param target the revision restored
   * @param json the client's serialization
   * @return the manifest with {@code spec.template} replaced by the restored template
   */
  @SuppressWarnings("unchecked")
  public static String lastApplied(String lastApplied, WorkloadAccess.HistoryEntry target, KubernetesSerialization json) {
    Map<String, Object> manifest = json.unmarshal(lastApplied, LinkedHashMap.class);
    Object spec = manifest.get("spec");
    Map<String, Object> s = spec instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
    s.put("template", template(target, json));
    manifest.put("spec", s);
    return json.asJson(manifest);
  }

  /** The controller changes the revision annotation only when a new rollout starts: undo only what was read. */
  private static void guardRevision(List<Map<String, Object>> ops, Map<String, String> own) {
    String revision = own.get(WorkloadAccess.REVISION);
    if (revision != null) {
      ops.add(op("test", "/metadata/annotations/" + Templates.pointer(WorkloadAccess.REVISION), revision));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> template(WorkloadAccess.HistoryEntry target, KubernetesSerialization json) {
    return Templates.withoutHashLabel(Templates.canonical(json.convertValue(target.template(), Map.class)));
  }

  private static Map<String, Object> op(String op, String path, Object value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("op", op);
    m.put("path", path);
    m.put("value", value);
    return m;
  }
}
