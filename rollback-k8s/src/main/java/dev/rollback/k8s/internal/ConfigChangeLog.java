package dev.rollback.k8s.internal;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a Kubernetes config step changed, object by object, so that its compensation (in this run or
 * in a resumed one) can put each object back from this run's snapshot. Stored under a {@link
 * dev.rollback.core.Key} and journaled as JSON: it holds names only, never data.
 *
 * @param entries the changes, in the order they were made
 */
public record ConfigChangeLog(List<Entry> entries) {

  /** Copies the list. */
  public ConfigChangeLog {
    entries = List.copyOf(entries);
  }

  /** @return an empty log */
  public static ConfigChangeLog empty() {
    return new ConfigChangeLog(List.of());
  }

  /**
   * @param entry one more change
   * @return a new log with the entry appended
   */
  public ConfigChangeLog with(Entry entry) {
    List<Entry> copy = new ArrayList<>(entries);
    copy.add(entry);
    return new ConfigChangeLog(copy);
  }

  /**
   * One changed object.
   *
   * @param kind {@code ConfigMap} or {@code Secret}
   * @param name the object's name
   * @param snapshot the name of this run's snapshot of it, or null when the step created the object
   *     (the undo is then to delete it)
   */
  public record Entry(String kind, String name, @Nullable String snapshot) {}
}
