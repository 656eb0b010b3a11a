package dev.rollback.db.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.StepContext;
import dev.rollback.db.DatabaseBackup;
import dev.rollback.db.MigrationChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Runs undo scripts and deletes the undone rows from Flyway's history table.
 *
 * <p>On PostgreSQL (transactional DDL) everything happens in one transaction that first takes
 * Flyway's own advisory lock, so a concurrent {@code flyway migrate} waits; a failing script rolls
 * the whole undo back, history included. Elsewhere (H2 commits DDL at once) each script runs in a
 * transaction of its own with its history row, and a failure stops the undo after the scripts
 * already done.
 */
public final class FlywayUndo {
  /** The base of the advisory-lock key of Flyway's PostgreSQL support. */
  static final long FLYWAY_LOCK_BASE = 77431708279161L;

  private final FlywayJdbcEndpoint endpoint;
  private final @Nullable String schema;
  private final String table;
  private final Duration lockTimeout;

  /**
   * What the undo did.
   *
   * @param transactional whether it ran in one transaction
   * @param database the database product
   * @param undone the migrations undone, newest first
   */
  public record Outcome(boolean transactional, String database, List<String> undone) {
    /** Copies the list. */
    public Outcome {
      undone = List.copyOf(undone);
    }
  }

  /**
   * @param endpoint the database
   * @param schema the history table's schema, or null for the connection's default
   * @param table the history table
   * @param lockTimeout how long to wait for Flyway's lock
   */
  public FlywayUndo(FlywayJdbcEndpoint endpoint, @Nullable String schema, String table, Duration lockTimeout) {
    this.endpoint = endpoint;
    this.schema = schema;
    this.table = table;
    this.lockTimeout = lockTimeout;
  }

  /**
   * The advisory-lock key Flyway takes on PostgreSQL for a history table.
   *
   * @param schema the schema, as Flyway names it
   * @param table the history table
   * @return the key
   */
  public static long flywayLockKey(String schema, String table) {
    return FLYWAY_LOCK_BASE + ("\"" + schema + "\".\"" + table + "\"").hashCode();
  }

  /**
   * Undoes the migrations, newest applied first.
   *
   * @param changes the migrations to undo; each has an undo script
   * @param from the running version's scripts, where the undo scripts are
   * @param ctx the run's context: waits, cancellation and the timeline
   * @return what was done
   * @throws SQLException when a script or the history cannot be changed (see the class description
   *     for what is left)
   * @throws InterruptedException when interrupted while waiting for the lock
   */
  public Outcome undo(List<MigrationChange> changes, FlywayTagScripts from, StepContext ctx) throws SQLException, InterruptedException {
    List<MigrationChange> order = new ArrayList<>(changes);
    order.sort(Comparator.comparingInt(MigrationChange::installedRank).reversed());
    try (Connection c = endpoint.connect()) {
      String product = c.getMetaData().getDatabaseProductName();
      if (schema != null) {
        c.setSchema(schema); // like Flyway: unqualified names in the scripts mean the history table's schema
      }
      String s = schema != null ? schema : c.getSchema();
      String history = JdbcIdentifiers.doubleQuoted(s) + "." + JdbcIdentifiers.doubleQuoted(table);
      boolean transactional = product.toLowerCase(Locale.ROOT).contains("postgres");
      c.setAutoCommit(false);
      List<String> undone = new ArrayList<>();
      if (transactional) {
        try {
          lock(c, s, ctx);
          for (MigrationChange m : order) {
            ctx.throwIfCancelled();
            runOne(c, m, from, history);
            undone.add(m.name());
          }
          c.commit();
          // From here the database differs from the backup: a later failure restores it.
          DatabaseBackup.markChanging(ctx);
        } catch (RollbackException e) {
          rollback(c, e);
          throw e;
        } catch (SQLException | RuntimeException e) {
          rollback(c, e);
          throw failure(e, "the undo ran in one transaction on " + product + " and was rolled back: the schema and " + history
              + " are as they were before the undo");
        }
        for (MigrationChange m : order) {
          ctx.record("undid " + m.name() + " with " + m.undoScript(), facts(m, "one transaction on " + product));
        }
      } else {
        ctx.record(product + " commits DDL at once: the undo runs script by script, each with its history row in a transaction of its"
            + " own; a failing script stops the undo after the ones already done", Map.of("kind", "migration-undo", "database", product));
        // Each script commits on its own, so the first one already changes the database.
        DatabaseBackup.markChanging(ctx);
        for (MigrationChange m : order) {
          try {
            ctx.throwIfCancelled();
            runOne(c, m, from, history);
            c.commit();
          } catch (RollbackException e) {
            rollback(c, e);
            throw e;
          } catch (SQLException | RuntimeException e) {
            rollback(c, e);
            throw failure(e, product + " commits DDL at once, so the undo ran script by script: "
                + (undone.isEmpty() ? "nothing was undone before" : "already undone: " + String.join(", ", undone))
                + "; " + m.name() + " may have left part of its DDL applied (its history row is still there): check the schema, then"
                + " repair or restore from the backup");
          }
          undone.add(m.name());
          ctx.record("undid " + m.name() + " with " + m.undoScript(), facts(m, "script by script on " + product));
        }
      }
      return new Outcome(transactional, product, undone);
    }
  }

  private void runOne(Connection c, MigrationChange m, FlywayTagScripts from, String history) throws SQLException {
    String path = m.undoScript();
    FlywayTagScripts.Script script = path == null ? null : from.scripts().stream().filter(x -> x.path().equals(path)).findFirst().orElse(null);
    if (script == null) {
      throw new SQLException("no undo script for " + m.name() + " at " + from.tag() + " (looked for U" + m.version() + "__*.sql in "
          + from.folder() + ")");
    }
    SqlStatementSplitter.Result split = SqlStatementSplitter.split(script.content());
    if (split.problem() != null) {
      throw new SQLException(path + " cannot be split into statements: " + split.problem());
    }
    try (Statement st = c.createStatement()) {
      for (SqlStatementSplitter.SqlStatement sql : split.statements()) {
        try {
          st.execute(sql.text());
        } catch (SQLException e) {
          throw new SQLException(path + " failed at line " + sql.line() + " (" + SqlRiskClassifier.excerpt(sql.text()) + "): "
              + e.getMessage(), e.getSQLState(), e);
        }
      }
    }
    try (PreparedStatement del = c.prepareStatement("DELETE FROM " + history + " WHERE \"installed_rank\" = ? AND \"version\" = ?")) {
      del.setInt(1, m.installedRank());
      del.setString(2, m.version());
      int n = del.executeUpdate();
      if (n != 1) {
        throw new SQLException("expected one row of " + m.name() + " (installed_rank " + m.installedRank() + ") in " + history
            + ", but deleted " + n + ": the history changed since the diff was read");
      }
    }
  }

  private void lock(Connection c, String s, StepContext ctx) throws SQLException, InterruptedException {
    long key = flywayLockKey(s, table);
    SQLException[] error = new SQLException[1];
    boolean got;
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
      ps.setLong(1, key);
      got = ctx.await("Flyway's lock on " + s + "." + table, () -> {
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() && rs.getBoolean(1);
        } catch (SQLException e) {
          error[0] = e;
          return true;
        }
      }, lockTimeout, Duration.ofMillis(100));
    }
    if (error[0] != null) {
      throw error[0];
    }
    if (!got) {
      throw new RollbackException(ErrorCode.LOCK_FAILURE, "Flyway's advisory lock " + key + " on " + s + "." + table + " stayed held for "
          + lockTimeout + " (a flyway migrate running?): nothing was undone; retry when it is done, or raise lockTimeout");
    }
    ctx.record("holding Flyway's advisory lock on " + s + "." + table, Map.of("kind", "migration-undo", "lockKey", String.valueOf(key)));
  }

  private static void rollback(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static SQLException failure(Exception e, String what) {
    return new SQLException("undo failed: " + e.getMessage() + "; " + what, e instanceof SQLException s ? s.getSQLState() : null, e);
  }

  private static Map<String, String> facts(MigrationChange m, String how) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("kind", "migration-undo");
    f.put("migration", m.name());
    f.put("version", String.valueOf(m.version()));
    f.put("undoScript", String.valueOf(m.undoScript()));
    f.put("how", how);
    return f;
  }

}
