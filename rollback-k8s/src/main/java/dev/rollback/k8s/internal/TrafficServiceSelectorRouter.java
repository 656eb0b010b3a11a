package dev.rollback.k8s.internal;

import dev.rollback.core.StepContext;
import dev.rollback.core.traffic.TrafficRouter;
import dev.rollback.core.traffic.TrafficSplit;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Blue-green on a Service: the selector's colour label ({@code track: blue}) names the one colour
 * that receives traffic. Each colour is backed by a Deployment whose ready capacity is awaited
 * before the selector is switched to it.
 */
public final class TrafficServiceSelectorRouter implements TrafficRouter {
  private final KubernetesClient client;
  private final String namespace;
  private final String service;
  private final String selectorKey;
  private final TrafficBackends backends;
  private final TrafficReadiness readiness;

  /**
   * @param client the client
   * @param namespace the Service's namespace
   * @param service the Service's name
   * @param selectorKey the selector label that names the colour
   * @param colours colour → Deployment, in order
   * @param readiness how to wait for ready capacity
   */
  public TrafficServiceSelectorRouter(KubernetesClient client, String namespace, String service, String selectorKey,
      Map<String, String> colours, TrafficReadiness readiness) {
    this.client = client;
    this.namespace = namespace;
    this.service = service;
    this.selectorKey = selectorKey;
    this.backends = new TrafficBackends("service " + namespace + "/" + service, colours);
    this.readiness = readiness;
  }

  @Override
  public String name() {
    return backends.router();
  }

  @Override
  public boolean supportsPartialWeights() {
    return false;
  }

  @Override
  public TrafficSplit current() {
    String colour = colourOf(load());
    if (colour == null || !backends.deployments().containsKey(colour)) {
      throw new IllegalStateException(name() + ": selector " + selectorKey + "=" + colour + " names no configured colour "
          + backends.deployments().keySet() + "; fix the Service's selector or configure that colour");
    }
    Map<String, Integer> w = new LinkedHashMap<>();
    backends.deployments().keySet().forEach(c -> w.put(c, c.equals(colour) ? 100 : 0));
    return TrafficSplit.of(w);
  }

  @Override
  public void switchTo(String backend, StepContext ctx) throws Exception {
    Map<String, Integer> w = new LinkedHashMap<>();
    backends.deployments().keySet().forEach(c -> w.put(c, 0));
    w.put(backend, 100);
    apply(TrafficSplit.of(w), ctx);
  }

  @Override
  public void apply(TrafficSplit split, StepContext ctx) throws Exception {
    backends.requireKnown(split);
    backends.requireSomeTraffic(split);
    List<String> receiving = split.weights().entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList();
    if (receiving.size() != 1) {
      throw new IllegalArgumentException(name() + ": a Service selector sends all traffic to one colour, but split "
          + split.weights() + " gives traffic to " + receiving + "; use switchTo(colour), or an ingress canary or HTTPRoute router for weights");
    }
    String colour = receiving.get(0);
    if (colour.equals(colourOf(load()))) {
      ctx.record(name() + " already selects " + selectorKey + "=" + colour, facts(colour, "unchanged"));
      return;
    }
    readiness.awaitReady(name(), colour, backends.deployments().get(colour), ctx);
    Service now = load();
    String before = colourOf(now);
    PatchOperations patch = new PatchOperations();
    if (now.getSpec().getSelector() == null) {
      patch.add("/spec/selector", Map.of(selectorKey, colour));
    } else {
      String path = PatchOperations.pointer("spec", "selector", selectorKey);
      if (before != null) {
        patch.test(path, before);
      }
      patch.add(path, colour);
    }
    client.services().inNamespace(namespace).withName(service).patch(PatchContext.of(PatchType.JSON), patch.toJson());
    Map<String, String> f = facts(colour, "switched");
    f.put("from", String.valueOf(before));
    ctx.record(name() + " switched to " + selectorKey + "=" + colour, f);
  }

  private Service load() {
    Service s = client.services().inNamespace(namespace).withName(service).get();
    if (s == null) {
      throw new IllegalStateException(name() + " does not exist; create it, or fix the namespace and name given to the router");
    }
    return s;
  }

  private @Nullable String colourOf(Service s) {
    Map<String, String> selector = s.getSpec() == null ? null : s.getSpec().getSelector();
    return selector == null ? null : selector.get(selectorKey);
  }

  private Map<String, String> facts(String colour, String action) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("kind", "traffic");
    f.put("router", name());
    f.put("action", action);
    f.put("selector", selectorKey + "=" + colour);
    return f;
  }

  @Override
  public String toString() {
    return "TrafficServiceSelectorRouter[" + name() + ", " + selectorKey + " " + backends.deployments() + "]";
  }
}
