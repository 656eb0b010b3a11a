package dev.rollback.db.internal;

import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import dev.rollback.db.ConnectionSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Opens each connection through {@link DriverManager} with a URL, a user and a secret password. */
public final class DriverManagerConnectionSource implements ConnectionSource {
  private final String url;
  private final String user;
  private final Secret password;

  private DriverManagerConnectionSource(String url, String user, Secret password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /**
   * @param url a JDBC URL
   * @param user the user
   * @param password the password
   * @return the source
   * @throws RollbackException naming every bad argument
   */
  public static DriverManagerConnectionSource create(String url, String user, Secret password) {
    List<String> problems = new ArrayList<>();
    if (url == null || !url.startsWith("jdbc:")) {
      problems.add("url must be a JDBC URL starting with 'jdbc:', but was '" + url + "': e.g. jdbc:postgresql://db:5432/orders");
    } else if (password != null && url.contains(password.reveal())) {
      problems.add("url must not contain the password: pass it as the Secret argument only");
    }
    if (user == null || user.isBlank()) {
      problems.add("user must not be blank, but was '" + user + "'");
    }
    if (password == null) {
      problems.add("password must not be null: pass Secret.of(...)");
    }
    if (!problems.isEmpty()) {
      throw RollbackException.invalid("invalid JDBC connection settings", problems);
    }
    return new DriverManagerConnectionSource(url, user, password);
  }

  @Override
  public Connection open() throws SQLException {
    return DriverManager.getConnection(url, user, password.reveal());
  }

  @Override
  public String toString() {
    return "ConnectionSource[" + url + " as " + user + ", password " + Secret.REDACTED + "]";
  }
}
