package dev.rollback.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The builders fail fast, naming every bad field, its value and the fix. */
class BuildersTest {

  @Test
  void theFlywayToolNeedsADatabaseAndAVersionCatalogue() {
    assertThatThrownBy(() -> FlywayMigrationTool.builder().schema("bad schema").table("").folder("/abs").lockTimeout(Duration.ZERO).build())
        .isInstanceOfSatisfying(RollbackException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
          assertThat(e.problems()).containsExactly(
              "schema must be a plain SQL identifier, but was 'bad schema': e.g. public",
              "table must be a plain SQL identifier, but was '': e.g. flyway_schema_history",
              "folder must be a relative folder in the repository, but was '/abs': e.g. db/migration or src/main/resources/db/migration",
              "lockTimeout must be positive, but was PT0S: e.g. Duration.ofSeconds(30)",
              "no database: call dataSource(ds) or jdbcUrl(\"jdbc:postgresql://db:5432/shop\") with user(...) and password(...)",
              "versions must be set: the migrations of each version are read from its tag, e.g. GitVersionCatalog.open(repository)");
        });
  }

  @Test
  void theFlywayToolNamesABadUrlAndNeverPrintsThePassword() {
    assertThatThrownBy(() -> FlywayMigrationTool.builder().jdbcUrl("postgres://db").password(Secret.of("s3cret")).build())
        .hasMessageContaining("jdbcUrl must start with 'jdbc:', but was 'postgres://db'")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void stepsNeedAnIdAndATool() {
    assertThatThrownBy(() -> MigrationCheck.builder(" ").build()).isInstanceOfSatisfying(RollbackException.class,
        e -> assertThat(e.problems()).containsExactly(
            "id must not be blank, but was ' ': give the step a stable name such as 'db-migrations'",
            "tool must be set: pass FlywayMigrationTool.builder()...build()"));
    assertThatThrownBy(() -> MigrationUndo.builder("db-undo").build()).hasMessageContaining("tool must be set");
  }

  @Test
  void theVerificationNeedsSomethingToVerifyAndSaneLimits() {
    assertThatThrownBy(() -> DatabaseVerification.builder("db-verify").jdbcUrl("jdbc:h2:mem:x").rowCount("orders", 1.5).latency(0, null).build())
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.problems()).containsExactly(
            "rowCount tolerance of orders must be in [0, 1], but was 1.5: 0.01 means 1%",
            "latency runs must be in [1, 10000], but was 0"));
    assertThatThrownBy(() -> DatabaseVerification.builder("db-verify").jdbcUrl("jdbc:h2:mem:x").build())
        .hasMessageContaining("nothing to verify: add expectTable(...), rowCount(...), assertion(...) or latency(...)");
  }

  @Test
  void aBackupRecordRejectsImpossibleValues() {
    assertThatThrownBy(() -> new BackupRecord("b", Path.of("/b"), -1, Duration.ZERO, true, Instant.EPOCH, BackupRecord.DatabaseKind.H2))
        .hasMessage("sizeBytes of a BackupRecord must not be negative, but was -1");
    assertThat(BackupRecord.KEY.name()).isEqualTo("db.backup");
  }
}
