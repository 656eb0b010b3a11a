package dev.rollback.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A thread-safe, ordered log that several steps write to, so a test can assert the order of work
 * across steps. {@link RecordingStep} writes {@code execute:<id>} for every attempt and {@code
 * compensate:<id>} for every compensation; a runbook's own test steps may {@link #add(String)} their
 * own entries.
 *
 * <pre>{@code
 * StepLog log = new StepLog();
 * // ... run a plan whose RecordingSteps were built with .log(log) ...
 * assertThat(log.entries()).containsExactly(
 *     "execute:drain", "execute:deploy", "compensate:drain");
 * }</pre>
 *
 * @since 0.1.0
 */
public final class StepLog {
  private static final String EXECUTE = "execute:";
  private static final String COMPENSATE = "compensate:";

  private final List<String> entries = new ArrayList<>();

  /** Creates an empty log. */
  public StepLog() {}

  /**
   * Appends an entry.
   *
   * @param entry the entry, e.g. {@code "execute:drain"}
   */
  public void add(String entry) {
    Objects.requireNonNull(entry, "entry must not be null");
    synchronized (entries) {
      entries.add(entry);
    }
  }

  void executing(String stepId) {
    add(EXECUTE + stepId);
  }

  void compensating(String stepId) {
    add(COMPENSATE + stepId);
  }

  /** @return every entry, in the order they were added */
  public List<String> entries() {
    synchronized (entries) {
      return List.copyOf(entries);
    }
  }

  /** @return the step ids of the {@code execute:} entries, in order: one per attempt */
  public List<String> executed() {
    return idsAfter(EXECUTE);
  }

  /** @return the step ids of the {@code compensate:} entries, in order */
  public List<String> compensated() {
    return idsAfter(COMPENSATE);
  }

  private List<String> idsAfter(String prefix) {
    return entries().stream().filter(e -> e.startsWith(prefix)).map(e -> e.substring(prefix.length())).toList();
  }

  /** @return the entries */
  @Override
  public String toString() {
    return "StepLog" + entries();
  }
}
