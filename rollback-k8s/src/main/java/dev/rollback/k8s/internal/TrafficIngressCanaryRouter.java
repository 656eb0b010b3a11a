package dev.rollback.k8s.internal;

import dev.rollback.core.StepContext;
import dev.rollback.core.traffic.TrafficRouter;
import dev.rollback.core.traffic.TrafficSplit;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Weights through ingress-nginx's canary annotations: a canary Ingress beside the main one carries
 * {@code nginx.ingress.kubernetes.io/canary: "true"} and {@code canary-weight: "<percent>"}; the
 * main Ingress takes the rest. Two backends: stable (the main Ingress's Service) and canary.
 */
public final class TrafficIngressCanaryRouter implements TrafficRouter {
  /** Marks an Ingress as a canary. */
  public static final String CANARY = "nginx.ingress.kubernetes.io/canary";
  /** The canary's percent (of {@link #WEIGHT_TOTAL}, default 100). */
  public static final String WEIGHT = "nginx.ingress.kubernetes.io/canary-weight";
  /** The total the weight is a share of; this router supports only 100. */
  public static final String WEIGHT_TOTAL = "nginx.ingress.kubernetes.io/canary-weight-total";

  private final KubernetesClient client;
  private final String namespace;
  private final String canaryIngress;
  private final String stable;
  private final String canary;
  private final TrafficBackends backends;
  private final TrafficReadiness readiness;

  /**
   * @param client the client
   * @param namespace the namespace of the Ingresses and Deployments
   * @param canaryIngress the canary Ingress's name
   * @param stable the stable backend's name
   * @param stableDeployment its Deployment
   * @param canary the canary backend's name
   * @param canaryDeployment its Deployment
   * @param readiness how to wait for ready capacity
   */
  public TrafficIngressCanaryRouter(KubernetesClient client, String namespace, String canaryIngress, String stable, String stableDeployment,
      String canary, String canaryDeployment, TrafficReadiness readiness) {
    this.client = client;
    this.namespace = namespace;
    this.canaryIngress = canaryIngress;
    this.stable = stable;
    this.canary = canary;
    Map<String, String> b = new LinkedHashMap<>();
    b.put(stable, stableDeployment);
    b.put(canary, canaryDeployment);
    this.backends = new TrafficBackends("ingress canary " + namespace + "/" + canaryIngress, b);
    this.readiness = readiness;
  }

  @Override
  public String name() {
    return backends.router();
  }

  @Override
  public TrafficSplit current() {
    int w = canaryWeight(load());
    Map<String, Integer> split = new LinkedHashMap<>();
    split.put(stable, 100 - w);
    split.put(canary, w);
    return TrafficSplit.of(split);
  }

  @Override
  public void apply(TrafficSplit split, StepContext ctx) throws Exception {
    backends.requireKnown(split);
    backends.requireSomeTraffic(split);
    Map<String, Integer> want = backends.complete(split);
    int weight = want.get(canary);
    if (isInPlace(load(), weight)) {
      ctx.record(name() + " already sends " + weight + "% to " + canary, facts(want, "unchanged"));
      return;
    }
    for (Map.Entry<String, Integer> e : want.entrySet()) {
      if (e.getValue() > 0) {
        readiness.awaitReady(name(), e.getKey(), backends.deployments().get(e.getKey()), ctx);
      }
    }
    Ingress now = load();
    int before = canaryWeight(now);
    PatchOperations patch = new PatchOperations();
    if (now.getMetadata().getAnnotations() == null) {
      patch.add("/metadata/annotations", Map.of(CANARY, "true", WEIGHT, String.valueOf(weight)));
    } else {
      patch.add(PatchOperations.pointer("metadata", "annotations", CANARY), "true");
      patch.add(PatchOperations.pointer("metadata", "annotations", WEIGHT), String.valueOf(weight));
    }
    client.network().v1().ingresses().inNamespace(namespace).withName(canaryIngress).patch(PatchContext.of(PatchType.JSON), patch.toJson());
    Map<String, String> f = facts(want, "weighted");
    f.put("canaryWeightBefore", String.valueOf(before));
    ctx.record(name() + " sends " + weight + "% to " + canary + " (was " + before + "%)", f);
  }

  private boolean isInPlace(Ingress ing, int weight) {
    Map<String, String> a = ing.getMetadata().getAnnotations();
    return a != null && "true".equals(a.get(CANARY)) && String.valueOf(weight).equals(a.get(WEIGHT));
  }

  private int canaryWeight(Ingress ing) {
    Map<String, String> a = ing.getMetadata().getAnnotations();
    if (a == null || !"true".equals(a.get(CANARY))) {
      return 0;
    }
    String total = a.get(WEIGHT_TOTAL);
    if (total != null && !total.strip().equals("100")) {
      throw new IllegalStateException(name() + ": " + WEIGHT_TOTAL + " is " + total + "; this router works in percent, so remove the "
          + "annotation or set it to 100");
    }
    String raw = a.get(WEIGHT);
    if (raw == null) {
      return 0;
    }
    try {
      int w = Integer.parseInt(raw.strip());
      if (w < 0 || w > 100) {
        throw new IllegalStateException(name() + ": " + WEIGHT + " is " + raw + "; expected a percent from 0 to 100");
      }
      return w;
    } catch (NumberFormatException e) {
      throw new IllegalStateException(name() + ": " + WEIGHT + " is '" + raw + "', not a number; expected a percent from 0 to 100", e);
    }
  }

  private Ingress load() {
    Ingress i = client.network().v1().ingresses().inNamespace(namespace).withName(canaryIngress).get();
    if (i == null) {
      throw new IllegalStateException(name() + " does not exist; create the canary Ingress beside the main one (with "
          + CANARY + ": \"true\"), or fix the name given to the router");
    }
    return i;
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
    return "TrafficIngressCanaryRouter[" + name() + ", " + backends.deployments() + "]";
  }
}
