package dev.rollback.db.internal;

import dev.rollback.db.ConnectionSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates one store's tables on first use ({@code CREATE TABLE IF NOT EXISTS}), once per store
 * object. When two processes create the same table at the same moment, PostgreSQL can fail one of
 * them even with {@code IF NOT EXISTS}; the loser then checks that the table is there and goes on.
 */
final class JdbcStoreSchema {
  private static final Logger log = LoggerFactory.getLogger(JdbcStoreSchema.class);

  private final String table;
  private final List<String> ddl;
  private volatile boolean ready;

  /**
   * @param table the main table, checked after a failed create
   * @param ddl the statements, each idempotent
   */
  JdbcStoreSchema(String table, List<String> ddl) {
    this.table = table;
    this.ddl = List.copyOf(ddl);
  }

  /**
   * @param c a connection in auto-commit mode
   * @throws SQLException when the tables cannot be created and are not there
   */
  void ensure(Connection c) throws SQLException {
    if (ready) {
      return;
    }
    synchronized (this) {
      if (ready) {
        return;
      }
      try (Statement s = c.createStatement()) {
        for (String sql : ddl) {
          s.execute(sql);
        }
      } catch (SQLException e) {
        if (!exists(c)) {
          throw e;
        }
        log.debug("creating {} failed, but another process created it meanwhile: {}", table, e.toString());
      }
      ready = true;
    }
  }

  /**
   * @param source where to connect
   * @throws SQLException when the tables cannot be created
   */
  void ensure(ConnectionSource source) throws SQLException {
    if (ready) {
      return;
    }
    try (Connection c = source.open()) {
      ensure(c);
    }
  }

  private boolean exists(Connection c) {
    try (Statement s = c.createStatement()) {
      s.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0").close();
      return true;
    } catch (SQLException e) {
      return false;
    }
  }
}
