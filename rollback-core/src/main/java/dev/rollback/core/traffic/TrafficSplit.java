package dev.rollback.core.traffic;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How traffic is shared between backends, in percent: each weight is 0–100 and together they make
 * 100 (or all are 0 when nothing receives traffic). Iteration order is the order given.
 *
 * @param weights backend name → percent
 * @since 0.1.0
 */
public record TrafficSplit(Map<String, Integer> weights) {

  /** Checks the weights and keeps their order. */
  public TrafficSplit {
    Objects.requireNonNull(weights, "weights");
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("weights: a split needs at least one backend");
    }
    int sum = 0;
    for (Map.Entry<String, Integer> e : weights.entrySet()) {
      if (e.getKey() == null || e.getKey().isBlank()) {
        throw new IllegalArgumentException("weights: a backend name is blank; name every backend");
      }
      Integer w = e.getValue();
      if (w == null || w < 0 || w > 100) {
        throw new IllegalArgumentException("weights: backend '" + e.getKey() + "' has weight " + w
            + "; use a percent from 0 to 100");
      }
      sum += w;
    }
    if (sum != 100 && sum != 0) {
      throw new IllegalArgumentException("weights: " + weights + " add up to " + sum
          + "; percents must add up to 100 (or all be 0)");
    }
    weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
  }

  /**
   * @param weights backend, percent, backend, percent, …
   * @return the split
   */
  public static TrafficSplit of(Map<String, Integer> weights) {
    return new TrafficSplit(weights);
  }

  /**
   * @param backend the backend
   * @return its percent, 0 when it is not part of the split
   */
  public int weight(String backend) {
    return weights.getOrDefault(backend, 0);
  }

  /**
   * @param backend the backend to receive everything
   * @return a split with the same backends, all traffic on {@code backend}
   */
  public TrafficSplit allTo(String backend) {
    Map<String, Integer> next = new LinkedHashMap<>();
    weights.keySet().forEach(b -> next.put(b, 0));
    next.put(backend, 100);
    return new TrafficSplit(next);
  }

  /**
   * Gives one backend a percent and shares the rest among the others in proportion to their
   * current weights (equally when they all have 0).
   *
   * @param backend the backend
   * @param percent its new percent, 0–100
   * @return the new split
   */
  public TrafficSplit withWeight(String backend, int percent) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("percent: " + percent + " for '" + backend + "'; use 0 to 100");
    }
    Map<String, Integer> others = new LinkedHashMap<>(weights);
    others.remove(backend);
    if (others.isEmpty()) {
      if (percent != 100 && percent != 0) {
        throw new IllegalArgumentException("percent: '" + backend + "' is the only backend, so it takes 0 or 100, not "
            + percent);
      }
      return new TrafficSplit(Map.of(backend, percent));
    }
    int rest = 100 - percent;
    int otherSum = others.values().stream().mapToInt(Integer::intValue).sum();
    Map<String, Integer> next = new LinkedHashMap<>();
    int given = 0;
    int i = 0;
    for (Map.Entry<String, Integer> e : others.entrySet()) {
      i++;
      int share = i == others.size()
          ? rest - given
          : (otherSum == 0 ? rest / others.size() : (int) ((long) rest * e.getValue() / otherSum));
      next.put(e.getKey(), share);
      given += share;
    }
    Map<String, Integer> ordered = new LinkedHashMap<>();
    for (String b : weights.keySet()) {
      ordered.put(b, b.equals(backend) ? percent : next.get(b));
    }
    if (!weights.containsKey(backend)) {
      ordered.put(backend, percent);
    }
    return new TrafficSplit(ordered);
  }
}
