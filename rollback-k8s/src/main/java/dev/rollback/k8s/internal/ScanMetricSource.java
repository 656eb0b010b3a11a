package dev.rollback.k8s.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.health.MetricSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Warning events and log lines of the pods selected by labels, as a {@link MetricSource}; see
 * {@code KubernetesPodScan} for the queries. Each read lists the pods again, so pods replaced by a
 * rollout are followed.
 */
public final class ScanMetricSource implements MetricSource {
  private final KubernetesClient client;
  private final String namespace;
  private final Map<String, String> podLabels;
  private final Map<String, Pattern> patterns;
  private final Duration window;
  private final Clock clock;

  /**
   * @param client the client
   * @param namespace the pods' namespace
   * @param podLabels the label selector (equality)
   * @param patterns log patterns by name, in order
   * @param window how far back events and lines count
   * @param clock the clock the window is measured on
   */
  public ScanMetricSource(KubernetesClient client, String namespace, Map<String, String> podLabels, Map<String, Pattern> patterns,
      Duration window, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.podLabels = Map.copyOf(podLabels);
    this.patterns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(patterns));
    this.window = window;
    this.clock = clock;
  }

  @Override
  public synchronized OptionalDouble read(String query) {
    String q = query == null ? "" : query.strip();
    int colon = q.indexOf(':');
    String what = colon < 0 ? q : q.substring(0, colon);
    String arg = colon < 0 ? null : q.substring(colon + 1).strip();
    List<Pod> pods = client.pods().inNamespace(namespace).withLabels(podLabels).list().getItems();
    Instant now = clock.instant();
    Instant from = now.minus(window);
    switch (what) {
      case "pods":
        return arg == null ? OptionalDouble.of(pods.size()) : unknown(query);
      case "warning_events":
        return pods.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(warningEvents(pods, from, reasons(arg, query)));
      case "log_lines":
        return pods.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(logLines(pods, from, selected(arg, query)).matched() / minutes());
      case "log_unreadable":
        return arg == null
            ? pods.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(logLines(pods, from, patterns).unreadable())
            : unknown(query);
      default:
        return unknown(query);
    }
  }

  private double minutes() {
    return window.toMillis() / 60_000.0;
  }

  private @Nullable Set<String> reasons(@Nullable String arg, String query) {
    if (arg == null) {
      return null;
    }
    Set<String> r = Arrays.stream(arg.split(",")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    if (r.isEmpty()) {
      unknown(query);
    }
    return r;
  }

  private Map<String, Pattern> selected(@Nullable String arg, String query) {
    if (arg == null) {
      return patterns;
    }
    Pattern p = patterns.get(arg);
    if (p == null) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "pod scan query '" + query + "' names log pattern '" + arg
          + "', which is not configured; patterns: " + patterns.keySet());
    }
    return Map.of(arg, p);
  }

  private long warningEvents(List<Pod> pods, Instant from, @Nullable Set<String> reasons) {
    Map<String, String> uids = new LinkedHashMap<>();
    pods.forEach(p -> uids.put(p.getMetadata().getName(), p.getMetadata().getUid() == null ? "" : p.getMetadata().getUid()));
    long total = 0;
    for (Event e : client.v1().events().inNamespace(namespace).list().getItems()) {
      ObjectReference o = e.getInvolvedObject();
      if (!"Warning".equals(e.getType()) || o == null || !"Pod".equals(o.getKind()) || !uids.containsKey(o.getName())) {
        continue;
      }
      String uid = uids.get(o.getName());
      if (o.getUid() != null && !uid.isEmpty() && !uid.equals(o.getUid())) {
        continue; // an earlier pod of the same name
      }
      if (reasons != null && !reasons.contains(e.getReason())) {
        continue;
      }
      Instant last = lastSeen(e);
      if (last == null || last.isBefore(from)) {
        continue;
      }
      Integer count = e.getSeries() != null && e.getSeries().getCount() != null ? e.getSeries().getCount() : e.getCount();
      total += count == null || count < 1 ? 1 : count;
    }
    return total;
  }

  /**
   * When an event was last seen: the first of series.lastObservedTime, lastTimestamp, eventTime,
   * firstTimestamp and creationTimestamp that is set (newer API first; creation is the fallback).
   */
  private static @Nullable Instant lastSeen(Event e) {
    for (String ts : new String[] {
        e.getSeries() == null || e.getSeries().getLastObservedTime() == null ? null : e.getSeries().getLastObservedTime().getTime(),
        e.getLastTimestamp(), e.getEventTime() == null ? null : e.getEventTime().getTime(), e.getFirstTimestamp(),
        e.getMetadata().getCreationTimestamp()}) {
      if (ts != null && !ts.isBlank()) {
        return Instant.parse(ts);
      }
    }
    return null;
  }

  private record LogCount(long matched, long unreadable) {}

  private LogCount logLines(List<Pod> pods, Instant from, Map<String, Pattern> use) {
    long matched = 0;
    long unreadable = 0;
    int since = (int) Math.max(1, Math.min(Integer.MAX_VALUE, window.toSeconds() + 1));
    for (Pod pod : pods) {
      List<Container> containers = pod.getSpec() == null || pod.getSpec().getContainers() == null ? List.of() : pod.getSpec().getContainers();
      for (Container c : containers) {
        String log;
        try {
          log = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).inContainer(c.getName())
              .usingTimestamps().sinceSeconds(since).getLog();
        } catch (KubernetesClientException e) {
          if (e.getCode() == 400) {
            unreadable++; // the container is waiting to start (or restarting): counted, see log_unreadable
            continue;
          }
          throw new RollbackException(ErrorCode.VALIDATION_FAILED, "cannot read the log of container " + c.getName() + " of pod "
              + namespace + "/" + pod.getMetadata().getName() + " (HTTP " + e.getCode() + "): " + e.getMessage(), e);
        }
        if (log == null) {
          continue;
        }
        for (String line : log.split("\n")) {
          int space = line.indexOf(' ');
          if (space < 0) {
            continue;
          }
          Instant at;
          try {
            at = Instant.parse(line.substring(0, space));
          } catch (DateTimeParseException notStamped) {
            throw new RollbackException(ErrorCode.VALIDATION_FAILED, "log line of " + namespace + "/" + pod.getMetadata().getName() + "/"
                + c.getName() + " does not start with the timestamp the scan asked for: " + line.substring(0, Math.min(line.length(), 40)),
                notStamped);
          }
          if (at.isBefore(from)) {
            continue;
          }
          String text = line.substring(space + 1);
          if (use.values().stream().anyMatch(p -> p.matcher(text).find())) {
            matched++;
          }
        }
      }
    }
    return new LogCount(matched, unreadable);
  }

  private OptionalDouble unknown(String query) {
    throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "pod scan query '" + query + "' is unknown: use pods, warning_events, "
        + "warning_events:<Reason>[,<Reason>…] (Warning events last seen in the last " + window + "), log_lines or log_lines:<pattern> "
        + "(matching lines per minute over that window; patterns: " + patterns.keySet() + "), or log_unreadable");
  }

  @Override
  public String toString() {
    return "ScanMetricSource[" + namespace + " " + podLabels + ", window " + window + "]";
  }
}
