package dev.rollback.db;

import dev.rollback.core.Secret;
import java.sql.SQLException;

/** One {@link PostgresTestDatabase} per IT class, reached through the public {@link ConnectionSource}. */
final class PostgresStoreDatabase {
  private PostgresStoreDatabase() {}

  static ConnectionSource source(PostgresTestDatabase pg) {
    return ConnectionSource.of(pg.jdbcUrl(), pg.user, Secret.of(pg.password));
  }

  static void close(PostgresTestDatabase pg) throws SQLException {
    if (pg != null) {
      pg.close();
    }
  }
}
