package dev.rollback.db.internal;

import dev.rollback.core.database.AppliedMigration;
import dev.rollback.db.ConnectionSource;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Rails (Active Record): status from {@code schema_migrations(version)}, undo with {@code bin/rails
 * db:migrate:down VERSION=<v>} once per migration, newest first.
 */
public final class RailsMigrationTool extends FrameworkMigrationTool {
  private static final Pattern VERSION = Pattern.compile("[0-9]{1,40}");

  private final List<String> rails;

  /**
   * @param rails the command that runs rails tasks, e.g. {@code [bin/rails]} or {@code [bundle, exec, rails]}
   * @param database where {@code schema_migrations} is
   * @param table the status table
   * @param commands runs the commands
   */
  public RailsMigrationTool(List<String> rails, ConnectionSource database, String table, FrameworkCommandRunner commands) {
    super("rails", database, table, commands, VERSION, "0");
    this.rails = List.copyOf(rails);
  }

  @Override
  protected List<AppliedMigration> read(Connection c) throws SQLException {
    List<String> versions = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT " + JdbcIdentifiers.quoted(c, "version") + " FROM " + JdbcIdentifiers.quoted(c, table()))) {
      while (rs.next()) {
        versions.add(rs.getString(1));
      }
    }
    // Rails orders by version, numerically: timestamps, or 001-style numbers of old applications.
    versions.sort(Comparator.comparing((String v) -> VERSION.matcher(v).matches() ? new BigInteger(v) : BigInteger.valueOf(-1))
        .thenComparing(Comparator.naturalOrder()));
    return versions.stream().map(v -> new AppliedMigration("", v, "", null)).toList();
  }

  @Override
  protected List<String> undoOne(String version) {
    List<String> args = new ArrayList<>(rails);
    args.add("db:migrate:down");
    args.add("VERSION=" + version);
    return args;
  }

  @Override
  protected List<String> downTo(String target, List<String> toUndo) {
    throw new IllegalStateException("rails undoes one migration per command");
  }
}
