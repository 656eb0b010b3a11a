package dev.rollback.db.internal;

import dev.rollback.core.database.AppliedMigration;
import dev.rollback.db.ConnectionSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Node (knex or Sequelize): status from {@code knex_migrations(id, name, batch, migration_time)} or
 * {@code SequelizeMeta(name)}, undo with an npm script ({@code npm run migrate:down}), either once
 * per migration, newest first, or once with the target in its arguments ({@code --to <name>}).
 */
public final class NodeMigrationTool extends FrameworkMigrationTool {
  /** Where a per-migration argument template puts the migration's name. */
  public static final String MIGRATION = "{migration}";
  /** Where a down-to argument template puts the name of the migration to keep ({@code 0} for none). */
  public static final String TARGET = "{target}";
  /** Where a down-to argument template puts the oldest migration to undo (umzug's inclusive {@code --to}). */
  public static final String OLDEST_TO_UNDO = "{oldestToUndo}";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

  /** Which library's status table. */
  public enum Library {
    /** {@code knex_migrations(id, name, batch, migration_time)}, ordered by id. */
    KNEX,
    /** {@code SequelizeMeta(name)}, ordered by name. */
    SEQUELIZE
  }

  private final Library library;
  private final List<String> script;
  private final @Nullable List<String> perMigrationArgs;
  private final @Nullable List<String> toTargetArgs;

  /**
   * @param library knex or Sequelize
   * @param script the command that runs the down script, e.g. {@code [npm, run, migrate:down]}
   * @param perMigrationArgs arguments after {@code --} for each migration (may hold {@value
   *     #MIGRATION}), or null to go down to the target in one command
   * @param toTargetArgs arguments after {@code --} to go down to the target (hold {@value
   *     #TARGET} or {@value #OLDEST_TO_UNDO}), or null to run once per migration
   * @param database where the status table is
   * @param table the status table
   * @param commands runs the commands
   */
  public NodeMigrationTool(Library library, List<String> script, @Nullable List<String> perMigrationArgs,
      @Nullable List<String> toTargetArgs, ConnectionSource database, String table, FrameworkCommandRunner commands) {
    super(library == Library.KNEX ? "knex" : "sequelize", database, table, commands, NAME, "0");
    this.library = library;
    this.script = List.copyOf(script);
    this.perMigrationArgs = perMigrationArgs == null ? null : List.copyOf(perMigrationArgs);
    this.toTargetArgs = toTargetArgs == null ? null : List.copyOf(toTargetArgs);
  }

  @Override
  protected List<AppliedMigration> read(Connection c) throws SQLException {
    List<AppliedMigration> out = new ArrayList<>();
    String name = JdbcIdentifiers.quoted(c, "name");
    String sql = library == Library.KNEX
        ? "SELECT " + name + ", " + JdbcIdentifiers.quoted(c, "batch") + ", " + JdbcIdentifiers.quoted(c, "migration_time")
            + " FROM " + JdbcIdentifiers.quoted(c, table()) + " ORDER BY " + JdbcIdentifiers.quoted(c, "id")
        : "SELECT " + name + " FROM " + JdbcIdentifiers.quoted(c, table()) + " ORDER BY " + name;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        if (library == Library.KNEX) {
          int batch = rs.getInt(2);
          String description = rs.wasNull() ? "" : "batch " + batch;
          out.add(new AppliedMigration("", rs.getString(1), description, instant(rs, 3)));
        } else {
          out.add(new AppliedMigration("", rs.getString(1), "", null));
        }
      }
    }
    return out;
  }

  @Override
  protected @Nullable List<String> undoOne(String version) {
    if (perMigrationArgs == null) {
      return null;
    }
    return withArgs(perMigrationArgs.stream().map(a -> a.replace(MIGRATION, version)).toList());
  }

  @Override
  protected List<String> downTo(String target, List<String> toUndo) {
    if (toTargetArgs == null) {
      throw new IllegalStateException("this tool undoes one migration per command");
    }
    String oldest = toUndo.get(toUndo.size() - 1);
    return withArgs(toTargetArgs.stream().map(a -> a.replace(TARGET, target).replace(OLDEST_TO_UNDO, oldest)).toList());
  }

  private List<String> withArgs(List<String> extra) {
    List<String> args = new ArrayList<>(script);
    if (!extra.isEmpty()) {
      args.add("--");
      args.addAll(extra);
    }
    return args;
  }
}
