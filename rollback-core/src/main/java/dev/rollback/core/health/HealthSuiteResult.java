package dev.rollback.core.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link HealthSuite} found: one row per endpoint, and whether all of them passed.
 *
 * @param suite the suite's name
 * @param rows one row per endpoint, in declaration order
 * @param elapsed how long the suite ran, on the run's clock
 * @since 0.1.0
 */
public record HealthSuiteResult(String suite, List<HealthSuiteRow> rows, Duration elapsed) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Checks and copies the components. */
  public HealthSuiteResult {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(elapsed, "elapsed");
    rows = List.copyOf(rows);
  }

  /** @return true when every endpoint reached its consecutive passes */
  public boolean passed() {
    return rows.stream().allMatch(HealthSuiteRow::passed);
  }

  /** @return {@code PASS} or {@code FAIL} */
  public String verdict() {
    return passed() ? "PASS" : "FAIL";
  }

  /** @return the rows of the endpoints that did not reach their consecutive passes */
  public List<HealthSuiteRow> failing() {
    List<HealthSuiteRow> out = new ArrayList<>();
    for (HealthSuiteRow r : rows) {
      if (!r.passed()) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * The table the incident report shows: a JSON array with one object per endpoint, keys in this
   * order: {@code endpoint} (string), {@code required} and {@code passes} (numbers), {@code status}
   * (number, 0 when no answer came), {@code latencyMs} (number), {@code ttfbMs} (number, or null when
   * not measured) and {@code reason} (string).
   *
   * @return the table as compact JSON
   */
  public String tableJson() {
    List<Map<String, Object>> table = new ArrayList<>();
    for (HealthSuiteRow r : rows) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("endpoint", r.endpoint());
      row.put("required", r.required());
      row.put("passes", r.passes());
      row.put("status", r.last().status());
      row.put("latencyMs", r.last().latency().toMillis());
      row.put("ttfbMs", r.last().timeToFirstByte() == null ? null : r.last().timeToFirstByte().toMillis());
      row.put("reason", r.last().reason());
      table.add(row);
    }
    try {
      return JSON.writeValueAsString(table);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the health table as JSON: " + e.getMessage(), e);
    }
  }

  /**
   * @return one line for people: "3 endpoints passed 3 consecutive checks in PT10S" or the failing
   *     endpoints with their last reasons
   */
  public String summary() {
    if (passed()) {
      return "all " + rows.size() + " endpoint" + (rows.size() == 1 ? "" : "s") + " reached their consecutive passes in " + elapsed;
    }
    List<String> parts = new ArrayList<>();
    for (HealthSuiteRow r : failing()) {
      parts.add("'" + r.endpoint() + "' " + r.passes() + "/" + r.required() + " (last: " + r.last().reason() + ")");
    }
    return "not every endpoint reached its consecutive passes within " + elapsed + ": " + String.join(", ", parts);
  }
}
