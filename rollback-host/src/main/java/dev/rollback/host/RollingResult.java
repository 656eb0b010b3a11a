package dev.rollback.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The status table of a rolling run: one row per host, in host order. The strategy records it in
 * the run's timeline (facts {@code kind=rolling}, {@code table=<JSON of the rows>}) and returns it
 * from {@link RollingStrategy#lastResult()}.
 *
 * @param version the target version
 * @param rows one row per host
 * @since 0.1.0
 */
public record RollingResult(String version, List<RollingHostRow> rows) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Copies the rows. */
  public RollingResult {
    Objects.requireNonNull(version, "version");
    rows = List.copyOf(rows);
  }

  /** @return true when every host was switched */
  public boolean succeeded() {
    return rows.stream().allMatch(r -> r.status() == RollingStatus.SWITCHED);
  }

  /**
   * @param status a status
   * @return the rows with it
   */
  public List<RollingHostRow> withStatus(RollingStatus status) {
    return rows.stream().filter(r -> r.status() == status).toList();
  }

  /**
   * @param host {@code user@host:port}
   * @return its row
   */
  public Optional<RollingHostRow> row(String host) {
    return rows.stream().filter(r -> r.host().equals(host)).findFirst();
  }

  /** @return the rows as a JSON array of {host, batch, status, from, to, reason} */
  public String toJson() {
    try {
      return JSON.writeValueAsString(rows);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the rolling table", e);
    }
  }

  /**
   * Reads a table written by {@link #toJson()}.
   *
   * @param version the target version
   * @param json the JSON array
   * @return the result
   * @throws IllegalArgumentException when the text is not such a table
   */
  public static RollingResult fromJson(String version, String json) {
    try {
      return new RollingResult(version, List.of(JSON.readValue(json, RollingHostRow[].class)));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a rolling status table: " + e.getOriginalMessage(), e);
    }
  }

  /** @return the table as aligned text, one line per host */
  public String table() {
    StringBuilder sb = new StringBuilder(String.format("%-28s %5s  %-9s  %-12s  %-12s  %s%n", "HOST", "BATCH", "STATUS", "FROM", "TO", "REASON"));
    for (RollingHostRow r : rows) {
      sb.append(String.format("%-28s %5d  %-9s  %-12s  %-12s  %s%n", r.host(), r.batch(), r.status(), r.from(), r.to(), r.reason()));
    }
    return sb.toString();
  }
}
