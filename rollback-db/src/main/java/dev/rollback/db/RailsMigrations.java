package dev.rollback.db;

import dev.rollback.core.RollbackException;
import dev.rollback.core.database.MigrationTool;
import dev.rollback.db.internal.JdbcIdentifiers;
import dev.rollback.db.internal.RailsMigrationTool;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Rails (Active Record) as a {@link MigrationTool}: the status comes from {@code
 * schema_migrations(version)} over JDBC; going down runs {@code bin/rails db:migrate:down
 * VERSION=<v>} once per migration newer than the target, newest first, and checks after each that
 * the version left the table. {@code migrateDownTo("0", ctx)} undoes every migration.
 *
 * <pre>{@code
 * MigrationTool rails = RailsMigrations.builder()
 *     .workingDirectory(Path.of("/srv/shop/current"))
 *     .railsEnv("production")
 *     .database(ConnectionSource.of("jdbc:postgresql://db/shop", "shop", password))
 *     .timeout(Duration.ofMinutes(5))
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class RailsMigrations {
  private RailsMigrations() {}

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds the Rails tool; {@link #build()} reports every problem at once. */
  public static final class Builder extends FrameworkMigrationBuilder<Builder> {
    private List<String> rails = List.of("bin/rails");
    private String table = "schema_migrations";

    private Builder() {}

    /**
     * @param command the command that runs rails tasks; default {@code bin/rails}; e.g. {@code
     *     "bundle", "exec", "rails"}
     * @return this builder
     */
    public Builder railsCommand(String... command) {
      if (command == null || command.length == 0 || java.util.Arrays.stream(command).anyMatch(Objects::isNull) || command[0].isBlank()) {
        problems.add("railsCommand must name a program and hold no null arguments, but was "
            + (command == null ? null : java.util.Arrays.toString(command)) + ": e.g. \"bin/rails\"");
      } else {
        rails = List.of(command);
      }
      return this;
    }

    /**
     * @param env the Rails environment, set as {@code RAILS_ENV}, e.g. {@code production}
     * @return this builder
     */
    public Builder railsEnv(String env) {
      return env("RAILS_ENV", env);
    }

    /**
     * @param table the status table; default {@code schema_migrations}; may be {@code schema.table}
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
        throw RollbackException.invalid("invalid Rails migration tool", all);
      }
      return new RailsMigrationTool(rails, Objects.requireNonNull(database), table, commands("rails"));
    }
  }
}
