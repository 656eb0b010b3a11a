package dev.rollback.db;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.StepStatus;
import dev.rollback.db.internal.BackupEngine;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Restores a database from a {@link BackupRecord}: as a step of a plan (by default in {@link
 * Phase#DATABASE_ROLLBACK}, from the backup that {@link DatabaseBackup} put under {@link
 * BackupRecord#KEY}), or at once with {@link #restoreNow(BackupRecord)}.
 *
 * <pre>{@code
 * Step restore = DatabaseRestore.builder("restore-checkout-db")
 *     .target(db)                     // the same BackupTarget the backup was taken of
 *     .build();                       // restores ctx.require(BackupRecord.KEY)
 * }</pre>
 *
 * <p>PostgreSQL: {@code pg_restore --clean --if-exists --no-owner --single-transaction} (all or
 * nothing), or with {@link Builder#jobs(int)} above 1, parallel jobs (faster, not atomic). Objects in
 * the backup are dropped and recreated with its data; objects created after the backup that it
 * does not hold are left alone. H2: {@code DROP ALL OBJECTS}, then {@code RUNSCRIPT FROM}; H2
 * commits DDL at once, so a failed H2 restore can leave the database partly restored.
 *
 * <p>Only a verified backup is restored, unless {@link Builder#allowUnverified()} says otherwise.
 *
 * @since 0.1.0
 */
public final class DatabaseRestore implements Step {
  private final String id;
  private final Phase phase;
  private final BackupTarget target;
  private final @Nullable BackupRecord backup;
  private final Duration timeout;
  private final int jobs;
  private final boolean allowUnverified;

  private DatabaseRestore(Builder b) {
    this.id = b.id;
    this.phase = b.phase;
    this.target = b.target;
    this.backup = b.backup;
    this.timeout = b.timeout;
    this.jobs = b.jobs;
    this.allowUnverified = b.allowUnverified;
  }

  /**
   * @param id the step's id, unique within the plan ("restore-checkout-db")
   * @return a builder
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Phase phase() {
    return phase;
  }

  /** @return true: restoring the same backup again gives the same database */
  @Override
  public boolean idempotent() {
    return true;
  }

  @Override
  public String preview(StepContext ctx) {
    BackupRecord r = backup != null ? backup : ctx.get(BackupRecord.KEY).orElse(null);
    return "would restore " + target + " from " + (r == null ? "the backup taken earlier in the run" : r.location());
  }

  /**
   * Restores the configured backup, or the run's {@link BackupRecord#KEY}.
   *
   * @param ctx the run's context
   * @return the backup and how long the restore took, as facts
   * @throws RollbackException with {@link ErrorCode#BACKUP_FAILED} when there is no (verified)
   *     backup or the restore fails
   */
  @Override
  public StepResult execute(StepContext ctx) throws Exception {
    BackupRecord r = backup;
    if (r == null) {
      r = ctx.get(BackupRecord.KEY).orElseThrow(() -> new RollbackException(ErrorCode.BACKUP_FAILED, "step '" + id + "' has no backup "
          + "to restore: put a DatabaseBackup step before it in the plan, or pass the backup with from(BackupRecord)"));
    }
    ctx.progress("restoring " + target + " from " + r.name(), -1);
    Map<String, String> facts = restore(target, target.password(ctx), r, timeout, jobs, allowUnverified);
    ctx.record("database " + target + " restored from " + r.name(), facts);
    ctx.log().info("database {} restored from {} ({})", target, r.location(), facts.get("mode"));
    return new StepResult(StepStatus.SUCCEEDED, "restored " + target + " from " + r.location(), facts);
  }

  /**
   * Restores a backup now, outside a run. The target's password must be given with {@code
   * password(Secret)} (a plan's secret exists only inside a run).
   *
   * @param record the backup
   * @return facts: the backup, the mode and how long it took
   * @throws RollbackException with {@link ErrorCode#BACKUP_FAILED} when the backup is missing,
   *     unverified or of another kind of database, or the restore fails
   * @throws Exception when it is interrupted or a file cannot be read
   */
  public Map<String, String> restoreNow(BackupRecord record) throws Exception {
    return restore(target, target.password(null), record, timeout, jobs, allowUnverified);
  }

  static Map<String, String> restore(BackupTarget target, @Nullable Secret password, BackupRecord record, Duration timeout, int jobs,
      boolean allowUnverified) throws Exception {
    BackupEngine engine = target.engine();
    if (record.databaseKind() != engine.kind()) {
      throw new RollbackException(ErrorCode.BACKUP_FAILED, "backup " + record.name() + " is a " + record.databaseKind() + " backup and "
          + "cannot be restored into " + engine.describe() + " (" + engine.kind() + ")");
    }
    if (!record.verified() && !allowUnverified) {
      throw new RollbackException(ErrorCode.BACKUP_FAILED, "backup " + record.name() + " at " + record.location() + " was not verified: "
          + "restore it only after checking it by hand, with allowUnverified()");
    }
    if (!Files.isRegularFile(record.location())) {
      throw new RollbackException(ErrorCode.BACKUP_FAILED, "backup " + record.name() + " is missing: no file at " + record.location());
    }
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("kind", "database-restore");
    facts.put("database", engine.describe());
    facts.put("backup", record.name());
    facts.put("location", record.location().toString());
    facts.putAll(engine.restore(password, record.location(), timeout, jobs));
    return facts;
  }

  @Override
  public String toString() {
    return "DatabaseRestore[" + id + ": " + target + "]";
  }

  /** Builds a {@link DatabaseRestore}; {@link #build()} reports every problem at once. */
  public static final class Builder {
    private final String id;
    private Phase phase = Phase.DATABASE_ROLLBACK;
    private @Nullable BackupTarget target;
    private @Nullable BackupRecord backup;
    private Duration timeout = Duration.ofHours(1);
    private int jobs = 1;
    private boolean allowUnverified;
    private final List<String> problems = new ArrayList<>();

    private Builder(String id) {
      this.id = id;
    }

    /**
     * @param target the database to restore into; required
     * @return this builder
     */
    public Builder target(BackupTarget target) {
      if (target == null) {
        problems.add("target must not be null: pass the BackupTarget the backup was taken of");
      }
      this.target = target;
      return this;
    }

    /**
     * @param backup the backup to restore; default: the run's {@link BackupRecord#KEY}
     * @return this builder
     */
    public Builder from(BackupRecord backup) {
      if (backup == null) {
        problems.add("from must not be null: pass a BackupRecord, or leave it unset for the run's backup");
      }
      this.backup = backup;
      return this;
    }

    /**
     * @param phase the phase the step runs in; default {@link Phase#DATABASE_ROLLBACK}
     * @return this builder
     */
    public Builder phase(Phase phase) {
      if (phase == null) {
        problems.add("phase must not be null: leave it unset for DATABASE_ROLLBACK");
      } else {
        this.phase = phase;
      }
      return this;
    }

    /**
     * @param timeout the longest the restore may run; positive; default one hour
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isZero() || timeout.isNegative()) {
        problems.add("timeout must be positive, but was " + timeout + ": pass e.g. Duration.ofMinutes(30)");
      } else {
        this.timeout = timeout;
      }
      return this;
    }

    /**
     * @param jobs PostgreSQL: 1 (the default) restores in a single transaction, all or nothing; more
     *     runs {@code pg_restore --jobs n}, faster on large databases but not atomic
     * @return this builder
     */
    public Builder jobs(int jobs) {
      if (jobs < 1) {
        problems.add("jobs must be at least 1, but was " + jobs);
      } else {
        this.jobs = jobs;
      }
      return this;
    }

    /**
     * Allows restoring a backup that was not verified.
     *
     * @return this builder
     */
    public Builder allowUnverified() {
      this.allowUnverified = true;
      return this;
    }

    /**
     * @return the step
     * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} listing every problem
     */
    public DatabaseRestore build() {
      List<String> all = new ArrayList<>(problems);
      if (id == null || id.isBlank()) {
        all.add("id must not be blank, but was " + (id == null ? "null" : "'" + id + "'") + ": give the step a stable name such as 'restore-checkout-db'");
      }
      if (target == null && problems.stream().noneMatch(p -> p.startsWith("target"))) {
        all.add("target must be set: pass the BackupTarget the backup was taken of");
      }
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid database restore '" + id + "'", all);
      }
      return new DatabaseRestore(this);
    }
  }
}
