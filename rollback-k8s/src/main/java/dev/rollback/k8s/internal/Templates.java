package dev.rollback.k8s.internal;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Pod templates as JSON trees: compared without controller labels, as {@code kubectl} does. */
public final class Templates {
  /** The label the Deployment controller adds to a ReplicaSet's template. */
  public static final String POD_TEMPLATE_HASH = "pod-template-hash";

  private Templates() {}

  /**
   * @param json the client's serialization
   * @param template a pod template
   * @return the template as a JSON tree, maps sorted, without the {@code pod-template-hash} label
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> tree(KubernetesSerialization json, PodTemplateSpec template) {
    Map<String, Object> tree = canonical(json.convertValue(template, Map.class));
    return withoutHashLabel(tree);
  }

  /**
   * @param tree a template tree
   * @return the tree without the {@code pod-template-hash} label (and without empty labels)
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> withoutHashLabel(Map<String, Object> tree) {
    Object meta = tree.get("metadata");
    if (!(meta instanceof Map<?, ?> m) || !(m.get("labels") instanceof Map<?, ?> labels) || !labels.containsKey(POD_TEMPLATE_HASH)) {
      return tree;
    }
    Map<String, Object> l = new TreeMap<>((Map<String, Object>) labels);
    l.remove(POD_TEMPLATE_HASH);
    Map<String, Object> mm = new TreeMap<>((Map<String, Object>) m);
    if (l.isEmpty()) {
      mm.remove("labels");
    } else {
      mm.put("labels", l);
    }
    Map<String, Object> out = new TreeMap<>(tree);
    out.put("metadata", mm);
    return out;
  }

  /**
   * @param map a JSON object
   * @return a deep copy with sorted keys, for equality checks
   */
  public static Map<String, Object> canonical(Map<?, ?> map) {
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

  /**
   * @param template a pod template
   * @return container name to image, in the template's order (init containers left out)
   */
  public static Map<String, String> images(@Nullable PodTemplateSpec template) {
    Map<String, String> out = new LinkedHashMap<>();
    if (template == null || template.getSpec() == null || template.getSpec().getContainers() == null) {
      return out;
    }
    for (Container c : template.getSpec().getContainers()) {
      out.put(c.getName(), c.getImage() == null ? "" : c.getImage());
    }
    return out;
  }

  /**
   * @param segment a JSON Pointer segment
   * @return it escaped ({@code ~} as {@code ~0}, {@code /} as {@code ~1})
   */
  public static String pointer(String segment) {
    return segment.replace("~", "~0").replace("/", "~1");
  }
}
