package dev.rollback.db;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import dev.rollback.db.internal.DataSourceConnectionSource;
import dev.rollback.db.internal.DriverManagerConnectionSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Where the JDBC stores and the migration status readers get their connections: a {@link
 * DataSource} (a pool, usually) or a JDBC URL with a user and a {@link Secret} password. Every
 * caller closes the connection it opened; the password is never printed.
 *
 * <pre>{@code
 * ConnectionSource db = ConnectionSource.of("jdbc:postgresql://db:5432/orders", "rollback",
 *     Secret.of(System.getenv("DB_PASSWORD")));
 * }</pre>
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ConnectionSource {

  /**
   * @return a new connection; the caller closes it
   * @throws SQLException when the database cannot be reached
   */
  Connection open() throws SQLException;

  /**
   * @param dataSource a data source, e.g. the application's pool
   * @return a source that asks it for each connection
   */
  static ConnectionSource of(DataSource dataSource) {
    if (dataSource == null) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "dataSource must not be null");
    }
    return new DataSourceConnectionSource(dataSource);
  }

  /**
   * @param url a JDBC URL, e.g. {@code jdbc:postgresql://db:5432/orders}; the driver must be on the
   *     class path
   * @param user the user
   * @param password the password, revealed only to the driver
   * @return a source that opens a connection through {@link java.sql.DriverManager} each time
   * @throws RollbackException naming every bad argument
   */
  static ConnectionSource of(String url, String user, Secret password) {
    return DriverManagerConnectionSource.create(url, user, password);
  }
}
