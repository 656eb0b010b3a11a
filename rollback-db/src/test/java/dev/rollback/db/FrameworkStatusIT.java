package dev.rollback.db;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link FrameworkStatusContract} on the real PostgreSQL 15; every test gets its own schema. */
class FrameworkStatusIT extends FrameworkStatusContract {
  private static PostgresTestDatabase pg;
  private static int schemas;

  @BeforeAll
  static void start() {
    pg = PostgresTestDatabase.create();
  }

  @AfterAll
  static void stop() throws SQLException {
    if (pg != null) {
      pg.close();
    }
  }

  @Override
  String dialect(String postgresDdl) {
    return postgresDdl;
  }

  @Override
  ConnectionSource freshDatabase() {
    String schema = "app" + (++schemas);
    try (var c = pg.connect(); var s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    // The frameworks find their tables through the search path, as the tool does.
    return ConnectionSource.of(pg.jdbcUrl() + "?currentSchema=" + schema, pg.user, dev.rollback.core.Secret.of(pg.password));
  }
}
