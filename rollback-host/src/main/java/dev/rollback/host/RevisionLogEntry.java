package dev.rollback.host;

import dev.rollback.core.RollbackException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a release layout's {@code revisions.log}: when, which version, who, what (a {@code
 * deploy} or a {@code rollback}), and details such as {@code from=v1.3.0 run=r-42}.
 *
 * <p>The line format is tab-separated: {@code <ISO instant>\t<version>\t<who>\t<action>[\t<k=v
 * k=v…>]}. Lines that do not parse are ignored when the log is read, so a hand-written note does no
 * harm.
 *
 * @param time when it happened
 * @param version the release that became current
 * @param who the person or system that did it
 * @param action {@code deploy} or {@code rollback} (other words are kept as they are)
 * @param details extra facts, in insertion order; keys and values hold no whitespace
 * @since 0.1.0
 */
public record RevisionLogEntry(Instant time, String version, String who, String action, Map<String, String> details) {

  /** Action written when a deploy made a release current. */
  public static final String DEPLOY = "deploy";

  /** Action written when a rollback made a release current. */
  public static final String ROLLBACK = "rollback";

  /** Checks and copies the components. */
  public RevisionLogEntry {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(who, "who");
    Objects.requireNonNull(action, "action");
    who = who.isBlank() ? "unknown" : who.replaceAll("\\s+", "_");
    action = action.replaceAll("\\s+", "_");
    Map<String, String> copy = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : details.entrySet()) {
      copy.put(e.getKey().replaceAll("[\\s=]+", "_"), e.getValue().replaceAll("\\s+", "_"));
    }
    details = java.util.Collections.unmodifiableMap(copy);
  }

  /**
   * @param key a detail's key
   * @return its value, if present
   */
  public Optional<String> detail(String key) {
    return Optional.ofNullable(details.get(key));
  }

  /** @return the line as written to the log, without the line break */
  public String toLine() {
    StringBuilder sb = new StringBuilder().append(time).append('\t').append(version).append('\t').append(who).append('\t').append(action);
    if (!details.isEmpty()) {
      sb.append('\t');
      boolean first = true;
      for (Map.Entry<String, String> e : details.entrySet()) {
        if (!first) {
          sb.append(' ');
        }
        sb.append(e.getKey()).append('=').append(e.getValue());
        first = false;
      }
    }
    return sb.toString();
  }

  /**
   * Parses one line of the log.
   *
   * @param line the line
   * @return the entry, or empty when the line is blank or not in the format above
   */
  public static Optional<RevisionLogEntry> parse(String line) {
    String[] parts = line.strip().split("\t");
    if (parts.length < 4) {
      return Optional.empty();
    }
    Instant time;
    try {
      time = Instant.parse(parts[0]);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
    Map<String, String> details = new LinkedHashMap<>();
    if (parts.length > 4) {
      for (String kv : parts[4].trim().split(" +")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          details.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
      }
    }
    try {
      return Optional.of(new RevisionLogEntry(time, parts[1], parts[2], parts[3], details));
    } catch (RollbackException e) {
      return Optional.empty();
    }
  }
}
