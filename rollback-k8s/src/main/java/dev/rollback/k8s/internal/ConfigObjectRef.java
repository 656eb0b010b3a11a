package dev.rollback.k8s.internal;

import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A ConfigMap or Secret that a pod template uses.
 *
 * @param kind {@link #CONFIG_MAP} or {@link #SECRET}
 * @param name the object's name
 * @param optional true when every reference to it is marked optional (pods start without it)
 */
public record ConfigObjectRef(String kind, String name, boolean optional) {
  /** The kind of a ConfigMap. */
  public static final String CONFIG_MAP = "ConfigMap";
  /** The kind of a Secret. */
  public static final String SECRET = "Secret";

  /** @return e.g. {@code configmap/checkout-config} */
  public String display() {
    return kind.toLowerCase(java.util.Locale.ROOT) + "/" + name;
  }

  /**
   * Finds every ConfigMap and Secret a pod spec references: {@code envFrom}, {@code env[].valueFrom}
   * (of init, regular and ephemeral containers), {@code volumes} and projected volume sources.
   *
   * @param spec the pod template's spec
   * @return the references, first seen first; an object referenced both optionally and not counts as
   *     required
   */
  public static List<ConfigObjectRef> of(@Nullable PodSpec spec) {
    Map<String, ConfigObjectRef> found = new LinkedHashMap<>();
    if (spec == null) {
      return List.of();
    }
    List<Container> containers = new ArrayList<>();
    if (spec.getInitContainers() != null) {
      containers.addAll(spec.getInitContainers());
    }
    if (spec.getContainers() != null) {
      containers.addAll(spec.getContainers());
    }
    for (Container c : containers) {
      if (c.getEnvFrom() != null) {
        for (EnvFromSource f : c.getEnvFrom()) {
          if (f.getConfigMapRef() != null) {
            add(found, CONFIG_MAP, f.getConfigMapRef().getName(), f.getConfigMapRef().getOptional());
          }
          if (f.getSecretRef() != null) {
            add(found, SECRET, f.getSecretRef().getName(), f.getSecretRef().getOptional());
          }
        }
      }
      if (c.getEnv() != null) {
        for (EnvVar e : c.getEnv()) {
          if (e.getValueFrom() == null) {
            continue;
          }
          ConfigMapKeySelector cm = e.getValueFrom().getConfigMapKeyRef();
          if (cm != null) {
            add(found, CONFIG_MAP, cm.getName(), cm.getOptional());
          }
          SecretKeySelector s = e.getValueFrom().getSecretKeyRef();
          if (s != null) {
            add(found, SECRET, s.getName(), s.getOptional());
          }
        }
      }
    }
    if (spec.getVolumes() != null) {
      for (Volume v : spec.getVolumes()) {
        if (v.getConfigMap() != null) {
          add(found, CONFIG_MAP, v.getConfigMap().getName(), v.getConfigMap().getOptional());
        }
        if (v.getSecret() != null) {
          add(found, SECRET, v.getSecret().getSecretName(), v.getSecret().getOptional());
        }
        if (v.getProjected() != null && v.getProjected().getSources() != null) {
          for (VolumeProjection p : v.getProjected().getSources()) {
            if (p.getConfigMap() != null) {
              add(found, CONFIG_MAP, p.getConfigMap().getName(), p.getConfigMap().getOptional());
            }
            if (p.getSecret() != null) {
              add(found, SECRET, p.getSecret().getName(), p.getSecret().getOptional());
            }
          }
        }
      }
    }
    return List.copyOf(found.values());
  }

  private static void add(Map<String, ConfigObjectRef> found, String kind, @Nullable String name, @Nullable Boolean optional) {
    if (name == null || name.isBlank()) {
      return;
    }
    boolean opt = Boolean.TRUE.equals(optional);
    found.merge(kind + "/" + name, new ConfigObjectRef(kind, name, opt),
        (a, b) -> new ConfigObjectRef(kind, name, a.optional() && b.optional()));
  }
}
