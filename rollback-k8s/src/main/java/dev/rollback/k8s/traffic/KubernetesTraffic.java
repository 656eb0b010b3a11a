package dev.rollback.k8s.traffic;

import dev.rollback.core.RollbackException;
import dev.rollback.core.traffic.TrafficRouter;
import dev.rollback.k8s.internal.TrafficHttpRouteRouter;
import dev.rollback.k8s.internal.TrafficIngressCanaryRouter;
import dev.rollback.k8s.internal.TrafficReadiness;
import dev.rollback.k8s.internal.TrafficServiceSelectorRouter;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@link TrafficRouter}s on Kubernetes. Every backend is backed by a Deployment; a router sends a
 * backend traffic only after that Deployment reports ready capacity ({@code status.readyReplicas >=
 * spec.replicas > 0} on its current generation), polling through the run's {@code
 * StepContext.await} for at most {@code readinessTimeout}, and fails with {@link
 * BackendNotReadyException} naming what it saw otherwise. Applying the split already in place
 * changes nothing.
 *
 * <pre>{@code
 * TrafficRouter blueGreen = KubernetesTraffic.serviceSelector(client, "checkout")
 *     .namespace("prod").selectorKey("track")
 *     .backend("blue", "checkout-blue").backend("green", "checkout-green")
 *     .build();
 * TrafficRouter canary = KubernetesTraffic.ingressCanary(client, "checkout-canary")
 *     .namespace("prod").stable("stable", "checkout").canary("canary", "checkout-canary")
 *     .build();
 * TrafficRouter route = KubernetesTraffic.httpRoute(client, "checkout")
 *     .namespace("prod").backend("checkout-v129", "checkout-v129").backend("checkout-v130", "checkout-v130")
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class KubernetesTraffic {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  private static final Pattern LABEL_KEY = Pattern.compile("([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

  private KubernetesTraffic() {}

  /**
   * Blue-green by a Service's selector: the selector label ({@code track} by default) names the
   * colour that gets all traffic. {@code supportsPartialWeights()} is false.
   *
   * @param client the client
   * @param service the Service's name
   * @return a builder; add at least two colours with {@link ServiceSelectorBuilder#backend}
   */
  public static ServiceSelectorBuilder serviceSelector(KubernetesClient client, String service) {
    return new ServiceSelectorBuilder(client, service);
  }

  /**
   * Weights through ingress-nginx canary annotations ({@code nginx.ingress.kubernetes.io/canary:
   * "true"}, {@code canary-weight}) on a canary Ingress beside the main one.
   *
   * @param client the client
   * @param canaryIngress the canary Ingress's name
   * @return a builder; name the stable and the canary backend
   */
  public static IngressCanaryBuilder ingressCanary(KubernetesClient client, String canaryIngress) {
    return new IngressCanaryBuilder(client, canaryIngress);
  }

  /**
   * Weights on a Gateway API {@code HTTPRoute}'s backendRefs ({@code gateway.networking.k8s.io/v1}).
   *
   * @param client the client
   * @param route the HTTPRoute's name
   * @return a builder; add each backendRef (a Service name) with its Deployment
   */
  public static HttpRouteBuilder httpRoute(KubernetesClient client, String route) {
    return new HttpRouteBuilder(client, route);
  }

  /**
   * What every Kubernetes router builder shares: namespace and readiness wait.
   *
   * @param <B> the builder's own type
   */
  public abstract static class Builder<B extends Builder<B>> {
    final @Nullable KubernetesClient client;
    final @Nullable String object;
    final String objectWhat;
    @Nullable String namespace;
    Duration readinessTimeout = Duration.ofMinutes(5);
    Duration pollInterval = Duration.ofSeconds(5);
    final List<String> problems = new ArrayList<>();

    Builder(@Nullable KubernetesClient client, @Nullable String object, String objectWhat) {
      this.client = client;
      this.object = object;
      this.objectWhat = objectWhat;
    }

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }

    /**
     * @param namespace the namespace of the routed object and the Deployments; default: the
     *     client's namespace
     * @return this builder
     */
    public B namespace(String namespace) {
      if (namespace == null || !DNS_LABEL.matcher(namespace).matches()) {
        problems.add("namespace must be a DNS label (lower-case letters, digits, '-'), but was " + quote(namespace) + ": pass e.g. \"prod\"");
      }
      this.namespace = namespace;
      return self();
    }

    /**
     * @param timeout how long to wait for a backend's ready capacity before failing; positive;
     *     default 5 minutes
     * @return this builder
     */
    public B readinessTimeout(Duration timeout) {
      if (timeout == null || timeout.isZero() || timeout.isNegative()) {
        problems.add("readinessTimeout must be positive, but was " + timeout + ": pass e.g. Duration.ofMinutes(5)");
      } else {
        this.readinessTimeout = timeout;
      }
      return self();
    }

    /**
     * @param interval the time between readiness polls; positive; default 5 seconds
     * @return this builder
     */
    public B pollInterval(Duration interval) {
      if (interval == null || interval.isZero() || interval.isNegative()) {
        problems.add("pollInterval must be positive, but was " + interval + ": pass e.g. Duration.ofSeconds(5)");
      } else {
        this.pollInterval = interval;
      }
      return self();
    }

    void checkBackend(String what, @Nullable String backend, @Nullable String deployment, Map<String, String> seen) {
      if (backend == null || backend.isBlank()) {
        problems.add(what + " name must not be blank, but was " + quote(backend));
      } else if (seen.containsKey(backend)) {
        problems.add(what + " '" + backend + "' is configured twice: give each backend once");
      }
      if (deployment == null || !DNS_SUBDOMAIN.matcher(deployment).matches()) {
        problems.add(what + " '" + backend + "' needs the name of the Deployment behind it, but was " + quote(deployment)
            + ": pass e.g. \"checkout-green\"");
      }
    }

    TrafficReadiness readiness(List<String> all) {
      if (client == null) {
        all.add("client must not be null: pass a KubernetesClient, e.g. new KubernetesClientBuilder().build()");
      }
      if (object == null || !DNS_SUBDOMAIN.matcher(object).matches()) {
        all.add(objectWhat + " must be a Kubernetes object name, but was " + quote(object) + ": pass e.g. \"checkout\"");
      }
      String ns = namespace != null ? namespace : client == null ? null : client.getNamespace();
      if (ns == null && problems.stream().noneMatch(p -> p.startsWith("namespace"))) {
        all.add("namespace is not set and the client has no default namespace: call namespace(\"prod\")");
      }
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid Kubernetes traffic router for " + objectWhat + " " + quote(object), all);
      }
      return new TrafficReadiness(Objects.requireNonNull(client), Objects.requireNonNull(ns), readinessTimeout, pollInterval);
    }
  }

  /** Builds a blue-green router on a Service's selector; see {@link #serviceSelector}. */
  public static final class ServiceSelectorBuilder extends Builder<ServiceSelectorBuilder> {
    private String selectorKey = "track";
    private final Map<String, String> colours = new LinkedHashMap<>();

    private ServiceSelectorBuilder(KubernetesClient client, String service) {
      super(client, service, "service");
    }

    /**
     * @param key the selector label whose value names the colour; default {@code track}
     * @return this builder
     */
    public ServiceSelectorBuilder selectorKey(String key) {
      if (key == null || !LABEL_KEY.matcher(key).matches()) {
        problems.add("selectorKey must be a label key, but was " + quote(key) + ": pass e.g. \"track\" or \"example.com/colour\"");
      } else {
        this.selectorKey = key;
      }
      return this;
    }

    /**
     * @param colour the selector value of a colour, e.g. {@code green}
     * @param deployment the Deployment whose pods carry that colour
     * @return this builder
     */
    public ServiceSelectorBuilder backend(String colour, String deployment) {
      checkBackend("colour", colour, deployment, colours);
      if (colour != null && !colour.isBlank() && !Pattern.matches("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?", colour)) {
        problems.add("colour '" + colour + "' is not a valid label value: use letters, digits, '-', '_', '.'");
      }
      colours.put(colour, deployment);
      return this;
    }

    /**
     * @return the router
     * @throws RollbackException listing every problem
     */
    public TrafficRouter build() {
      List<String> all = new ArrayList<>(problems);
      if (colours.size() < 2 && problems.stream().noneMatch(p -> p.startsWith("colour"))) {
        all.add("a blue-green switch needs at least two colours, but has " + colours.keySet()
            + ": call backend(\"blue\", \"checkout-blue\").backend(\"green\", \"checkout-green\")");
      }
      TrafficReadiness r = readiness(all);
      return new TrafficServiceSelectorRouter(r.client(), r.namespace(), Objects.requireNonNull(object), selectorKey, colours, r);
    }
  }

  /** Builds an ingress-nginx canary router; see {@link #ingressCanary}. */
  public static final class IngressCanaryBuilder extends Builder<IngressCanaryBuilder> {
    private @Nullable String stable;
    private @Nullable String stableDeployment;
    private @Nullable String canary;
    private @Nullable String canaryDeployment;

    private IngressCanaryBuilder(KubernetesClient client, String canaryIngress) {
      super(client, canaryIngress, "canary ingress");
    }

    /**
     * @param backend the stable backend's name (the main Ingress routes to it), e.g. {@code stable}
     * @param deployment its Deployment
     * @return this builder
     */
    public IngressCanaryBuilder stable(String backend, String deployment) {
      checkBackend("stable backend", backend, deployment, Map.of());
      this.stable = backend;
      this.stableDeployment = deployment;
      return this;
    }

    /**
     * @param backend the canary backend's name (the canary Ingress routes to it), e.g. {@code canary}
     * @param deployment its Deployment
     * @return this builder
     */
    public IngressCanaryBuilder canary(String backend, String deployment) {
      checkBackend("canary backend", backend, deployment, Map.of());
      this.canary = backend;
      this.canaryDeployment = deployment;
      return this;
    }

    /**
     * @return the router
     * @throws RollbackException listing every problem
     */
    public TrafficRouter build() {
      List<String> all = new ArrayList<>(problems);
      if (stable == null && problems.stream().noneMatch(p -> p.startsWith("stable"))) {
        all.add("stable backend is not set: call stable(\"stable\", \"checkout\")");
      }
      if (canary == null && problems.stream().noneMatch(p -> p.startsWith("canary backend"))) {
        all.add("canary backend is not set: call canary(\"canary\", \"checkout-canary\")");
      }
      if (stable != null && stable.equals(canary)) {
        all.add("stable and canary backends are both named '" + stable + "': give them different names");
      }
      TrafficReadiness r = readiness(all);
      return new TrafficIngressCanaryRouter(r.client(), r.namespace(), Objects.requireNonNull(object), Objects.requireNonNull(stable),
          Objects.requireNonNull(stableDeployment), Objects.requireNonNull(canary), Objects.requireNonNull(canaryDeployment), r);
    }
  }

  /** Builds a Gateway API HTTPRoute router; see {@link #httpRoute}. */
  public static final class HttpRouteBuilder extends Builder<HttpRouteBuilder> {
    private final Map<String, String> backends = new LinkedHashMap<>();

    private HttpRouteBuilder(KubernetesClient client, String route) {
      super(client, route, "httproute");
    }

    /**
     * @param backendRef the backendRef's name in the route's rules (a Service)
     * @param deployment the Deployment behind that Service
     * @return this builder
     */
    public HttpRouteBuilder backend(String backendRef, String deployment) {
      checkBackend("backendRef", backendRef, deployment, backends);
      backends.put(backendRef, deployment);
      return this;
    }

    /**
     * @return the router
     * @throws RollbackException listing every problem
     */
    public TrafficRouter build() {
      List<String> all = new ArrayList<>(problems);
      if (backends.isEmpty() && problems.stream().noneMatch(p -> p.startsWith("backendRef"))) {
        all.add("no backend is configured: call backend(\"checkout-v129\", \"checkout-v129\") for each backendRef of the route");
      }
      TrafficReadiness r = readiness(all);
      return new TrafficHttpRouteRouter(r.client(), r.namespace(), Objects.requireNonNull(object), backends, r);
    }
  }

  private static String quote(@Nullable String s) {
    return s == null ? "null" : "'" + s + "'";
  }
}
