package dev.rollback.db.internal;

import dev.rollback.core.Secret;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jspecify.annotations.Nullable;

/**
 * Where the database is: a {@link DataSource}, or a JDBC URL with a user and a {@link Secret}
 * password (revealed only to the driver).
 */
public final class FlywayJdbcEndpoint {
  private final @Nullable DataSource dataSource;
  private final @Nullable String url;
  private final @Nullable String user;
  private final @Nullable Secret password;

  private FlywayJdbcEndpoint(@Nullable DataSource dataSource, @Nullable String url, @Nullable String user, @Nullable Secret password) {
    this.dataSource = dataSource;
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /**
   * @param dataSource the data source
   * @return the endpoint
   */
  public static FlywayJdbcEndpoint of(DataSource dataSource) {
    return new FlywayJdbcEndpoint(dataSource, null, null, null);
  }

  /**
   * @param url the JDBC URL
   * @param user the user, or null
   * @param password the password, or null
   * @return the endpoint
   */
  public static FlywayJdbcEndpoint of(String url, @Nullable String user, @Nullable Secret password) {
    return new FlywayJdbcEndpoint(null, url, user, password);
  }

  /**
   * @return a new connection
   * @throws SQLException when the database cannot be reached
   */
  public Connection connect() throws SQLException {
    if (dataSource != null) {
      return dataSource.getConnection();
    }
    return DriverManager.getConnection(url, user, password == null ? null : password.reveal());
  }

  /**
   * @param config a Flyway configuration
   * @return it, pointed at this database
   */
  public FluentConfiguration configure(FluentConfiguration config) {
    if (dataSource != null) {
      return config.dataSource(dataSource);
    }
    return config.dataSource(url, user, password == null ? null : password.reveal());
  }

  /** @return the URL (never a password) or the data source's class, for messages */
  @Override
  public String toString() {
    return dataSource != null ? dataSource.getClass().getSimpleName() : String.valueOf(url).replaceAll("(?i)(password=)[^&;]*", "$1" + Secret.REDACTED);
  }
}
