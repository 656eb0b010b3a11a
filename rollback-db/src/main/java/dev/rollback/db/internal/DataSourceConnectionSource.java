package dev.rollback.db.internal;

import dev.rollback.db.ConnectionSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Asks a {@link DataSource} for each connection. */
public final class DataSourceConnectionSource implements ConnectionSource {
  private final DataSource dataSource;

  /** @param dataSource the data source */
  public DataSourceConnectionSource(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public Connection open() throws SQLException {
    return dataSource.getConnection();
  }

  @Override
  public String toString() {
    return "ConnectionSource[" + dataSource.getClass().getSimpleName() + "]";
  }
}
