package dev.rollback.k8s.internal;

import dev.rollback.core.traffic.TrafficSplit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backends a Kubernetes router knows, in the order they were configured: backend name → the
 * Deployment whose ready capacity gates traffic to it.
 *
 * @param router the router's name, for messages
 * @param deployments backend → Deployment name
 */
public record TrafficBackends(String router, Map<String, String> deployments) {

  /** Copies the map, keeping its order. */
  public TrafficBackends {
    deployments = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(deployments));
  }

  /**
   * @param split a split asked for
   * @throws IllegalArgumentException naming the unknown backends and the known ones
   */
  public void requireKnown(TrafficSplit split) {
    List<String> unknown = new ArrayList<>();
    for (String b : split.weights().keySet()) {
      if (!deployments.containsKey(b)) {
        unknown.add(b);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(router + ": backend(s) " + unknown + " are not configured; known backends: "
          + deployments.keySet());
    }
  }

  /**
   * @param split a split asked for
   * @throws IllegalArgumentException when it sends no traffic anywhere
   */
  public void requireSomeTraffic(TrafficSplit split) {
    if (split.weights().values().stream().allMatch(w -> w == 0)) {
      throw new IllegalArgumentException(router + ": split " + split.weights()
          + " sends traffic nowhere; a Kubernetes route always needs a backend with weight above 0 (use maintenance mode to stop traffic)");
    }
  }

  /**
   * @param split a split asked for
   * @return every configured backend with its weight in the split (0 when absent), in configured order
   */
  public Map<String, Integer> complete(TrafficSplit split) {
    Map<String, Integer> all = new LinkedHashMap<>();
    deployments.keySet().forEach(b -> all.put(b, split.weight(b)));
    return all;
  }

  /**
   * Turns relative weights (Gateway API: any non-negative integers) into percents that add up to
   * 100, by largest remainder; all zero stays all zero.
   *
   * @param relative backend → relative weight
   * @return backend → percent
   */
  public static Map<String, Integer> percents(Map<String, Integer> relative) {
    long sum = relative.values().stream().mapToLong(Integer::longValue).sum();
    Map<String, Integer> out = new LinkedHashMap<>();
    if (sum == 0) {
      relative.keySet().forEach(k -> out.put(k, 0));
      return out;
    }
    Map<String, Double> remainders = new LinkedHashMap<>();
    int given = 0;
    for (Map.Entry<String, Integer> e : relative.entrySet()) {
      double exact = e.getValue() * 100.0 / sum;
      int floor = (int) Math.floor(exact);
      out.put(e.getKey(), floor);
      remainders.put(e.getKey(), exact - floor);
      given += floor;
    }
    List<String> byRemainder = new ArrayList<>(remainders.keySet());
    byRemainder.sort((a, b) -> Double.compare(remainders.get(b), remainders.get(a)));
    for (int i = 0; given < 100; i++, given++) {
      String k = byRemainder.get(i % byRemainder.size());
      out.put(k, out.get(k) + 1);
    }
    return out;
  }
}
