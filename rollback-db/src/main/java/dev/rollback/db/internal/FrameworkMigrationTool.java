package dev.rollback.db.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.StepContext;
import dev.rollback.core.database.AppliedMigration;
import dev.rollback.core.database.MigrationTool;
import dev.rollback.db.ConnectionSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the Rails, Django and Node tools share: read the status table over JDBC, pick the migrations
 * newer than the target, run the framework's down command (once per migration newest first, or
 * once down to the target), and check the status table afterwards, so a command that exits 0
 * without undoing anything is caught.
 */
public abstract class FrameworkMigrationTool implements MigrationTool {
  private final String name;
  private final ConnectionSource database;
  private final String table;
  private final FrameworkCommandRunner commands;
  private final Pattern versionSyntax;
  private final String none;

  /**
   * @param name the tool's name
   * @param database where the status table is
   * @param table the status table
   * @param commands runs the commands
   * @param versionSyntax what a version given to {@link #migrateDownTo} must look like
   * @param none the target that means "undo every migration" ({@code 0}, {@code zero})
   */
  protected FrameworkMigrationTool(String name, ConnectionSource database, String table, FrameworkCommandRunner commands,
      Pattern versionSyntax, String none) {
    this.name = name;
    this.database = database;
    this.table = table;
    this.commands = commands;
    this.versionSyntax = versionSyntax;
    this.none = none;
  }

  @Override
  public final String name() {
    return name;
  }

  /** @return the status table */
  protected final String table() {
    return table;
  }

  /**
   * Reads the applied migrations from the status table.
   *
   * @param c a connection
   * @return the migrations, oldest first
   * @throws SQLException when the table cannot be read
   */
  protected abstract List<AppliedMigration> read(Connection c) throws SQLException;

  /**
   * @param version the migration to undo
   * @return the command that undoes it alone, or null when the tool goes down to a target in one
   *     command instead
   */
  protected abstract @Nullable List<String> undoOne(String version);

  /**
   * @param target the migration to keep, or the "none" target
   * @param toUndo the migrations it must undo, newest first
   * @return the command that takes the schema down to it
   */
  protected abstract List<String> downTo(String target, List<String> toUndo);

  @Override
  public final List<AppliedMigration> applied() {
    try (Connection c = database.open()) {
      return read(c);
    } catch (SQLException e) {
      throw new RollbackException(ErrorCode.MIGRATION_FAILED,
          name + ": cannot read the migration status from table " + table + " through " + database + ": " + e.getMessage(), e);
    }
  }

  @Override
  public final void migrateDownTo(String version, StepContext ctx) throws InterruptedException {
    if (version == null || !(version.equals(none) || versionSyntax.matcher(version).matches())) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION,
          name + ": cannot migrate down to '" + version + "': a version must match " + versionSyntax.pattern() + ", or be '" + none
              + "' to undo every migration");
    }
    List<AppliedMigration> applied = applied();
    int keep = -1;
    if (!version.equals(none)) {
      for (int i = 0; i < applied.size(); i++) {
        if (applied.get(i).version().equals(version)) {
          keep = i;
        }
      }
      if (keep < 0) {
        throw new RollbackException(ErrorCode.MIGRATION_FAILED,
            name + ": cannot migrate down to " + version + ": it is not applied (table " + table + " lists " + versions(applied)
                + "); give an applied migration, or '" + none + "' to undo every one");
      }
    }
    List<String> toUndo = new ArrayList<>();
    for (int i = applied.size() - 1; i > keep; i--) {
      toUndo.add(applied.get(i).version());
    }
    if (toUndo.isEmpty()) {
      ctx.record(name + ": nothing to undo, " + version + " is the newest applied migration", Map.of("tool", name, "target", version));
      return;
    }
    if (ctx.dryRun()) {
      ctx.record(name + ": would undo " + toUndo + " (newest first) down to " + version, Map.of("tool", name, "target", version));
      return;
    }
    List<String> undone = new ArrayList<>();
    if (undoOne(toUndo.get(0)) != null) {
      for (String v : toUndo) {
        ctx.throwIfCancelled();
        List<String> args = undoOne(v);
        commands.run(args, ctx, undone);
        List<String> after = versions(applied());
        if (after.contains(v)) {
          throw new RollbackException(ErrorCode.MIGRATION_FAILED,
              name + ": `" + String.join(" ", args) + "` exited 0, but table " + table + " still lists " + v
                  + (undone.isEmpty() ? "" : " (undone before it, newest first: " + undone + ")")
                  + "; check the command and the database it migrates (environment, working folder)");
        }
        undone.add(v);
      }
    } else {
      ctx.throwIfCancelled();
      List<String> args = downTo(version, toUndo);
      commands.run(args, ctx, undone);
      List<String> after = versions(applied());
      List<String> still = toUndo.stream().filter(after::contains).toList();
      if (!still.isEmpty()) {
        throw new RollbackException(ErrorCode.MIGRATION_FAILED,
            name + ": `" + String.join(" ", args) + "` exited 0, but table " + table + " still lists " + still
                + "; check the command and the database it migrates (environment, working folder)");
      }
      if (!version.equals(none) && !after.contains(version)) {
        throw new RollbackException(ErrorCode.MIGRATION_FAILED,
            name + ": `" + String.join(" ", args) + "` went too far: " + version + ", the migration to keep, is no longer listed in table "
                + table + " (it lists " + after + "); restore from the backup or re-apply it");
      }
      undone.addAll(toUndo);
    }
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("tool", name);
    facts.put("target", version);
    facts.put("undone", String.join(",", undone));
    ctx.record(name + ": undid " + undone.size() + " migration" + (undone.size() == 1 ? "" : "s") + " down to " + version, facts);
  }

  private static List<String> versions(List<AppliedMigration> applied) {
    return applied.stream().map(AppliedMigration::version).toList();
  }

  /**
   * Reads a time column whatever its type ({@code timestamp with time zone} or without, taken as
   * UTC).
   *
   * @param rs a result set on a row
   * @param column the column, from 1
   * @return the instant, or null for SQL NULL
   * @throws SQLException when the column is not a time
   */
  protected static @Nullable Instant instant(ResultSet rs, int column) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int type = md.getColumnType(column);
    if (type == Types.TIMESTAMP_WITH_TIMEZONE || "timestamptz".equalsIgnoreCase(md.getColumnTypeName(column))) {
      OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
      return t == null ? null : t.toInstant();
    }
    java.sql.Timestamp t = rs.getTimestamp(column, Calendar.getInstance(TimeZone.getTimeZone("UTC")));
    return t == null ? null : t.toInstant();
  }

  @Override
  public String toString() {
    return name + "[" + table + " via " + database + "]";
  }
}
