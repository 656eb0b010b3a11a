package dev.rollback.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.RunOutcome;
import dev.rollback.core.database.AppliedMigration;
import dev.rollback.core.database.MigrationTool;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The framework tools against status tables made with the frameworks' own DDL, and a fake framework
 * (a recording process runner) that changes those tables as the real command would. Run on H2
 * ({@link FrameworkStatusH2Test}) and on the real PostgreSQL ({@link FrameworkStatusIT}).
 */
abstract class FrameworkStatusContract {
  private static final Path APP = Path.of("/srv/shop/current");

  /** @return a new, empty database for one test */
  abstract ConnectionSource freshDatabase();

  /**
   * @param postgresDdl a framework's DDL as it runs on PostgreSQL
   * @return the same table in this database's spelling
   */
  abstract String dialect(String postgresDdl);

  ConnectionSource db;

  @BeforeEach
  void newDatabase() {
    db = freshDatabase();
  }

  void sql(String statement, Object... args) throws SQLException {
    try (Connection c = db.open(); PreparedStatement ps = c.prepareStatement(statement)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      ps.execute();
    }
  }

  List<String> column(String query) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  // ---- Rails ----

  private void railsTable(String... versions) throws SQLException {
    sql(dialect(FrameworkDdl.RAILS));
    for (String v : versions) {
      sql("INSERT INTO \"schema_migrations\" (\"version\") VALUES (?)", v);
    }
  }

  /** What {@code bin/rails db:migrate:down VERSION=v} does to the status table. */
  private RecordingProcessRunner fakeRails() {
    return new RecordingProcessRunner(c -> {
      String v = c.args().get(c.args().size() - 1).substring("VERSION=".length());
      sql("DELETE FROM \"schema_migrations\" WHERE \"version\" = ?", v);
      return RecordingProcessRunner.exited(c, 0, "== " + v + " CreateThings: reverting ==\n== " + v + " reverted (0.0123s) ==");
    });
  }

  @Test
  void railsReadsSchemaMigrationsInVersionOrder() throws Exception {
    railsTable("20240210083000", "20231201090000", "20240105120000");

    MigrationTool rails = RailsMigrations.builder().workingDirectory(APP).database(db).processRunner(fakeRails()).build();

    assertThat(rails.name()).isEqualTo("rails");
    assertThat(rails.applied()).extracting(AppliedMigration::version)
        .containsExactly("20231201090000", "20240105120000", "20240210083000");
    assertThat(rails.applied()).allSatisfy(m -> {
      assertThat(m.scope()).isEmpty();
      assertThat(m.appliedAt()).isNull();
    });
  }

  @Test
  void railsMigratesDownOneVersionPerCommandNewestFirstWithItsEnvironmentFolderAndTimeout() throws Exception {
    railsTable("20231201090000", "20240105120000", "20240210083000", "20240301101500");
    RecordingProcessRunner runner = fakeRails();
    MigrationTool rails = RailsMigrations.builder()
        .workingDirectory(APP).railsEnv("production").timeout(Duration.ofMinutes(3)).database(db).processRunner(runner).build();

    StepRuns.Outcome out = StepRuns.run("shop", ctx -> rails.migrateDownTo("20240105120000", ctx));

    assertThat(out.result().outcome()).as(String.valueOf(out.result().failure())).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(runner.argLists()).containsExactly(
        List.of("bin/rails", "db:migrate:down", "VERSION=20240301101500"),
        List.of("bin/rails", "db:migrate:down", "VERSION=20240210083000"));
    assertThat(runner.commands).allSatisfy(c -> {
      assertThat(c.directory()).isEqualTo(APP);
      assertThat(c.environment()).containsExactly(java.util.Map.entry("RAILS_ENV", "production"));
      assertThat(c.timeout()).isEqualTo(Duration.ofMinutes(3));
    });
    assertThat(column("SELECT \"version\" FROM \"schema_migrations\" ORDER BY \"version\"")).containsExactly("20231201090000", "20240105120000");
    assertThat(out.result().timeline()).filteredOn(e -> "migrate-down".equals(e.stepId())).extracting(e -> e.message()).containsExactly(
        "rails: `bin/rails db:migrate:down VERSION=20240301101500` exited 0",
        "rails: `bin/rails db:migrate:down VERSION=20240210083000` exited 0",
        "rails: undid 2 migrations down to 20240105120000");
  }

  // ---- Django ----

  private void djangoTable() throws SQLException {
    sql(dialect(FrameworkDdl.DJANGO));
    Object[][] rows = {
        {"contenttypes", "0001_initial", "2026-01-05T10:00:00.123456Z"},
        {"orders", "0001_initial", "2026-01-05T10:00:01Z"},
        {"orders", "0002_add_total", "2026-02-01T09:30:00Z"},
        {"auth", "0001_initial", "2026-02-01T09:30:01Z"},
        {"orders", "0003_add_discount", "2026-03-01T08:00:00.5Z"},
        {"orders", "0004_index_created", "2026-03-02T08:00:00Z"}};
    for (Object[] r : rows) {
      sql("INSERT INTO \"django_migrations\" (\"app\", \"name\", \"applied\") VALUES (?, ?, ?)", r[0], r[1],
          OffsetDateTime.ofInstant(Instant.parse((String) r[2]), ZoneOffset.UTC));
    }
  }

  /** What {@code manage.py migrate <app> <name>} does to the status table. */
  private RecordingProcessRunner fakeDjango() {
    return new RecordingProcessRunner(c -> {
      String app = c.args().get(3);
      String target = c.args().get(4);
      if (target.equals("zero")) {
        sql("DELETE FROM \"django_migrations\" WHERE \"app\" = ?", app);
      } else {
        sql("DELETE FROM \"django_migrations\" WHERE \"app\" = ? AND \"id\" > (SELECT \"id\" FROM \"django_migrations\" WHERE \"app\" = ? AND \"name\" = ?)",
            app, app, target);
      }
      return RecordingProcessRunner.exited(c, 0, "Operations to perform:\n  Target specific migration: " + target + ", from " + app);
    });
  }

  @Test
  void djangoReadsOneAppsMigrationsInTheOrderTheyWereApplied() throws Exception {
    djangoTable();

    MigrationTool orders = DjangoMigrations.builder("orders").workingDirectory(APP).database(db).processRunner(fakeDjango()).build();

    assertThat(orders.applied()).containsExactly(
        new AppliedMigration("orders", "0001_initial", "", Instant.parse("2026-01-05T10:00:01Z")),
        new AppliedMigration("orders", "0002_add_total", "", Instant.parse("2026-02-01T09:30:00Z")),
        new AppliedMigration("orders", "0003_add_discount", "", Instant.parse("2026-03-01T08:00:00.5Z")),
        new AppliedMigration("orders", "0004_index_created", "", Instant.parse("2026-03-02T08:00:00Z")));
  }

  @Test
  void djangoMigratesTheAppToTheMigrationToKeepInOneCommand() throws Exception {
    djangoTable();
    RecordingProcessRunner runner = fakeDjango();
    MigrationTool orders = DjangoMigrations.builder("orders")
        .workingDirectory(APP).manageCommand("/srv/shop/venv/bin/python", "manage.py").extraArgs("--noinput")
        .env("DJANGO_SETTINGS_MODULE", "shop.settings.production").database(db).processRunner(runner).build();

    StepRuns.Outcome out = StepRuns.run("shop", ctx -> orders.migrateDownTo("0002_add_total", ctx));

    assertThat(out.result().outcome()).as(String.valueOf(out.result().failure())).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(runner.argLists()).containsExactly(
        List.of("/srv/shop/venv/bin/python", "manage.py", "migrate", "orders", "0002_add_total", "--noinput"));
    assertThat(runner.commands.get(0).environment()).containsEntry("DJANGO_SETTINGS_MODULE", "shop.settings.production");
    assertThat(orders.applied()).extracting(AppliedMigration::version).containsExactly("0001_initial", "0002_add_total");
    assertThat(column("SELECT \"app\" FROM \"django_migrations\" WHERE \"app\" <> 'orders' ORDER BY \"id\""))
        .containsExactly("contenttypes", "auth");

    StepRuns.Outcome zero = StepRuns.run("shop", ctx -> orders.migrateDownTo("zero", ctx));
    assertThat(zero.result().outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(runner.argLists().get(1)).containsExactly("/srv/shop/venv/bin/python", "manage.py", "migrate", "orders", "zero", "--noinput");
    assertThat(orders.applied()).isEmpty();
  }

  // ---- Node: knex and Sequelize ----

  private void knexTable() throws SQLException {
    sql(dialect(FrameworkDdl.KNEX));
    Object[][] rows = {
        {"20240101090000_create_users.js", 1, "2026-01-01T09:00:00Z"},
        {"20240115120000_create_orders.js", 2, "2026-01-15T12:00:00Z"},
        {"20240110080000_add_email_index.js", 2, "2026-01-15T12:00:01Z"}};
    for (Object[] r : rows) {
      sql("insert into \"knex_migrations\" (\"name\", \"batch\", \"migration_time\") values (?, ?, ?)", r[0], r[1],
          OffsetDateTime.ofInstant(Instant.parse((String) r[2]), ZoneOffset.UTC));
    }
  }

  @Test
  void knexReadsKnexMigrationsInTheOrderTheyRanAndUndoesOnePerScriptRunNewestFirst() throws Exception {
    knexTable();
    RecordingProcessRunner runner = new RecordingProcessRunner(c -> {
      // knex migrate:down: undoes the newest migration.
      sql("delete from \"knex_migrations\" where \"id\" = (select max(\"id\") from \"knex_migrations\")");
      return RecordingProcessRunner.exited(c, 0, "Batch 2 rolled back the following migrations");
    });
    MigrationTool knex = NodeMigrations.knex().workingDirectory(APP).env("NODE_ENV", "production").database(db).processRunner(runner).build();

    assertThat(knex.name()).isEqualTo("knex");
    assertThat(knex.applied()).containsExactly(
        new AppliedMigration("", "20240101090000_create_users.js", "batch 1", Instant.parse("2026-01-01T09:00:00Z")),
        new AppliedMigration("", "20240115120000_create_orders.js", "batch 2", Instant.parse("2026-01-15T12:00:00Z")),
        new AppliedMigration("", "20240110080000_add_email_index.js", "batch 2", Instant.parse("2026-01-15T12:00:01Z")));

    StepRuns.Outcome out = StepRuns.run("api", ctx -> knex.migrateDownTo("20240101090000_create_users.js", ctx));

    assertThat(out.result().outcome()).as(String.valueOf(out.result().failure())).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(runner.argLists()).containsExactly(List.of("npm", "run", "migrate:down"), List.of("npm", "run", "migrate:down"));
    assertThat(runner.commands).allSatisfy(c -> assertThat(c.environment()).containsEntry("NODE_ENV", "production"));
    assertThat(knex.applied()).extracting(AppliedMigration::version).containsExactly("20240101090000_create_users.js");
    assertThat(out.result().timeline()).last().satisfies(e -> assertThat(e.facts())
        .containsEntry("undone", "20240110080000_add_email_index.js,20240115120000_create_orders.js"));
  }

  @Test
  void sequelizeReadsSequelizeMetaAndGoesDownToTheTargetInOneScriptRun() throws Exception {
    sql(dialect(FrameworkDdl.SEQUELIZE));
    for (String n : List.of("20240103-add-status.js", "20240101-create-users.js", "20240102-create-orders.js")) {
      sql("INSERT INTO \"SequelizeMeta\" (\"name\") VALUES (?)", n);
    }
    RecordingProcessRunner runner = new RecordingProcessRunner(c -> {
      // sequelize-cli db:migrate:undo:all --to X: undoes X and everything after it.
      sql("DELETE FROM \"SequelizeMeta\" WHERE \"name\" >= ?", c.args().get(c.args().size() - 1));
      return RecordingProcessRunner.exited(c, 0, "== 20240103-add-status: reverted (0.021s)");
    });
    MigrationTool sequelize = NodeMigrations.sequelize().workingDirectory(APP).script("db:undo")
        .toTarget("--to", NodeMigrations.OLDEST_TO_UNDO).database(db).processRunner(runner).build();

    assertThat(sequelize.applied()).extracting(AppliedMigration::version)
        .containsExactly("20240101-create-users.js", "20240102-create-orders.js", "20240103-add-status.js");

    StepRuns.Outcome out = StepRuns.run("api", ctx -> sequelize.migrateDownTo("20240101-create-users.js", ctx));

    assertThat(out.result().outcome()).as(String.valueOf(out.result().failure())).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(runner.argLists()).containsExactly(List.of("npm", "run", "db:undo", "--", "--to", "20240102-create-orders.js"));
    assertThat(sequelize.applied()).extracting(AppliedMigration::version).containsExactly("20240101-create-users.js");
  }
}
