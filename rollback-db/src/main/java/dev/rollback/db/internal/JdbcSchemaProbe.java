package dev.rollback.db.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Reads tables, columns, row counts, assertion results and query latency over JDBC. */
public final class JdbcSchemaProbe {
  private JdbcSchemaProbe() {}

  /**
   * @param c a connection
   * @param schema the schema, or null for the connection's
   * @return table name (lower case) to its column names (lower case), from information_schema
   * @throws SQLException when the catalogue cannot be read
   */
  public static Map<String, Set<String>> columns(Connection c, @Nullable String schema) throws SQLException {
    String s = schema != null ? schema : c.getSchema();
    Map<String, Set<String>> out = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT table_name, column_name FROM information_schema.columns"
        + " WHERE LOWER(table_schema) = LOWER(?) ORDER BY table_name, ordinal_position")) {
      ps.setString(1, s);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1).toLowerCase(Locale.ROOT), k -> new LinkedHashSet<>())
              .add(rs.getString(2).toLowerCase(Locale.ROOT));
        }
      }
    }
    return out;
  }

  /**
   * @param c a connection
   * @param schema the schema, or null for the connection's
   * @param table a table name, in any case
   * @return its row count, or empty when the table does not exist
   * @throws SQLException when it cannot be counted
   */
  public static Optional<Long> count(Connection c, @Nullable String schema, String table) throws SQLException {
    String s = schema != null ? schema : c.getSchema();
    String actualSchema = null;
    String actual = null;
    DatabaseMetaData md = c.getMetaData();
    try (ResultSet rs = md.getTables(null, null, "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        if (rs.getString("TABLE_NAME").equalsIgnoreCase(table) && rs.getString("TABLE_SCHEM") != null
            && rs.getString("TABLE_SCHEM").equalsIgnoreCase(s)) {
          actual = rs.getString("TABLE_NAME");
          actualSchema = rs.getString("TABLE_SCHEM");
        }
      }
    }
    if (actual == null) {
      return Optional.empty();
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + JdbcIdentifiers.doubleQuoted(actualSchema) + "." + JdbcIdentifiers.doubleQuoted(actual))) {
      rs.next();
      return Optional.of(rs.getLong(1));
    }
  }

  /**
   * @param c a connection
   * @param sql a query whose first column of its first row is a boolean or a number
   * @return whether it holds: true, or a number other than zero
   * @throws SQLException when the query fails or returns no row
   */
  public static boolean holds(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      if (!rs.next()) {
        throw new SQLException("the assertion query returned no row: it must return one row whose first column is true or non-zero");
      }
      Object v = rs.getObject(1);
      if (v instanceof Boolean b) {
        return b;
      }
      if (v instanceof Number n) {
        return n.doubleValue() != 0;
      }
      throw new SQLException("the assertion query returned " + (v == null ? "NULL" : v.getClass().getSimpleName() + " " + v)
          + ": it must return a boolean or a number");
    }
  }

  /**
   * Latency of {@code SELECT 1} on one connection.
   *
   * @param p50 the median
   * @param p99 the 99th percentile (nearest rank)
   * @param max the slowest
   * @param runs how many queries
   */
  public record Latency(Duration p50, Duration p99, Duration max, int runs) {}

  /**
   * @param c a connection
   * @param runs how many queries; at least 1
   * @return the latency
   * @throws SQLException when a query fails
   */
  public static Latency latency(Connection c, int runs) throws SQLException {
    List<Long> nanos = new ArrayList<>();
    try (Statement st = c.createStatement()) {
      for (int i = 0; i < runs; i++) {
        long t0 = System.nanoTime();
        try (ResultSet rs = st.executeQuery("SELECT 1")) {
          rs.next();
        }
        nanos.add(System.nanoTime() - t0);
      }
    }
    Collections.sort(nanos);
    return new Latency(Duration.ofNanos(rank(nanos, 0.50)), Duration.ofNanos(rank(nanos, 0.99)), Duration.ofNanos(nanos.get(nanos.size() - 1)),
        runs);
  }

  private static long rank(List<Long> sorted, double p) {
    int idx = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
  }
}
