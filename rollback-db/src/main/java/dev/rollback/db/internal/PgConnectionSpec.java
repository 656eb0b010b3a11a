package dev.rollback.db.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where a PostgreSQL database is and how its client programs are found. Never holds the password.
 *
 * @param host host name or address
 * @param port TCP port
 * @param database database name
 * @param user role to connect as
 * @param binaries folder of {@code pg_dump} and {@code pg_restore}, or null to find them on the PATH
 */
public record PgConnectionSpec(String host, int port, String database, String user, @Nullable Path binaries) {

  /**
   * @param name {@code pg_dump} or {@code pg_restore}
   * @return the program to run: in {@link #binaries()}, or the bare name (found on the PATH)
   */
  public String program(String name) {
    return binaries == null ? name : binaries.resolve(name).toString();
  }

  /** @return the connection options every client program gets; {@code --no-password} so none ever prompts */
  public List<String> connectionArguments() {
    return List.of("--host", host, "--port", String.valueOf(port), "--username", user, "--no-password");
  }

  /** @return the JDBC URL of the database */
  public String jdbcUrl() {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return "jdbc:postgresql://" + h + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
  }

  /** @return the database for people, without a password */
  public String describe() {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
  }
}
