package dev.rollback.db.internal;

import dev.rollback.core.Secret;
import dev.rollback.db.BackupRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Takes, verifies and restores backups of one kind of database. */
public interface BackupEngine {

  /** @return the kind of database */
  BackupRecord.DatabaseKind kind();

  /** @return the database, for people, never with a password ({@code postgresql://app@db:5432/shop}) */
  String describe();

  /** @return the file name ending of this engine's backups ({@code .dump}) */
  String fileSuffix();

  /**
   * Reads what the backup needs to know before it starts: the database's size and its tables.
   *
   * @param password the password, or null when none is needed
   * @return the estimate
   * @throws Exception when the database cannot be reached
   */
  BackupEstimate estimate(@Nullable Secret password) throws Exception;

  /**
   * Writes a backup to {@code file} and reads it back.
   *
   * @param password the password, or null
   * @param file the file to write (it must not exist)
   * @param timeout the longest each command may run
   * @param estimate what {@link #estimate} found, to check the backup against
   * @return what the read-back found
   * @throws Exception when the backup cannot be written; the message names what failed
   */
  BackupCheck backup(@Nullable Secret password, Path file, Duration timeout, BackupEstimate estimate) throws Exception;

  /**
   * Replaces the database's objects by those in the backup.
   *
   * @param password the password, or null
   * @param file the backup
   * @param timeout the longest the restore may run
   * @param jobs parallel jobs (PostgreSQL); 1 restores in a single transaction
   * @return facts about the restore, for the timeline
   * @throws Exception when the restore fails; the message names what failed
   */
  Map<String, String> restore(@Nullable Secret password, Path file, Duration timeout, int jobs) throws Exception;

  /**
   * What a backup needs to know before it starts.
   *
   * @param databaseBytes the database's size on disk, 0 when unknown (an in-memory H2 database)
   * @param tables the number of tables whose data the backup must hold
   * @param serverVersion the server's version, for the facts
   */
  record BackupEstimate(long databaseBytes, int tables, String serverVersion) {}

  /**
   * What reading a backup back found.
   *
   * @param verified whether it is complete
   * @param tableData how many tables' data it holds
   * @param detail what was checked or what was missing, for people
   */
  record BackupCheck(boolean verified, int tableData, String detail) {}
}
