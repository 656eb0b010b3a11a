package dev.rollback.db;

import dev.rollback.core.RollbackException;
import dev.rollback.core.database.MigrationTool;
import dev.rollback.db.internal.JdbcIdentifiers;
import dev.rollback.db.internal.NodeMigrationTool;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Node applications (knex or Sequelize) as a {@link MigrationTool}: the status comes from {@code
 * knex_migrations(id, name, batch, migration_time)} or {@code SequelizeMeta(name)} over JDBC; going
 * down runs an npm script, by default {@code npm run migrate:down} once per migration newer than the
 * target, newest first (knex's {@code migrate:down} and Sequelize's {@code db:migrate:undo} each
 * undo the newest one), or once with the target in its arguments. The target is a migration name as
 * the table stores it, or {@code 0} for none.
 *
 * <pre>{@code
 * MigrationTool knex = NodeMigrations.knex()
 *     .workingDirectory(Path.of("/srv/api"))
 *     .env("NODE_ENV", "production")
 *     .secretEnv("DATABASE_URL", databaseUrl)
 *     .database(ConnectionSource.of(dataSource))
 *     .build();
 * MigrationTool sequelize = NodeMigrations.sequelize()
 *     .script("db:rollback")
 *     .toTarget("--to", NodeMigrations.OLDEST_TO_UNDO)   // npm run db:rollback -- --to <oldest to undo>
 *     ...
 * }</pre>
 *
 * @since 0.1.0
 */
public final class NodeMigrations {
  /** In {@link Builder#perMigration} arguments: the name of the migration being undone. */
  public static final String MIGRATION = NodeMigrationTool.MIGRATION;
  /** In {@link Builder#toTarget} arguments: the migration to keep ({@code 0} for none). */
  public static final String TARGET = NodeMigrationTool.TARGET;
  /** In {@link Builder#toTarget} arguments: the oldest migration to undo (for an inclusive {@code --to}). */
  public static final String OLDEST_TO_UNDO = NodeMigrationTool.OLDEST_TO_UNDO;

  private NodeMigrations() {}

  /** @return a builder reading {@code knex_migrations} */
  public static Builder knex() {
    return new Builder(NodeMigrationTool.Library.KNEX, "knex_migrations");
  }

  /** @return a builder reading {@code SequelizeMeta} */
  public static Builder sequelize() {
    return new Builder(NodeMigrationTool.Library.SEQUELIZE, "SequelizeMeta");
  }

  /** Builds the Node tool; {@link #build()} reports every problem at once. */
  public static final class Builder extends FrameworkMigrationBuilder<Builder> {
    private final NodeMigrationTool.Library library;
    private String table;
    private List<String> npm = List.of("npm");
    private String script = "migrate:down";
    private List<String> perMigration = List.of();
    private List<String> toTarget = List.of();
    private boolean oneCommand;

    private Builder(NodeMigrationTool.Library library, String table) {
      this.library = library;
      this.table = table;
    }

    /**
     * @param command the npm executable; default {@code npm}
     * @return this builder
     */
    public Builder npmCommand(String... command) {
      if (command == null || command.length == 0 || java.util.Arrays.stream(command).anyMatch(Objects::isNull) || command[0].isBlank()) {
        problems.add("npmCommand must name a program and hold no null arguments, but was "
            + (command == null ? null : java.util.Arrays.toString(command)));
      } else {
        npm = List.of(command);
      }
      return this;
    }

    /**
     * @param script the package.json script that migrates down; default {@code migrate:down}
     * @return this builder
     */
    public Builder script(String script) {
      if (script == null || script.isBlank() || script.startsWith("-")) {
        problems.add("script must name a package.json script, not blank nor starting with '-', but was '" + script + "'");
      } else {
        this.script = script;
      }
      return this;
    }

    /**
     * Runs the script once per migration to undo, newest first (the default, with no arguments).
     *
     * @param args arguments after {@code --}; {@link #MIGRATION} is replaced by the migration's name
     * @return this builder
     */
    public Builder perMigration(String... args) {
      if (args == null || java.util.Arrays.stream(args).anyMatch(Objects::isNull)) {
        problems.add("perMigration arguments must hold no null");
      } else {
        perMigration = List.of(args);
        oneCommand = false;
      }
      return this;
    }

    /**
     * Runs the script once, down to the target.
     *
     * @param args arguments after {@code --}; must hold {@link #TARGET} or {@link #OLDEST_TO_UNDO}
     * @return this builder
     */
    public Builder toTarget(String... args) {
      if (args == null || java.util.Arrays.stream(args).anyMatch(Objects::isNull)
          || java.util.Arrays.stream(args).noneMatch(a -> a.contains(TARGET) || a.contains(OLDEST_TO_UNDO))) {
        problems.add("toTarget arguments must name the target with " + TARGET + " or " + OLDEST_TO_UNDO + ", but were "
            + (args == null ? null : java.util.Arrays.toString(args)) + ": e.g. toTarget(\"--to\", NodeMigrations.TARGET)");
      } else {
        toTarget = List.of(args);
        oneCommand = true;
      }
      return this;
    }

    /**
     * @param table the status table; default {@code knex_migrations} or {@code SequelizeMeta}; may
     *     be {@code schema.table}
     * @return this builder
     */
    public Builder table(String table) {
      String p = JdbcIdentifiers.tableProblem("table", table);
      if (p != null) {
        problems.add(p);
      } else {
        this.table = table;
      }
      return this;
    }

    /**
     * @return the tool
     * @throws RollbackException naming every problem
     */
    public MigrationTool build() {
      List<String> all = new ArrayList<>();
      checkCommon(all);
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid Node migration tool", all);
      }
      List<String> command = new ArrayList<>(npm);
      command.add("run");
      command.add(script);
      String name = library == NodeMigrationTool.Library.KNEX ? "knex" : "sequelize";
      return new NodeMigrationTool(library, command, oneCommand ? null : perMigration, oneCommand ? toTarget : null,
          Objects.requireNonNull(database), table, commands(name));
    }
  }
}
