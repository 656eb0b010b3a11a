package dev.rollback.db;

import dev.rollback.core.Key;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A database backup taken before a rollback changed anything: what {@link DatabaseBackup} puts into
 * the run's context under {@link #KEY}, and what {@link DatabaseRestore} (and any step that must not
 * change the database without a verified backup) reads back.
 *
 * <pre>{@code
 * BackupRecord backup = ctx.require(BackupRecord.KEY);
 * if (!backup.verified()) throw new IllegalStateException("no verified backup: " + backup);
 * }</pre>
 *
 * <p>The record is journaled with the step that put it, so a resumed run still finds it.
 *
 * @param name the backup's name, {@code pre-rollback-<service>-<yyyyMMdd-HHmmss>} (run clock, UTC)
 * @param location the backup file
 * @param sizeBytes the file's size in bytes
 * @param duration how long taking (and verifying) the backup took
 * @param verified whether the file was read back and found complete: for PostgreSQL, {@code
 *     pg_restore --list} read its table of contents and found data for every table; for H2, the
 *     script ran into a scratch in-memory database and created every table
 * @param createdAt when the backup was started, on the run's clock
 * @param databaseKind which database it is a backup of, which decides how it is restored
 * @since 0.1.0
 */
public record BackupRecord(
    String name, Path location, long sizeBytes, Duration duration, boolean verified, Instant createdAt, DatabaseKind databaseKind) {

  /** Where {@link DatabaseBackup} puts the latest backup of a run. */
  public static final Key<BackupRecord> KEY = Key.of("db.backup", BackupRecord.class);

  /** Checks the components. */
  public BackupRecord {
    Objects.requireNonNull(name, "name of a BackupRecord must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name of a BackupRecord must not be blank: use pre-rollback-<service>-<yyyyMMdd-HHmmss>");
    }
    Objects.requireNonNull(location, "location of a BackupRecord must not be null: pass the backup file");
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("sizeBytes of a BackupRecord must not be negative, but was " + sizeBytes);
    }
    Objects.requireNonNull(duration, "duration of a BackupRecord must not be null");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration of a BackupRecord must not be negative, but was " + duration);
    }
    Objects.requireNonNull(createdAt, "createdAt of a BackupRecord must not be null");
    Objects.requireNonNull(databaseKind, "databaseKind of a BackupRecord must not be null: POSTGRESQL or H2");
  }

  /** The kinds of database a backup can be taken of; each has its own file format. */
  public enum DatabaseKind {
    /** A {@code pg_dump -Fc} custom-format archive, restored with {@code pg_restore}. */
    POSTGRESQL,
    /** An H2 {@code SCRIPT} file (plain or gzip), restored with {@code RUNSCRIPT}. */
    H2
  }
}
