package dev.rollback.db;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link JdbcRunJournalContract} on the real PostgreSQL 15. */
class JdbcRunJournalIT extends JdbcRunJournalContract {
  private static PostgresTestDatabase pg;
  private static ConnectionSource source;

  @BeforeAll
  static void start() {
    pg = PostgresTestDatabase.create();
    source = PostgresStoreDatabase.source(pg);
  }

  @AfterAll
  static void stop() throws SQLException {
    PostgresStoreDatabase.close(pg);
  }

  @Override
  ConnectionSource database() {
    return source;
  }
}
