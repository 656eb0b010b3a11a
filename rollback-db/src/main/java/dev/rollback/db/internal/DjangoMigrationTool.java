package dev.rollback.db.internal;

import dev.rollback.core.database.AppliedMigration;
import dev.rollback.db.ConnectionSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Django: status from {@code django_migrations(id, app, name, applied)} for one app, undo with
 * {@code python manage.py migrate <app> <name>} (the migration to keep, or {@code zero}) in one
 * command.
 */
public final class DjangoMigrationTool extends FrameworkMigrationTool {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,255}");

  private final String app;
  private final List<String> manage;
  private final List<String> extraArgs;

  /**
   * @param app the Django app whose migrations are taken back
   * @param manage the command that runs manage.py, e.g. {@code [python, manage.py]}
   * @param extraArgs arguments after the target, e.g. {@code --noinput}
   * @param database where {@code django_migrations} is
   * @param table the status table
   * @param commands runs the commands
   */
  public DjangoMigrationTool(String app, List<String> manage, List<String> extraArgs, ConnectionSource database, String table,
      FrameworkCommandRunner commands) {
    super("django", database, table, commands, NAME, "zero");
    this.app = app;
    this.manage = List.copyOf(manage);
    this.extraArgs = List.copyOf(extraArgs);
  }

  @Override
  protected List<AppliedMigration> read(Connection c) throws SQLException {
    List<AppliedMigration> out = new ArrayList<>();
    String sql = "SELECT " + JdbcIdentifiers.quoted(c, "name") + ", " + JdbcIdentifiers.quoted(c, "applied") + " FROM "
        + JdbcIdentifiers.quoted(c, table()) + " WHERE " + JdbcIdentifiers.quoted(c, "app") + " = ? ORDER BY "
        + JdbcIdentifiers.quoted(c, "id");
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, app);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          @Nullable Instant applied = instant(rs, 2);
          out.add(new AppliedMigration(app, rs.getString(1), "", applied));
        }
      }
    }
    return out;
  }

  @Override
  protected @Nullable List<String> undoOne(String version) {
    return null;
  }

  @Override
  protected List<String> downTo(String target, List<String> toUndo) {
    List<String> args = new ArrayList<>(manage);
    args.add("migrate");
    args.add(app);
    args.add(target);
    args.addAll(extraArgs);
    return args;
  }
}
