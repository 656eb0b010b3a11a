package dev.rollback.k8s.internal;

import dev.rollback.core.StepContext;
import dev.rollback.core.traffic.TrafficRouter;
import dev.rollback.core.traffic.TrafficSplit;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Weights through a Gateway API {@code HTTPRoute} ({@code gateway.networking.k8s.io/v1}), read and
 * patched as a generic resource so no Gateway API model is needed. Every rule that references a
 * configured backend gets the split's weights on those backendRefs; {@link #current()} reads the
 * first such rule. A backendRef without a weight counts as 1, as the Gateway API says.
 */
public final class TrafficHttpRouteRouter implements TrafficRouter {
  /** The HTTPRoute resource, without discovery (which the mock server lacks). */
  public static final ResourceDefinitionContext HTTP_ROUTE = new ResourceDefinitionContext.Builder()
      .withGroup("gateway.networking.k8s.io").withVersion("v1").withKind("HTTPRoute").withPlural("httproutes").withNamespaced(true)
      .build();

  private final KubernetesClient client;
  private final String namespace;
  private final String route;
  private final TrafficBackends backends;
  private final TrafficReadiness readiness;

  /**
   * @param client the client
   * @param namespace the namespace of the route and Deployments
   * @param route the HTTPRoute's name
   * @param backends backendRef name (a Service) → Deployment, in order
   * @param readiness how to wait for ready capacity
   */
  public TrafficHttpRouteRouter(KubernetesClient client, String namespace, String route, Map<String, String> backends,
      TrafficReadiness readiness) {
    this.client = client;
    this.namespace = namespace;
    this.route = route;
    this.backends = new TrafficBackends("httproute " + namespace + "/" + route, backends);
    this.readiness = readiness;
  }

  @Override
  public String name() {
    return backends.router();
  }

  @Override
  public TrafficSplit current() {
    List<Map<String, Object>> rules = rules(load());
    for (Map<String, Object> rule : rules) {
      List<Map<String, Object>> refs = refs(rule);
      if (refs.stream().noneMatch(r -> backends.deployments().containsKey(nameOf(r)))) {
        continue;
      }
      Map<String, Integer> relative = new LinkedHashMap<>();
      backends.deployments().keySet().forEach(b -> relative.put(b, 0));
      for (Map<String, Object> ref : refs) {
        String n = nameOf(ref);
        if (!backends.deployments().containsKey(n)) {
          throw new IllegalStateException(name() + ": a rule sends traffic to backendRef '" + n + "', which this router does not know; "
              + "configure it as a backend (known: " + backends.deployments().keySet() + ")");
        }
        relative.merge(n, weightOf(ref), Integer::sum);
      }
      return TrafficSplit.of(TrafficBackends.percents(relative));
    }
    throw new IllegalStateException(name() + " has no rule with a backendRef to " + backends.deployments().keySet());
  }

  @Override
  public void apply(TrafficSplit split, StepContext ctx) throws Exception {
    backends.requireKnown(split);
    backends.requireSomeTraffic(split);
    Map<String, Integer> want = backends.complete(split);
    if (patchFor(load(), want).isEmpty()) {
      ctx.record(name() + " already has weights " + want, facts(want, "unchanged"));
      return;
    }
    for (Map.Entry<String, Integer> e : want.entrySet()) {
      if (e.getValue() > 0) {
        readiness.awaitReady(name(), e.getKey(), backends.deployments().get(e.getKey()), ctx);
      }
    }
    PatchOperations patch = patchFor(load(), want);
    if (!patch.isEmpty()) {
      resource().patch(PatchContext.of(PatchType.JSON), patch.toJson());
    }
    ctx.record(name() + " weights set to " + want, facts(want, "weighted"));
  }

  private PatchOperations patchFor(GenericKubernetesResource r, Map<String, Integer> want) {
    PatchOperations patch = new PatchOperations();
    List<Map<String, Object>> rules = rules(r);
    boolean any = false;
    for (int i = 0; i < rules.size(); i++) {
      List<Map<String, Object>> refs = refs(rules.get(i));
      List<String> seen = new ArrayList<>();
      for (int j = 0; j < refs.size(); j++) {
        String n = nameOf(refs.get(j));
        if (!want.containsKey(n)) {
          continue;
        }
        seen.add(n);
        Object raw = refs.get(j).get("weight");
        int desired = want.get(n);
        if (raw == null || weightOf(refs.get(j)) != desired) {
          String path = PatchOperations.pointer("spec", "rules", i, "backendRefs", j, "weight");
          if (raw != null) {
            patch.test(path, raw);
          }
          patch.add(path, desired);
        }
      }
      if (seen.isEmpty()) {
        continue;
      }
      any = true;
      for (Map.Entry<String, Integer> e : want.entrySet()) {
        if (e.getValue() > 0 && !seen.contains(e.getKey())) {
          throw new IllegalStateException(name() + ": rule " + i + " has no backendRef to '" + e.getKey() + "' (it has " + seen
              + "), so it cannot send it " + e.getValue() + "%; add the backendRef (with its port) to the route first");
        }
      }
    }
    if (!any) {
      throw new IllegalStateException(name() + " has no rule with a backendRef to " + backends.deployments().keySet());
    }
    return patch;
  }

  private Resource<GenericKubernetesResource> resource() {
    return client.genericKubernetesResources(HTTP_ROUTE).inNamespace(namespace).withName(route);
  }

  private GenericKubernetesResource load() {
    GenericKubernetesResource r = resource().get();
    if (r == null) {
      throw new IllegalStateException(name() + " does not exist; create it, or fix the namespace and name given to the router");
    }
    return r;
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> rules(GenericKubernetesResource r) {
    Object spec = r.getAdditionalProperties().get("spec");
    Object rules = spec instanceof Map ? ((Map<String, Object>) spec).get("rules") : null;
    return rules instanceof List ? (List<Map<String, Object>>) rules : List.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> refs(Map<String, Object> rule) {
    Object refs = rule.get("backendRefs");
    return refs instanceof List ? (List<Map<String, Object>>) refs : List.of();
  }

  private static String nameOf(Map<String, Object> ref) {
    return String.valueOf(ref.get("name"));
  }

  private int weightOf(Map<String, Object> ref) {
    @Nullable Object w = ref.get("weight");
    if (w == null) {
      return 1;
    }
    if (w instanceof Number n) {
      return n.intValue();
    }
    throw new IllegalStateException(name() + ": backendRef '" + nameOf(ref) + "' has weight '" + w + "', not a number");
  }

  private Map<String, String> facts(Map<String, Integer> want, String action) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("kind", "traffic");
    f.put("router", name());
    f.put("action", action);
    f.put("split", want.toString());
    return f;
  }

  @Override
  public String toString() {
    return "TrafficHttpRouteRouter[" + name() + ", " + backends.deployments() + "]";
  }
}
