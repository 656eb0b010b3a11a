package dev.rollback.core.journal;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One line of a run's journal.
 *
 * @param seq position in the run's journal, from 1
 * @param at when, on the run's clock
 * @param runId the run
 * @param type what happened
 * @param stepId the step it is about, if any
 * @param attempt the attempt it is about, 0 when none
 * @param data details (secrets masked)
 * @param facts a completed step's facts
 * @param attributes a completed step's shared attributes, as JSON text per key
 * @since 0.1.0
 */
public record JournalEntry(
    long seq,
    Instant at,
    String runId,
    JournalEntryType type,
    @Nullable String stepId,
    int attempt,
    Map<String, String> data,
    Map<String, String> facts,
    Map<String, String> attributes) {

  /** Checks and copies the components. */
  public JournalEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(type, "type");
    data = copy(data);
    facts = copy(facts);
    attributes = copy(attributes);
  }

  private static Map<String, String> copy(@Nullable Map<String, String> m) {
    return m == null || m.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  /**
   * @param key a data key
   * @return its value, or null
   */
  public @Nullable String get(String key) {
    return data.get(key);
  }
}
