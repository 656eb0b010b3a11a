package dev.rollback.db;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh database on the real PostgreSQL 15 started by {@code scripts/test-services.sh start} (see
 * {@code scripts/services/postgres.sh}), found through {@code target/test-services/postgres.env}.
 * Each call to {@link #create()} makes a new, empty database owned by the {@code rollback} role, so
 * test classes never see each other's tables; {@link #close()} drops it. When the server is not
 * running, tests fail under {@code CI=true} and are skipped with a message otherwise.
 */
final class PostgresTestDatabase implements AutoCloseable {
  final String host;
  final int port;
  final String user;
  /** The {@code rollback} role's password: tests check it never leaks. */
  final String password;
  final String database;
  /** The folder holding {@code pg_dump}, {@code pg_restore} and {@code psql}. */
  final Path bin;

  private PostgresTestDatabase(Properties p, String database) {
    host = p.getProperty("PG_HOST");
    port = Integer.parseInt(p.getProperty("PG_PORT"));
    user = p.getProperty("PG_USER");
    password = p.getProperty("PG_PASSWORD");
    bin = Path.of(p.getProperty("PG_BIN"));
    this.database = database;
  }

  /** @return a new, empty database, or skips / fails the test when PostgreSQL is not running */
  static PostgresTestDatabase create() {
    Path env = locate();
    String why;
    if (env == null) {
      why = "no target/test-services/postgres.env found from " + Path.of("").toAbsolutePath();
    } else {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(env)) {
        p.load(r);
        String name = "rb_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        PostgresTestDatabase admin = new PostgresTestDatabase(p, p.getProperty("PG_DATABASE"));
        try (Connection c = admin.connect(); Statement s = c.createStatement()) {
          s.execute("CREATE DATABASE " + name);
        }
        return new PostgresTestDatabase(p, name);
      } catch (IOException | SQLException | RuntimeException e) {
        why = "the PostgreSQL server listed in " + env + " does not answer: " + e;
      }
    }
    String msg = "a real PostgreSQL is needed: run `scripts/test-services.sh start` first (" + why + ")";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(msg + " [CI=true: failing instead of skipping]");
    }
    Assumptions.abort(msg);
    throw new AssertionError("unreachable");
  }

  /** @return the JDBC URL of this database */
  String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** @return a new connection as the {@code rollback} role */
  Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), user, password);
  }

  /** Drops the database (ending the connections still open to it). */
  @Override
  public void close() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/rollback", user, password);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  private static Path locate() {
    String override = System.getenv("POSTGRES_ENV");
    if (override != null && Files.isRegularFile(Path.of(override))) {
      return Path.of(override);
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path env = dir.resolve("target/test-services/postgres.env");
      if (Files.isRegularFile(env)) {
        return env;
      }
      dir = dir.getParent();
    }
    return null;
  }
}
