package dev.rollback.k8s.internal;

import dev.rollback.core.RollbackException;
import dev.rollback.core.strategy.RollbackStrategy;
import dev.rollback.core.strategy.RollbackStrategyProvider;
import dev.rollback.k8s.KubernetesRollback;
import dev.rollback.k8s.WorkloadKind;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Makes {@link KubernetesRollback} available as strategy {@code "kubernetes"}.
 *
 * <p>Settings: the workload as {@code deployment=NAME}, {@code statefulset=NAME} or {@code
 * daemonset=NAME} (or {@code kind=} and {@code name=}); {@code namespace}; {@code context} (a
 * kubeconfig context; default: the current one, or the in-cluster service account); {@code
 * container}; {@code toRevision}; {@code resumeIfPaused}, {@code updateLastAppliedConfiguration},
 * {@code rollbackByImage} ({@code true}/{@code false}); {@code image.CONTAINER=REPOSITORY};
 * {@code rolloutTimeout}, {@code pollInterval}, {@code resyncInterval} (ISO-8601 such as {@code
 * PT5M}, or seconds); {@code logLines}.
 */
public final class KubernetesRollbackProvider implements RollbackStrategyProvider {
  private static final Set<String> KNOWN = new TreeSet<>(List.of(
      "kind", "name", "deployment", "statefulset", "daemonset", "namespace", "context", "container", "toRevision",
      "resumeIfPaused", "updateLastAppliedConfiguration", "rollbackByImage", "rolloutTimeout", "pollInterval",
      "resyncInterval", "logLines"));
  private static final String IMAGE_PREFIX = "image.";

  /** Creates the provider; {@link java.util.ServiceLoader} calls it. */
  public KubernetesRollbackProvider() {}

  @Override
  public String name() {
    return KubernetesRollback.NAME;
  }

  @Override
  public RollbackStrategy create(Map<String, String> settings) {
    List<String> problems = new ArrayList<>();
    for (String key : settings.keySet()) {
      if (!KNOWN.contains(key) && !(key.startsWith(IMAGE_PREFIX) && key.length() > IMAGE_PREFIX.length())) {
        problems.add("unknown setting '" + key + "'" + suggest(key) + ": the kubernetes strategy knows " + KNOWN + " and image.<container>");
      }
    }
    WorkloadKind kind = null;
    String name = null;
    List<String> named = new ArrayList<>();
    for (WorkloadKind k : WorkloadKind.values()) {
      if (settings.containsKey(k.id())) {
        named.add(k.id());
        kind = k;
        name = settings.get(k.id());
      }
    }
    if (settings.containsKey("name") || settings.containsKey("kind")) {
      named.add("name");
      String kindText = settings.getOrDefault("kind", "deployment");
      Optional<WorkloadKind> parsed = WorkloadKind.parse(kindText);
      if (parsed.isEmpty()) {
        problems.add("setting 'kind' must be deployment, statefulset or daemonset, but was '" + kindText + "'");
      } else {
        kind = parsed.get();
      }
      name = settings.get("name");
      if (name == null) {
        problems.add("setting 'name' is required with 'kind': the workload's name, e.g. kind=statefulset, name=ledger");
      }
    }
    if (named.isEmpty()) {
      problems.add("the workload is missing: set deployment=NAME, statefulset=NAME or daemonset=NAME (or kind and name), "
          + "e.g. deployment=checkout");
    } else if (named.size() > 1) {
      problems.add("settings " + named + " each name a workload: set exactly one of deployment, statefulset, daemonset or name");
    }
    KubernetesRollback.Builder b = KubernetesRollback.of(kind == null ? WorkloadKind.DEPLOYMENT : kind, name == null ? "x" : name);
    String namespace = settings.get("namespace");
    if (namespace != null) {
      b.namespace(namespace);
    }
    if (settings.containsKey("container")) {
      b.container(settings.get("container"));
    }
    number(settings, "toRevision", problems, b::toRevision);
    number(settings, "logLines", problems, n -> b.logLines((int) Math.min(Integer.MAX_VALUE, n)));
    flag(settings, "resumeIfPaused", problems, b::resumeIfPaused);
    flag(settings, "updateLastAppliedConfiguration", problems, b::updateLastAppliedConfiguration);
    flag(settings, "rollbackByImage", problems, b::rollbackByImage);
    duration(settings, "rolloutTimeout", problems, b::rolloutTimeout);
    duration(settings, "pollInterval", problems, b::pollInterval);
    duration(settings, "resyncInterval", problems, b::resyncInterval);
    settings.forEach((k, v) -> {
      if (k.startsWith(IMAGE_PREFIX) && k.length() > IMAGE_PREFIX.length()) {
        b.image(k.substring(IMAGE_PREFIX.length()), v);
      }
    });
    KubernetesClient client = null;
    if (problems.isEmpty()) {
      try {
        client = client(settings.get("context"), problems);
      } catch (KubernetesClientException e) {
        problems.add("the Kubernetes client cannot be configured" + (settings.containsKey("context") ? " for context '"
            + settings.get("context") + "'" : "") + ": " + e.getMessage());
      }
    }
    if (client != null) {
      b.client(client);
    }
    try {
      KubernetesRollback s = b.build();
      if (problems.isEmpty()) {
        return s;
      }
    } catch (RollbackException e) {
      for (String p : e.problems()) {
        if (client != null || !p.startsWith("client must be set")) {
          problems.add(p);
        }
      }
    }
    if (client != null) {
      client.close();
    }
    throw RollbackException.invalid("invalid settings for strategy 'kubernetes'", problems);
  }

  private static @Nullable KubernetesClient client(@Nullable String context, List<String> problems) {
    if (context == null) {
      return new KubernetesClientBuilder().build();
    }
    if (context.isBlank()) {
      problems.add("setting 'context' must name a kubeconfig context, but was blank: leave it out to use the current context");
      return null;
    }
    Config config = Config.autoConfigure(context);
    NamedContext current = config.getCurrentContext();
    if (current == null || !context.equals(current.getName())) {
      List<String> names = config.getContexts() == null ? List.of() : config.getContexts().stream().map(NamedContext::getName).toList();
      problems.add("setting 'context' names '" + context + "', which the kubeconfig does not have; contexts: " + names);
      return null;
    }
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static void number(Map<String, String> settings, String key, List<String> problems, Consumer<Long> set) {
    String v = settings.get(key);
    if (v == null) {
      return;
    }
    try {
      set.accept(Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      problems.add("setting '" + key + "' must be a whole number, but was '" + v + "'");
    }
  }

  private static void flag(Map<String, String> settings, String key, List<String> problems, Consumer<Boolean> set) {
    String v = settings.get(key);
    if (v == null) {
      return;
    }
    String t = v.trim().toLowerCase(Locale.ROOT);
    if (t.equals("true") || t.equals("false")) {
      set.accept(Boolean.parseBoolean(t));
    } else {
      problems.add("setting '" + key + "' must be true or false, but was '" + v + "'");
    }
  }

  private static void duration(Map<String, String> settings, String key, List<String> problems, Consumer<Duration> set) {
    String v = settings.get(key);
    if (v == null) {
      return;
    }
    String t = v.trim();
    try {
      set.accept(t.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(t)) : Duration.parse(t));
    } catch (DateTimeParseException | NumberFormatException e) {
      problems.add("setting '" + key + "' must be ISO-8601 (PT5M) or seconds (300), but was '" + v + "'");
    }
  }

  private static String suggest(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : KNOWN) {
      int d = distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best != null && bestDistance <= Math.max(2, key.length() / 3) ? " (did you mean '" + best + "'?)" : "";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
