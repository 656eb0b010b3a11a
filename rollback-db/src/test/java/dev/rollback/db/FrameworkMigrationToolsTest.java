package dev.rollback.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.Secret;
import dev.rollback.core.command.CommandResult;
import dev.rollback.core.database.AppliedMigration;
import dev.rollback.core.database.MigrationTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the framework tools fail, and what their builders refuse (H2 holds the status tables). */
class FrameworkMigrationToolsTest {
  private static final Path APP = Path.of("/srv/shop/current");
  private static final List<String> VERSIONS = List.of("20240101000000", "20240201000000", "20240301000000");

  private ConnectionSource db;

  @BeforeEach
  void railsTable() throws SQLException {
    db = H2ConnectionSources.fresh();
    sql(FrameworkDdl.RAILS);
    for (String v : VERSIONS) {
      sql("INSERT INTO \"schema_migrations\" (\"version\") VALUES (?)", v);
    }
  }

  private void sql(String statement, Object... args) throws SQLException {
    try (Connection c = db.open(); PreparedStatement ps = c.prepareStatement(statement)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      ps.execute();
    }
  }

  private MigrationTool rails(RecordingProcessRunner runner) {
    return RailsMigrations.builder().workingDirectory(APP).database(db).processRunner(runner)
        .secretEnv("DATABASE_URL", Secret.of("postgres://shop:hunter2@db/shop")).timeout(Duration.ofSeconds(30)).build();
  }

  /** Plays rails for the first command, then fails the second with a long output. */
  private RecordingProcessRunner undoesOneThenFails() {
    return new RecordingProcessRunner(c -> {
      String v = c.args().get(2).substring("VERSION=".length());
      if (v.equals("20240301000000")) {
        sql("DELETE FROM \"schema_migrations\" WHERE \"version\" = ?", v);
        return RecordingProcessRunner.exited(c, 0, "reverted");
      }
      String output = IntStream.rangeClosed(1, 30).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"))
          + "\nPG::DependentObjectsStillExist: cannot drop table orders (connecting as postgres://shop:hunter2@db/shop)";
      return RecordingProcessRunner.exited(c, 1, output);
    });
  }

  @Test
  void aFailingCommandIsAnErrorNamingTheCommandExitCodeWhatWasUndoneAndTheOutputTail() {
    RecordingProcessRunner runner = undoesOneThenFails();

    StepRuns.Outcome out = StepRuns.run("shop", ctx -> rails(runner).migrateDownTo("20240101000000", ctx));

    assertThat(out.result().outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(out.thrown()).isInstanceOfSatisfying(MigrationCommandException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.MIGRATION_FAILED);
      assertThat(e.getMessage())
          .startsWith("rails: `bin/rails db:migrate:down VERSION=20240201000000` exited 1 (undone before it, newest first: [20240301000000]); last output:\n")
          .contains("line 30")
          .doesNotContain("line 11\n")
          .endsWith("cannot drop table orders (connecting as ****)")
          .doesNotContain("hunter2");
      assertThat(e.command()).containsExactly("bin/rails", "db:migrate:down", "VERSION=20240201000000");
      assertThat(e.exitCode()).isEqualTo(1);
      assertThat(e.timedOut()).isFalse();
      assertThat(e.undone()).containsExactly("20240301000000");
      assertThat(e.outputTail().lines()).hasSize(20);
    });
    assertThat(runner.argLists()).hasSize(2);
    assertThat(runner.commands).allSatisfy(c -> assertThat(c.secretEnvironment().get("DATABASE_URL").reveal()).contains("hunter2"));
    assertThat(out.result().timeline().toString()).doesNotContain("hunter2");
  }

  @Test
  void aCommandThatRunsPastItsTimeoutIsAClearError() {
    RecordingProcessRunner runner = new RecordingProcessRunner(c -> RecordingProcessRunner.timedOut(c, "== 20240301000000 Backfill: reverting =="));

    StepRuns.Outcome out = StepRuns.run("shop", ctx -> rails(runner).migrateDownTo("20240201000000", ctx));

    assertThat(out.thrown()).isInstanceOfSatisfying(MigrationCommandException.class, e -> {
      assertThat(e.timedOut()).isTrue();
      assertThat(e.exitCode()).isEqualTo(-1);
      assertThat(e.getMessage()).isEqualTo("rails: `bin/rails db:migrate:down VERSION=20240301000000` timed out after PT30S and was killed"
          + " (nothing was undone before it); check the schema before going on; last output:\n== 20240301000000 Backfill: reverting ==");
    });
    assertThat(out.result().failure()).contains("timed out after PT30S");
  }

  @Test
  void aCommandThatExitsZeroWithoutUndoingTheMigrationIsCaughtByTheStatusTable() {
    RecordingProcessRunner runner = new RecordingProcessRunner(c -> RecordingProcessRunner.exited(c, 0, "(wrong RAILS_ENV: nothing to do)"));

    StepRuns.Outcome out = StepRuns.run("shop", ctx -> rails(runner).migrateDownTo("20240101000000", ctx));

    assertThat(out.thrown()).isInstanceOf(RollbackException.class).hasMessage(
        "rails: `bin/rails db:migrate:down VERSION=20240301000000` exited 0, but table schema_migrations still lists 20240301000000;"
            + " check the command and the database it migrates (environment, working folder)");
    assertThat(runner.argLists()).hasSize(1);
  }

  @Test
  void aTargetThatIsNotAppliedIsRefusedBeforeAnyCommandRuns() throws Exception {
    RecordingProcessRunner runner = new RecordingProcessRunner(c -> {
      throw new AssertionError("no command may run");
    });
    MigrationTool rails = rails(runner);

    StepRuns.Outcome out = StepRuns.run("shop", ctx -> rails.migrateDownTo("20231231000000", ctx));
    assertThat(out.thrown()).isInstanceOf(RollbackException.class).hasMessage(
        "rails: cannot migrate down to 20231231000000: it is not applied (table schema_migrations lists"
            + " [20240101000000, 20240201000000, 20240301000000]); give an applied migration, or '0' to undo every one");

    StepRuns.Outcome bad = StepRuns.run("shop", ctx -> rails.migrateDownTo("2024 OR 1=1", ctx));
    assertThat(bad.thrown()).isInstanceOfSatisfying(RollbackException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
      assertThat(e.getMessage()).contains("cannot migrate down to '2024 OR 1=1'").contains("or be '0' to undo every migration");
    });
    assertThat(runner.commands).isEmpty();
    assertThat(rails.applied()).extracting(AppliedMigration::version).containsExactlyElementsOf(VERSIONS);
  }

  @Test
  void theNewestMigrationAsTargetRunsNothingAndZeroUndoesEverything() {
    RecordingProcessRunner runner = new RecordingProcessRunner(c -> {
      sql("DELETE FROM \"schema_migrations\" WHERE \"version\" = ?", c.args().get(2).substring("VERSION=".length()));
      return RecordingProcessRunner.exited(c, 0, "");
    });
    MigrationTool rails = rails(runner);

    StepRuns.Outcome none = StepRuns.run("shop", ctx -> rails.migrateDownTo("20240301000000", ctx));
    assertThat(none.result().outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(runner.commands).isEmpty();

    StepRuns.Outcome all = StepRuns.run("shop", ctx -> rails.migrateDownTo("0", ctx));
    assertThat(all.result().outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(runner.argLists()).extracting(a -> a.get(2))
        .containsExactly("VERSION=20240301000000", "VERSION=20240201000000", "VERSION=20240101000000");
  }

  @Test
  void aDryRunRunsNoCommand() {
    RecordingProcessRunner runner = new RecordingProcessRunner(c -> {
      throw new AssertionError("a dry run must not run " + c.display());
    });
    MigrationTool rails = rails(runner);
    java.util.concurrent.atomic.AtomicBoolean previewed = new java.util.concurrent.atomic.AtomicBoolean();
    dev.rollback.core.Step step = new dev.rollback.core.Step() {
      @Override
      public String id() {
        return "migrate-down";
      }

      @Override
      public dev.rollback.core.Phase phase() {
        return dev.rollback.core.Phase.DATABASE_ROLLBACK;
      }

      @Override
      public dev.rollback.core.StepResult execute(dev.rollback.core.StepContext ctx) throws Exception {
        rails.migrateDownTo("20240101000000", ctx);
        return dev.rollback.core.StepResult.succeeded();
      }

      @Override
      public String preview(dev.rollback.core.StepContext ctx) {
        assertThat(ctx.dryRun()).isTrue();
        try {
          rails.migrateDownTo("20240101000000", ctx);
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
        previewed.set(true);
        return "would undo 2 Rails migrations";
      }
    };

    dev.rollback.core.RollbackRunner.create().preview(
        dev.rollback.core.RollbackPlan.builder("shop").currentVersion("v2").target("v1").step(step).build());

    assertThat(previewed).isTrue();
    assertThat(runner.commands).isEmpty();
  }

  @Test
  void aMissingStatusTableIsAnErrorNamingTheTable() throws Exception {
    sql("DROP TABLE \"schema_migrations\"");
    MigrationTool rails = rails(new RecordingProcessRunner(c -> RecordingProcessRunner.exited(c, 0, "")));

    assertThatThrownBy(rails::applied)
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MIGRATION_FAILED))
        .hasMessageContaining("rails: cannot read the migration status from table schema_migrations through ConnectionSource[jdbc:h2:mem:")
        .hasMessageContaining("password ****")
        .hasMessageNotContaining("h2-test-password");
  }

  @Test
  void aProgramThatCannotStartIsAnErrorNamingTheCommandAndFolder(@TempDir Path dir) {
    MigrationTool rails = RailsMigrations.builder().workingDirectory(dir).railsCommand(dir.resolve("bin/rails").toString())
        .database(db).build();

    StepRuns.Outcome out = StepRuns.run("shop", ctx -> rails.migrateDownTo("20240201000000", ctx));

    assertThat(out.thrown()).isInstanceOfSatisfying(RollbackException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.MIGRATION_FAILED);
      assertThat(e.getMessage()).startsWith("rails: cannot start `" + dir.resolve("bin/rails") + " db:migrate:down VERSION=20240301000000` in " + dir)
          .contains("check that the program is installed");
    });
  }

  @Test
  void buildersReportEveryProblemAtOnce() {
    assertThatThrownBy(() -> RailsMigrations.builder().timeout(Duration.ZERO).env("1BAD", "x").railsCommand().table("x; DROP TABLE y").build())
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.problems()).containsExactly(
            "timeout must be positive, but was PT0S: e.g. Duration.ofMinutes(10)",
            "env name must be letters, digits and '_', not starting with a digit, but was '1BAD'",
            "railsCommand must name a program and hold no null arguments, but was []: e.g. \"bin/rails\"",
            "table must be a table name (letters, digits, '_'), optionally qualified by a schema as schema.table, but was 'x; DROP TABLE y'",
            "workingDirectory is required: the application's folder, where its migration commands run",
            "database is required: the status table is read through it, e.g. ConnectionSource.of(url, user, password)"));
    assertThatThrownBy(() -> DjangoMigrations.builder("orders; rm").workingDirectory(APP).database(db).build())
        .hasMessageContaining("app must be a Django app label (letters, digits, '_'), but was 'orders; rm'");
    assertThatThrownBy(() -> NodeMigrations.knex().workingDirectory(APP).database(db).toTarget("--to").script("-x").build())
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.problems()).containsExactly(
            "toTarget arguments must name the target with {target} or {oldestToUndo}, but were [--to]: e.g. toTarget(\"--to\", NodeMigrations.TARGET)",
            "script must name a package.json script, not blank nor starting with '-', but was '-x'"));
    assertThatThrownBy(() -> ConnectionSource.of("postgres://db/x", " ", Secret.of("pw")))
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.problems()).hasSize(2));
  }

  @Test
  void theDefaultRunnerStartsARealProcessWithoutAShellInTheFolderWithTheEnvironment(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("show");
    Files.writeString(script, "#!/bin/sh\npwd\necho \"RAILS_ENV=$RAILS_ENV\"\necho \"args=$*\"\n");
    assertThat(script.toFile().setExecutable(true)).isTrue();
    MigrationCommand command = new MigrationCommand(List.of(script.toString(), "db:migrate:down", "VERSION=1; rm -rf /"), dir,
        Map.of("RAILS_ENV", "production"), Map.of("DATABASE_URL", Secret.of("postgres://u:pw@h/db")), Duration.ofSeconds(30));

    CommandResult r = ProcessRunner.commandLine().run(command);

    assertThat(r.succeeded()).as(r.summary()).isTrue();
    assertThat(r.output().lines()).containsExactly(dir.toRealPath().toString(), "RAILS_ENV=production", "args=db:migrate:down VERSION=1; rm -rf /");
    assertThat(command.toString()).doesNotContain("pw@h");
  }
}
