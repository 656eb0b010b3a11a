package dev.rollback.db;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A checksum of every table of a database, found through {@code information_schema}: its columns
 * (name and type, in order), its row count and a digest of its rows in primary-key order. Two
 * databases with equal maps hold the same tables, columns and data.
 */
final class TableChecksums {
  private TableChecksums() {}

  /**
   * PostgreSQL: {@code md5(string_agg(t::text, E'\n' ORDER BY <primary key>))} per table, computed by
   * the server, plus every sequence's last value.
   */
  static Map<String, String> postgres(Connection c) throws SQLException {
    Map<String, String> sums = new TreeMap<>();
    for (String[] t : tables(c, "SELECT table_schema, table_name FROM information_schema.tables "
        + "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')")) {
      String table = quote(t[0]) + "." + quote(t[1]);
      List<String> pk = primaryKey(c, t[0], t[1]);
      String order = pk.isEmpty() ? "t::text" : String.join(", ", pk.stream().map(TableChecksums::quote).toList());
      try (Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY " + order + "), '')) FROM "
              + table + " t")) {
        r.next();
        sums.put(table, "columns=" + columns(c, t[0], t[1]) + " rows=" + r.getLong(1) + " md5=" + r.getString(2));
      }
    }
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT schemaname, sequencename, last_value FROM pg_sequences")) {
      while (r.next()) {
        sums.put("sequence " + r.getString(1) + "." + r.getString(2), "last_value=" + r.getString(3));
      }
    }
    return sums;
  }

  /**
   * H2: an MD5 over every row's column values in primary-key order, computed here. PG_CATALOG is left
   * out: it is H2's own emulation of PostgreSQL's catalogue under MODE=PostgreSQL, with H2's object ids.
   */
  static Map<String, String> h2(Connection c) throws SQLException {
    Map<String, String> sums = new TreeMap<>();
    for (String[] t : tables(c, "SELECT TABLE_SCHEMA, TABLE_NAME FROM INFORMATION_SCHEMA.TABLES "
        + "WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN ('INFORMATION_SCHEMA', 'PG_CATALOG')")) {
      String table = quote(t[0]) + "." + quote(t[1]);
      List<String> pk = primaryKey(c, t[0], t[1]);
      MessageDigest md5 = md5();
      long rows = 0;
      try (Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT * FROM " + table + " ORDER BY "
              + (pk.isEmpty() ? "1" : String.join(", ", pk.stream().map(TableChecksums::quote).toList())))) {
        int n = r.getMetaData().getColumnCount();
        while (r.next()) {
          rows++;
          for (int i = 1; i <= n; i++) {
            String v = r.getString(i);
            md5.update((v == null ? "\\N" : v.replace("|", "\\|")).getBytes(StandardCharsets.UTF_8));
            md5.update((byte) '|');
          }
          md5.update((byte) '\n');
        }
      }
      sums.put(table, "columns=" + columns(c, t[0], t[1]) + " rows=" + rows + " md5=" + HexFormat.of().formatHex(md5.digest()));
    }
    return sums;
  }

  private static List<String[]> tables(Connection c, String sql) throws SQLException {
    List<String[]> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        out.add(new String[] {r.getString(1), r.getString(2)});
      }
    }
    return out;
  }

  private static List<String> primaryKey(Connection c, String schema, String table) throws SQLException {
    List<String> cols = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement("SELECT k.column_name FROM information_schema.table_constraints tc "
        + "JOIN information_schema.key_column_usage k ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name "
        + "AND k.table_name = tc.table_name WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = ? AND tc.table_name = ? "
        + "ORDER BY k.ordinal_position")) {
      p.setString(1, schema);
      p.setString(2, table);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          cols.add(r.getString(1));
        }
      }
    }
    return cols;
  }

  private static String columns(Connection c, String schema, String table) throws SQLException {
    List<String> cols = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement("SELECT column_name, data_type, is_nullable FROM information_schema.columns "
        + "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
      p.setString(1, schema);
      p.setString(2, table);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          cols.add(r.getString(1) + ":" + r.getString(2) + (r.getString(3).equals("YES") ? "" : " not null"));
        }
      }
    }
    return String.join(",", cols);
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
