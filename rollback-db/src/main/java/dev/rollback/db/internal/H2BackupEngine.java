package dev.rollback.db.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import dev.rollback.db.BackupRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * H2 backups: {@code SCRIPT TO} (optionally gzip), verified by running the script into a scratch
 * in-memory database and finding every table, restored with {@code DROP ALL OBJECTS} and {@code
 * RUNSCRIPT FROM}. The H2 driver must be on the class path; the file is written by the database,
 * so for an H2 server it is on the server's disk.
 */
public final class H2BackupEngine implements BackupEngine {
  /** User tables; PG_CATALOG is H2's emulation of PostgreSQL's catalogue (MODE=PostgreSQL), rebuilt by H2 itself. */
  private static final String TABLES_SQL = "SELECT TABLE_SCHEMA, TABLE_NAME FROM INFORMATION_SCHEMA.TABLES "
      + "WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN ('INFORMATION_SCHEMA', 'PG_CATALOG')";
  /** URL settings that change how the script is parsed, so the scratch database must have them too. */
  private static final List<String> PARSE_SETTINGS = List.of("MODE", "DATABASE_TO_UPPER", "DATABASE_TO_LOWER",
      "CASE_INSENSITIVE_IDENTIFIERS", "NON_KEYWORDS");

  private final String url;
  private final String user;
  private final boolean gzip;

  /**
   * @param url the JDBC URL
   * @param user the user
   * @param gzip whether the script is compressed
   */
  public H2BackupEngine(String url, String user, boolean gzip) {
    this.url = url;
    this.user = user;
    this.gzip = gzip;
  }

  @Override
  public BackupRecord.DatabaseKind kind() {
    return BackupRecord.DatabaseKind.H2;
  }

  @Override
  public String describe() {
    int semi = url.indexOf(';');
    return (semi < 0 ? url : url.substring(0, semi)) + " as " + user;
  }

  @Override
  public String fileSuffix() {
    return gzip ? ".sql.gz" : ".sql";
  }

  @Override
  public BackupEstimate estimate(@Nullable Secret password) throws SQLException, IOException {
    try (Connection c = connect(url, user, password); Statement s = c.createStatement()) {
      String path;
      try (ResultSet r = s.executeQuery("SELECT DATABASE_PATH()")) {
        r.next();
        path = r.getString(1);
      }
      long bytes = 0;
      if (path != null) {
        Path file = Path.of(path + ".mv.db");
        bytes = Files.isRegularFile(file) ? Files.size(file) : 0;
      }
      String version;
      try (ResultSet r = s.executeQuery("SELECT H2VERSION()")) {
        r.next();
        version = r.getString(1);
      }
      return new BackupEstimate(bytes, tables(c).size(), version);
    }
  }

  @Override
  public BackupCheck backup(@Nullable Secret password, Path file, Duration timeout, BackupEstimate estimate) throws SQLException, IOException {
    try (Connection c = connect(url, user, password); Statement s = c.createStatement()) {
      s.setQueryTimeout(seconds(timeout));
      s.execute("SCRIPT TO " + literal(file.toString()) + compression());
    } catch (SQLException e) {
      Files.deleteIfExists(file);
      throw new RollbackException(ErrorCode.BACKUP_FAILED, "SCRIPT TO " + file + " on " + describe() + " failed: " + e.getMessage()
          + "; no backup was kept", e);
    }
    if (!Files.isRegularFile(file) || Files.size(file) == 0) {
      throw new RollbackException(ErrorCode.BACKUP_FAILED, "SCRIPT TO " + file + " on " + describe() + " left no file there: for an "
          + "H2 server, the folder must be on the server's disk");
    }
    return readBack(file, timeout, estimate);
  }

  private BackupCheck readBack(Path file, Duration timeout, BackupEstimate estimate) throws SQLException {
    String scratch = "jdbc:h2:mem:rollback-verify-" + UUID.randomUUID() + parseSettings();
    try (Connection c = DriverManager.getConnection(scratch, "SA", ""); Statement s = c.createStatement()) {
      s.setQueryTimeout(seconds(timeout));
      try {
        s.execute("RUNSCRIPT FROM " + literal(file.toString()) + compression());
      } catch (SQLException e) {
        return new BackupCheck(false, 0, "the script does not run back into an empty database: " + e.getMessage());
      }
      List<String> found = tables(c);
      long rows = 0;
      for (String t : found) {
        try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + t)) {
          r.next();
          rows += r.getLong(1);
        }
      }
      boolean complete = found.size() >= estimate.tables();
      return new BackupCheck(complete, found.size(), "read back into a scratch database: " + found.size() + " of " + estimate.tables()
          + " table(s), " + rows + " row(s)");
    }
  }

  @Override
  public Map<String, String> restore(@Nullable Secret password, Path file, Duration timeout, int jobs) throws SQLException {
    long t0 = System.nanoTime();
    try (Connection c = connect(url, user, password); Statement s = c.createStatement()) {
      s.setQueryTimeout(seconds(timeout));
      s.execute("DROP ALL OBJECTS");
      s.execute("RUNSCRIPT FROM " + literal(file.toString()) + compression());
    } catch (SQLException e) {
      throw new RollbackException(ErrorCode.BACKUP_FAILED, "restoring " + file + " into " + describe() + " failed: " + e.getMessage()
          + "; H2 commits DDL at once, so the database may be partly restored: fix the cause and restore again", e);
    }
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("mode", "DROP ALL OBJECTS, RUNSCRIPT");
    facts.put("restoreMs", String.valueOf(Duration.ofNanos(System.nanoTime() - t0).toMillis()));
    return facts;
  }

  private String compression() {
    return gzip ? " COMPRESSION GZIP" : "";
  }

  private String parseSettings() {
    StringBuilder sb = new StringBuilder();
    String[] parts = url.split(";");
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq > 0 && PARSE_SETTINGS.contains(parts[i].substring(0, eq).trim().toUpperCase(Locale.ROOT))) {
        sb.append(';').append(parts[i].trim());
      }
    }
    return sb.toString();
  }

  private static List<String> tables(Connection c) throws SQLException {
    TreeSet<String> names = new TreeSet<>();
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(TABLES_SQL)) {
      while (r.next()) {
        names.add(JdbcIdentifiers.doubleQuoted(r.getString(1)) + "." + JdbcIdentifiers.doubleQuoted(r.getString(2)));
      }
    }
    return new ArrayList<>(names);
  }

  private static Connection connect(String url, String user, @Nullable Secret password) throws SQLException {
    return DriverManager.getConnection(url, user, password == null ? "" : password.reveal());
  }

  private static int seconds(Duration timeout) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
  }

  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
