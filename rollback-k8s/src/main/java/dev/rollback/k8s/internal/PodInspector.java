package dev.rollback.k8s.internal;

import dev.rollback.k8s.PodDiagnosis;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Tells why pods are not ready: the failing container's waiting or terminated reason, its last
 * termination, restarts, the pod's recent events (core/v1, filtered client-side by the pod's uid,
 * since field selectors on {@code involvedObject} are not served everywhere) and the tail of the
 * container's log (of its previous run when it restarted).
 */
public final class PodInspector {
  /** Waiting reasons of a container that never ran, so it has no log to read. */
  private static final Set<String> NEVER_RAN = Set.of(
      "ContainerCreating", "PodInitializing", "ImagePullBackOff", "ErrImagePull", "InvalidImageName",
      "CreateContainerConfigError", "CreateContainerError");

  private final KubernetesClient client;
  private final String namespace;
  private final int logLines;
  private final int eventsPerPod;

  /**
   * @param client the client
   * @param namespace the pods' namespace
   * @param logLines how many log lines to keep per pod
   * @param eventsPerPod how many recent events to keep per pod
   */
  public PodInspector(KubernetesClient client, String namespace, int logLines, int eventsPerPod) {
    this.client = client;
    this.namespace = namespace;
    this.logLines = logLines;
    this.eventsPerPod = eventsPerPod;
  }

  /**
   * @param pods the pods to look at
   * @param limit at most this many pods are diagnosed, the ones not ready first
   * @return a diagnosis per pod, not-ready pods first, then by name
   */
  public List<PodDiagnosis> diagnose(List<Pod> pods, int limit) {
    List<Pod> sorted = new ArrayList<>(pods);
    sorted.sort(Comparator.comparing((Pod p) -> ready(p)).thenComparing(p -> p.getMetadata().getName()));
    List<Pod> chosen = sorted.subList(0, Math.min(limit, sorted.size()));
    Map<String, List<Event>> events = chosen.stream().allMatch(PodInspector::ready) ? Map.of() : eventsByPod();
    List<PodDiagnosis> out = new ArrayList<>();
    for (Pod p : chosen) {
      out.add(diagnose(p, events));
    }
    return out;
  }

  private PodDiagnosis diagnose(Pod p, Map<String, List<Event>> events) {
    String name = p.getMetadata().getName();
    String phase = p.getStatus() == null || p.getStatus().getPhase() == null ? "Unknown" : p.getStatus().getPhase();
    boolean ready = ready(p);
    List<ContainerStatus> statuses = p.getStatus() == null || p.getStatus().getContainerStatuses() == null
        ? List.of() : p.getStatus().getContainerStatuses();
    int restarts = statuses.stream().mapToInt(s -> s.getRestartCount() == null ? 0 : s.getRestartCount()).sum();
    ContainerStatus failing = statuses.stream().filter(s -> !Boolean.TRUE.equals(s.getReady())).findFirst().orElse(null);
    if (ready || failing == null) {
      return new PodDiagnosis(name, phase, ready, "", null, null, null, restarts, List.of(), List.of());
    }
    String reason = null;
    String message = null;
    ContainerState state = failing.getState();
    if (state != null && state.getWaiting() != null) {
      reason = state.getWaiting().getReason();
      message = state.getWaiting().getMessage();
    } else if (state != null && state.getTerminated() != null) {
      reason = state.getTerminated().getReason();
      message = state.getTerminated().getMessage();
    } else if (state != null && state.getRunning() != null) {
      reason = "NotReady";
      message = "container " + failing.getName() + " runs but is not ready (readiness probe)";
    }
    String lastTermination = null;
    ContainerState last = failing.getLastState();
    if (last != null && last.getTerminated() != null) {
      lastTermination = last.getTerminated().getReason() + " (exit " + last.getTerminated().getExitCode() + ")";
    }
    List<String> podEvents = new ArrayList<>();
    for (Event e : events.getOrDefault(p.getMetadata().getUid(), events.getOrDefault(name, List.of()))) {
      podEvents.add(e.getType() + " " + e.getReason() + ": " + e.getMessage());
    }
    if (podEvents.size() > eventsPerPod) {
      podEvents = podEvents.subList(podEvents.size() - eventsPerPod, podEvents.size());
    }
    int containerRestarts = failing.getRestartCount() == null ? 0 : failing.getRestartCount();
    boolean neverRan = containerRestarts == 0 && reason != null && NEVER_RAN.contains(reason);
    List<String> log = neverRan ? List.of() : logTail(name, failing.getName(), containerRestarts > 0 && lastTermination != null);
    return new PodDiagnosis(name, phase, false, failing.getName(), reason, message, lastTermination, restarts, podEvents, log);
  }

  private List<String> logTail(String pod, String container, boolean previous) {
    try {
      var c = client.pods().inNamespace(namespace).withName(pod).inContainer(container);
      String text = previous ? c.terminated().tailingLines(logLines).getLog() : c.tailingLines(logLines).getLog();
      if (text == null || text.isEmpty()) {
        return List.of();
      }
      List<String> lines = Arrays.asList(text.split("\\r?\\n"));
      return lines.size() > logLines ? lines.subList(lines.size() - logLines, lines.size()) : lines;
    } catch (KubernetesClientException e) {
      return List.of("(log of " + pod + "/" + container + (previous ? " (previous run)" : "") + " unavailable: HTTP " + e.getCode()
          + " " + e.getMessage() + ")");
    }
  }

  private Map<String, List<Event>> eventsByPod() {
    Map<String, List<Event>> out = new HashMap<>();
    for (Event e : client.v1().events().inNamespace(namespace).list().getItems()) {
      if (e.getInvolvedObject() == null || !"Pod".equals(e.getInvolvedObject().getKind())) {
        continue;
      }
      String key = e.getInvolvedObject().getUid() != null ? e.getInvolvedObject().getUid() : e.getInvolvedObject().getName();
      out.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
    }
    for (List<Event> list : out.values()) {
      list.sort(Comparator.comparing(PodInspector::when));
    }
    return out;
  }

  private static String when(Event e) {
    String t = e.getLastTimestamp() != null ? e.getLastTimestamp() : e.getFirstTimestamp();
    if (t == null && e.getEventTime() != null) {
      t = e.getEventTime().getTime();
    }
    return t == null ? "" : t;
  }

  /**
   * @param p a pod
   * @return whether its Ready condition is True
   */
  public static boolean ready(@Nullable Pod p) {
    return p != null && p.getStatus() != null && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
