package dev.rollback.db;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Key;
import dev.rollback.core.RollbackException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A database backup taken before the rollback, as the backup step ({@code DatabaseBackup}) puts it
 * in the run's context under {@link #KEY}. The undo of destructive migrations requires one that is
 * {@link #verified()}.
 *
 * @param name the backup's name, e.g. {@code pre-rollback-20261128-031500}
 * @param location where it was written
 * @param sizeBytes its size
 * @param duration how long taking it took
 * @param verified whether it was checked readable and complete (restored or listed)
 * @param createdAt when it was taken, on the run's clock
 * @since 0.1.0
 */
public record BackupRecord(String name, Path location, long sizeBytes, Duration duration, boolean verified, Instant createdAt) {
  /** The key under which a backup step shares the backup with later steps (and the journal). */
  public static final Key<BackupRecord> KEY = Key.of("db.backup", BackupRecord.class);

  /** Checks the components. */
  public BackupRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(createdAt, "createdAt");
    if (name.isBlank()) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "backup name must not be blank: use e.g. pre-rollback-20261128-031500");
    }
    if (sizeBytes < 0) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "backup sizeBytes must not be negative, but was " + sizeBytes);
    }
    if (duration.isNegative()) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "backup duration must not be negative, but was " + duration);
    }
  }
}
