package dev.rollback.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.RollbackResult;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.Secret;
import dev.rollback.db.internal.FlywayUndo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Flyway rollback on a real PostgreSQL 15 (a fresh database per test), with transactional DDL. */
class FlywayRollbackPostgresIT extends FlywayRollbackContract {
  private PostgresTestDatabase db;

  @BeforeEach
  void createDatabase() {
    db = PostgresTestDatabase.create();
  }

  @AfterEach
  void dropDatabase() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  @Override
  String url() {
    return db.jdbcUrl();
  }

  @Override
  String user() {
    return db.user;
  }

  @Override
  Secret password() {
    return Secret.of(db.password);
  }

  @Override
  boolean transactionalDdl() {
    return true;
  }

  @Test
  void theUndoTakesTheAdvisoryLockThatFlywayTakesDuringMigrate() throws SQLException {
    repo(MigrationRepo.Variant.WITH_UNDO);
    List<Long> heldDuringMigrate = new ArrayList<>();
    Callback spy = new Callback() {
      @Override
      public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_EACH_MIGRATE;
      }

      @Override
      public boolean canHandleInTransaction(Event event, Context context) {
        return true;
      }

      @Override
      public void handle(Event event, Context context) {
        try (Connection c = connect(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT (classid::bigint << 32) | objid::bigint FROM pg_locks WHERE locktype = 'advisory'"
                + " AND objsubid = 1 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
          while (rs.next()) {
            heldDuringMigrate.add(rs.getLong(1));
          }
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public String getCallbackName() {
        return "lock-spy";
      }
    };
    Flyway.configure().configuration(flyway("v1.0.0").getConfiguration()).callbacks(spy).load().migrate();

    assertThat(heldDuringMigrate).isNotEmpty().containsOnly(FlywayUndo.flywayLockKey("public", "flyway_schema_history"));
  }

  @Test
  void aConcurrentHolderOfFlywaysLockMakesTheUndoWaitThenGiveUpWithoutChangingAnything() throws SQLException {
    repo(MigrationRepo.Variant.WITH_UNDO);
    migrate("v1.2.0");
    List<String> historyBefore = history();
    FlywayMigrationTool tool = FlywayMigrationTool.builder().jdbcUrl(url()).user(user()).password(password()).versions(repo())
        .lockTimeout(Duration.ofMillis(600)).build();

    RollbackResult r;
    try (Connection other = connect(); PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_lock(?)")) {
      lock.setLong(1, FlywayUndo.flywayLockKey("public", "flyway_schema_history"));
      lock.executeQuery().close();
      r = run("v1.2.0", "v1.1.0",
          MigrationCheck.builder("db-migrations").tool(tool).policy(DatabasePolicy.custom().allowDataLoss("INC-11").build()).build(),
          verifiedBackup(),
          MigrationUndo.builder("db-undo").tool(tool).build());
    }

    assertThat(r.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(r.failure()).contains("Flyway's advisory lock").contains("stayed held for PT0.6S").contains("nothing was undone");
    assertThat(history()).isEqualTo(historyBefore);
    assertThat(tables()).contains("audit");
  }
}
