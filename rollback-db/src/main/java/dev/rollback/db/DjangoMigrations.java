package dev.rollback.db;

import dev.rollback.core.RollbackException;
import dev.rollback.core.database.MigrationTool;
import dev.rollback.db.internal.DjangoMigrationTool;
import dev.rollback.db.internal.JdbcIdentifiers;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Django as a {@link MigrationTool}, for one app: the status comes from {@code
 * django_migrations(id, app, name, applied)} over JDBC (the app's rows, in the order they were
 * applied); going down runs {@code python manage.py migrate <app> <name>} once, where name is the
 * migration to keep ({@code zero} undoes all), and checks the table afterwards.
 *
 * <pre>{@code
 * MigrationTool orders = DjangoMigrations.builder("orders")
 *     .workingDirectory(Path.of("/srv/shop"))
 *     .env("DJANGO_SETTINGS_MODULE", "shop.settings.production")
 *     .database(ConnectionSource.of(dataSource))
 *     .build();
 * orders.migrateDownTo("0007_add_discount", ctx);
 * }</pre>
 *
 * @since 0.1.0
 */
public final class DjangoMigrations {
  private static final Pattern APP = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,99}");

  private DjangoMigrations() {}

  /**
   * @param app the app label, e.g. {@code orders}
   * @return a builder
   */
  public static Builder builder(String app) {
    return new Builder(app);
  }

  /** Builds the Django tool; {@link #build()} reports every problem at once. */
  public static final class Builder extends FrameworkMigrationBuilder<Builder> {
    private final String app;
    private List<String> manage = List.of("python", "manage.py");
    private List<String> extraArgs = List.of();
    private String table = "django_migrations";

    private Builder(String app) {
      this.app = app;
      if (app == null || !APP.matcher(app).matches()) {
        problems.add("app must be a Django app label (letters, digits, '_'), but was '" + app + "'");
      }
    }

    /**
     * @param command how manage.py is run; default {@code python manage.py}; e.g. {@code
     *     "/srv/shop/venv/bin/python", "manage.py"}
     * @return this builder
     */
    public Builder manageCommand(String... command) {
      if (command == null || command.length == 0 || java.util.Arrays.stream(command).anyMatch(Objects::isNull) || command[0].isBlank()) {
        problems.add("manageCommand must name a program and hold no null arguments, but was "
            + (command == null ? null : java.util.Arrays.toString(command)) + ": e.g. \"python\", \"manage.py\"");
      } else {
        manage = List.of(command);
      }
      return this;
    }

    /**
     * @param args arguments after the target, e.g. {@code --noinput}, {@code --database=replica}
     * @return this builder
     */
    public Builder extraArgs(String... args) {
      if (args == null || java.util.Arrays.stream(args).anyMatch(Objects::isNull)) {
        problems.add("extraArgs must hold no null arguments");
      } else {
        extraArgs = List.of(args);
      }
      return this;
    }

    /**
     * @param table the status table; default {@code django_migrations}; may be {@code schema.table}
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
        throw RollbackException.invalid("invalid Django migration tool", all);
      }
      return new DjangoMigrationTool(app, manage, extraArgs, Objects.requireNonNull(database), table, commands("django"));
    }
  }
}
