package dev.rollback.db.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import dev.rollback.core.command.CommandResult;
import dev.rollback.db.BackupRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * PostgreSQL backups: {@code pg_dump -Fc}, verified with {@code pg_restore --list}, restored with
 * {@code pg_restore --clean --if-exists --no-owner}. The size and the tables come over JDBC (the
 * PostgreSQL driver must be on the class path).
 */
public final class PgBackupEngine implements BackupEngine {
  /** Ordinary tables whose rows pg_dump writes: not temporary, not in system schemas, not an extension's. */
  private static final String FACTS_SQL = """
      SELECT pg_database_size(current_database()),
             current_setting('server_version'),
             (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE c.relkind = 'r' AND c.relpersistence IN ('p', 'u')
                 AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                 AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
                 AND NOT EXISTS (SELECT 1 FROM pg_depend d
                                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'))
      """;

  private final PgConnectionSpec db;

  /** @param db the database */
  public PgBackupEngine(PgConnectionSpec db) {
    this.db = db;
  }

  /** @return the connection spec */
  public PgConnectionSpec spec() {
    return db;
  }

  @Override
  public BackupRecord.DatabaseKind kind() {
    return BackupRecord.DatabaseKind.POSTGRESQL;
  }

  @Override
  public String describe() {
    return db.describe();
  }

  @Override
  public String fileSuffix() {
    return ".dump";
  }

  @Override
  public BackupEstimate estimate(@Nullable Secret password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", db.user());
    if (password != null) {
      p.setProperty("password", password.reveal());
    }
    p.setProperty("ApplicationName", "rollback-backup-estimate");
    p.setProperty("connectTimeout", "30");
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), p);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(FACTS_SQL)) {
      r.next();
      return new BackupEstimate(r.getLong(1), r.getInt(3), r.getString(2));
    }
  }

  @Override
  public BackupCheck backup(@Nullable Secret password, Path file, Duration timeout, BackupEstimate estimate)
      throws IOException, InterruptedException {
    CommandResult dump = PgClientProcess.run(db, password, PgDumpCommand.dump(db, file), timeout);
    if (!dump.succeeded()) {
      Files.deleteIfExists(file);
      throw new RollbackException(ErrorCode.BACKUP_FAILED, "pg_dump of " + db.describe() + " " + PgClientProcess.describe(dump)
          + "; no backup was kept. Check the connection, the password and that pg_dump's version is at least the server's ("
          + estimate.serverVersion() + ")");
    }
    PgArchiveToc toc = list(file, timeout);
    boolean complete = toc.tableData() >= estimate.tables();
    String detail = "pg_restore --list: " + toc.entries() + " entries, TABLE DATA for " + toc.tableData() + " of "
        + estimate.tables() + " table(s)";
    return new BackupCheck(complete, toc.tableData(), detail);
  }

  /**
   * Reads an archive's table of contents with {@code pg_restore --list}.
   *
   * @param archive the archive
   * @param timeout the longest it may take
   * @return its counts
   * @throws RollbackException with {@link ErrorCode#BACKUP_FAILED} when pg_restore cannot read it
   * @throws IOException when the list file cannot be written or read
   * @throws InterruptedException when interrupted
   */
  public PgArchiveToc list(Path archive, Duration timeout) throws IOException, InterruptedException {
    Path listFile = Files.createTempFile("rollback-pg-toc-", ".list");
    try {
      CommandResult r = PgClientProcess.run(db, null, PgDumpCommand.list(db, archive, listFile), timeout);
      if (!r.succeeded()) {
        throw new RollbackException(ErrorCode.BACKUP_FAILED, "pg_restore --list " + archive + " " + PgClientProcess.describe(r)
            + ": the archive cannot be read back");
      }
      return PgArchiveToc.read(listFile);
    } finally {
      Files.deleteIfExists(listFile);
    }
  }

  @Override
  public Map<String, String> restore(@Nullable Secret password, Path file, Duration timeout, int jobs)
      throws IOException, InterruptedException {
    CommandResult r = PgClientProcess.run(db, password, PgDumpCommand.restore(db, file, jobs), timeout);
    if (!r.succeeded()) {
      throw new RollbackException(ErrorCode.BACKUP_FAILED, "pg_restore of " + file + " into " + db.describe() + " "
          + PgClientProcess.describe(r) + (jobs <= 1 ? "; it ran in a single transaction, so the database is as it was before the restore"
              : "; it ran with " + jobs + " parallel jobs, so the database may be partly restored: run it again"));
    }
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("mode", jobs <= 1 ? "single-transaction" : jobs + " jobs");
    facts.put("restoreMs", String.valueOf(r.took().toMillis()));
    return facts;
  }
}
