package dev.rollback.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import dev.rollback.db.internal.BackupNames;
import dev.rollback.db.internal.PgPassFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The builders report every problem at once, naming the field, the value and the fix. */
class BackupConfigurationTest {
  @TempDir Path tmp;

  @Test
  void aPostgresTargetListsEveryProblemAtOnce() {
    assertThatThrownBy(() -> BackupTarget.postgres().host(" ").port(70000).binaries(tmp.resolve("missing"))
        .password(Secret.of("x")).passwordSecret("db").build())
        .isInstanceOfSatisfying(RollbackException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
          assertThat(e.problems()).containsExactly(
              "host must not be blank, but was ' ': pass e.g. \"db.internal\"",
              "port must be between 1 and 65535, but was 70000",
              "database must be set: pass the name of the database to back up, e.g. database(\"checkout\")",
              "user must be set: pass the role that owns the tables, e.g. user(\"checkout_owner\")",
              "binaries must be a folder holding pg_dump and pg_restore, but " + tmp.resolve("missing") + " is not a folder",
              "both password(Secret) and passwordSecret('db') are set: keep one");
        });
  }

  @Test
  void aTargetPrintsWhereTheDatabaseIsButNeverThePassword() {
    BackupTarget pg = BackupTarget.postgres().host("db.internal").database("checkout").user("owner").password(Secret.of("s3cr3t")).build();
    BackupTarget h2 = BackupTarget.h2("jdbc:h2:/var/lib/app/db;MODE=PostgreSQL;PASSWORD_HASH=TRUE").password(Secret.of("s3cr3t")).build();

    assertThat(pg).hasToString("postgresql://owner@db.internal:5432/checkout");
    assertThat(pg.kind()).isEqualTo(BackupRecord.DatabaseKind.POSTGRESQL);
    assertThat(h2).hasToString("jdbc:h2:/var/lib/app/db as sa");
    assertThat(h2.kind()).isEqualTo(BackupRecord.DatabaseKind.H2);
    assertThatThrownBy(() -> BackupTarget.h2("jdbc:postgresql://db/x").user("").build())
        .hasMessageContaining("jdbcUrl must be an H2 URL starting with jdbc:h2:, but was 'jdbc:postgresql://db/x'")
        .hasMessageContaining("user must not be blank, but was ''");
  }

  @Test
  void aBackupStepListsEveryProblemAtOnce() {
    assertThatThrownBy(() -> DatabaseBackup.builder(" ").timeout(Duration.ZERO).sizeFactor(-1).build())
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.problems()).containsExactly(
            "timeout must be positive, but was PT0S: pass e.g. Duration.ofMinutes(30)",
            "sizeFactor must be a positive number, but was -1.0: pass e.g. 1.0, or 0.3 for a database that compresses well",
            "id must not be blank, but was ' ': give the step a stable name such as 'backup-checkout-db'",
            "target must be set: pass BackupTarget.postgres()...build() or BackupTarget.h2(url).build()",
            "folder must be set: pass the backup folder, e.g. Path.of(\"/var/backups/checkout\")"));
  }

  @Test
  void aRestoreStepListsEveryProblemAtOnceAndRunsInTheDatabaseRollbackPhaseByDefault() {
    assertThatThrownBy(() -> DatabaseRestore.builder("restore").jobs(0).timeout(Duration.ofSeconds(-1)).build())
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.problems()).containsExactly(
            "jobs must be at least 1, but was 0",
            "timeout must be positive, but was PT-1S: pass e.g. Duration.ofMinutes(30)",
            "target must be set: pass the BackupTarget the backup was taken of"));
    BackupTarget h2 = BackupTarget.h2("jdbc:h2:mem:x").build();
    assertThat(DatabaseRestore.builder("restore").target(h2).build().phase()).isEqualTo(Phase.DATABASE_ROLLBACK);
    assertThat(DatabaseBackup.builder("backup").target(h2).folder(tmp).build().phase()).isEqualTo(Phase.DATABASE_PREP);
  }

  @Test
  void aBackupRecordRejectsImpossibleValues() {
    Instant now = Instant.parse("2026-11-28T11:00:00Z");
    assertThatThrownBy(() -> new BackupRecord(" ", tmp, 0, Duration.ZERO, true, now, BackupRecord.DatabaseKind.H2))
        .hasMessageContaining("name of a BackupRecord must not be blank");
    assertThatThrownBy(() -> new BackupRecord("b", tmp, -1, Duration.ZERO, true, now, BackupRecord.DatabaseKind.H2))
        .hasMessage("sizeBytes of a BackupRecord must not be negative, but was -1");
    assertThatThrownBy(() -> new BackupRecord("b", tmp, 1, Duration.ofSeconds(-1), true, now, BackupRecord.DatabaseKind.H2))
        .hasMessage("duration of a BackupRecord must not be negative, but was PT-1S");
  }

  @Test
  void backupNamesUseTheServiceAndTheUtcTimeAndStaySafeFileNames() throws Exception {
    Instant at = Instant.parse("2026-11-28T23:59:07.999Z");

    assertThat(BackupNames.name("checkout-api", at)).isEqualTo("pre-rollback-checkout-api-20261128-235907");
    assertThat(BackupNames.name("../etc/pass wd", at)).isEqualTo("pre-rollback-.._etc_pass_wd-20261128-235907");
    Files.createFile(tmp.resolve("pre-rollback-x-20261128-235907.dump"));
    Files.createFile(tmp.resolve("pre-rollback-x-20261128-235907-2.dump.partial"));
    assertThat(BackupNames.unique(tmp, "pre-rollback-x-20261128-235907", ".dump")).isEqualTo("pre-rollback-x-20261128-235907-3");
  }

  @Test
  void thePassFileIsOwnerOnlyEscapesColonsAndBackslashesAndIsDeletedOnClose() throws Exception {
    Path file;
    try (PgPassFile pass = PgPassFile.create("app:user", Secret.of("pa:ss\\word"))) {
      file = pass.file();
      assertThat(file).isNotNull();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      assertThat(Files.readString(file)).isEqualTo("*:*:*:app\\:user:pa\\:ss\\\\word\n");
      assertThat(pass.environment()).containsEntry("PGPASSFILE", file.toString()).containsEntry("PGPASSWORD", "");
    }
    assertThat(file).doesNotExist();
    try (PgPassFile none = PgPassFile.create("app", null)) {
      assertThat(none.file()).isNull();
      assertThat(none.environment()).isEmpty();
    }
  }
}
