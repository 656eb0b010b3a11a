package dev.rollback.db;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Key;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.StepStatus;
import dev.rollback.db.internal.BackupEngine;
import dev.rollback.db.internal.BackupNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Takes a verified, timestamped backup of a database in the {@link Phase#DATABASE_PREP} phase,
 * before anything changes, and puts its {@link BackupRecord} into the run's context under {@link
 * BackupRecord#KEY}.
 *
 * <pre>{@code
 * Step backup = DatabaseBackup.builder("backup-checkout-db")
 *     .target(BackupTarget.postgres().host("db").database("checkout").user("owner").passwordSecret("db").build())
 *     .folder(Path.of("/var/backups/checkout"))
 *     .timeout(Duration.ofMinutes(30))
 *     .build();
 * }</pre>
 *
 * <p>How it goes:
 *
 * <ol>
 *   <li>The backup is named {@code pre-rollback-<service>-<yyyyMMdd-HHmmss>} (run clock, UTC).
 *   <li>The folder is created if needed and must be writable.
 *   <li>The database's size ({@code pg_database_size}, or the H2 file's size) times {@link
 *       Builder#sizeFactor(double)} must fit into the folder's free space.
 *   <li>PostgreSQL: {@code pg_dump -Fc} runs without a shell, with a timeout and bounded output; the
 *       password goes through a temporary 0600 {@code PGPASSFILE}, deleted when pg_dump ends, never
 *       on the command line or in the environment. {@code pg_restore --list} then reads the
 *       archive's table of contents, which must hold data for every table. H2: {@code SCRIPT TO}
 *       writes the script, which is run back into a scratch in-memory database that must get every
 *       table.
 *   <li>Only a verified file gets its final name ({@code <name>.dump}, {@code <name>.sql} or {@code
 *       <name>.sql.gz}); until then it is {@code <name>….partial}.
 * </ol>
 *
 * <p>Any failure fails the step, and with the default {@link dev.rollback.core.FailureAction#ABORT}
 * policy the run stops before the later phases change anything.
 *
 * <p>{@link #compensate} (a later step aborted the run) restores the backup when a step marked the
 * database as changed with {@link #markChanging(StepContext)}, by default; see {@link Compensation}.
 *
 * @since 0.1.0
 */
public final class DatabaseBackup implements Step {
  /**
   * A step that changes the database (an undo of migrations) puts its id here before it changes
   * anything, with {@link #markChanging(StepContext)}; the backup's compensation then knows that
   * there is something to restore.
   */
  public static final Key<String> DATABASE_CHANGED = Key.of("db.changed-by", String.class);

  private final String id;
  private final BackupTarget target;
  private final Path folder;
  private final Duration timeout;
  private final double sizeFactor;
  private final FreeSpace freeSpace;
  private final Compensation compensation;
  private final Key<BackupRecord> own;

  private DatabaseBackup(Builder b) {
    this.id = b.id;
    this.target = b.target;
    this.folder = b.folder.toAbsolutePath().normalize();
    this.timeout = b.timeout;
    this.sizeFactor = b.sizeFactor;
    this.freeSpace = b.freeSpace;
    this.compensation = b.compensation;
    this.own = Key.of("db.backup." + id, BackupRecord.class);
  }

  /**
   * @param id the step's id, unique within the plan ("backup-checkout-db")
   * @return a builder
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /**
   * Marks the database as changed by the calling step, so that the backup's compensation restores
   * it if the run aborts. Call it before the first change.
   *
   * @param ctx the calling step's context
   */
  public static void markChanging(StepContext ctx) {
    ctx.put(DATABASE_CHANGED, ctx.stepId());
  }

  @Override
  public String id() {
    return id;
  }

  /** @return {@link Phase#DATABASE_PREP} */
  @Override
  public Phase phase() {
    return Phase.DATABASE_PREP;
  }

  /** @return true: a repeated backup takes another backup and changes nothing else */
  @Override
  public boolean idempotent() {
    return true;
  }

  /** @return the key under which this step keeps its own backup (journaled, for compensation after a resume) */
  public Key<BackupRecord> backupKey() {
    return own;
  }

  @Override
  public String preview(StepContext ctx) {
    BackupEngine engine = target.engine();
    return "would back up " + engine.describe() + " into " + folder.resolve(BackupNames.name(ctx.service(), ctx.clock().instant())
        + engine.fileSuffix()) + " (" + (engine.kind() == BackupRecord.DatabaseKind.POSTGRESQL ? "pg_dump -Fc, verified with pg_restore --list"
            : "SCRIPT TO, verified by reading it back") + "), after checking for " + sizeFactor + " x the database's size free";
  }

  /**
   * Takes and verifies the backup; see the class description.
   *
   * @param ctx the run's context
   * @return the backup's name, location, size, duration and checks as facts
   * @throws RollbackException with {@link ErrorCode#BACKUP_FAILED} when the folder is not writable,
   *     the disk is too small, the database cannot be reached, or the backup fails or cannot be
   *     verified
   */
  @Override
  public StepResult execute(StepContext ctx) throws Exception {
    BackupEngine engine = target.engine();
    Instant at = ctx.clock().instant();
    Secret password = target.password(ctx);
    ensureWritableFolder();
    BackupEngine.BackupEstimate estimate;
    try {
      estimate = engine.estimate(password);
    } catch (java.sql.SQLException | IOException e) {
      throw new RollbackException(ErrorCode.BACKUP_FAILED, "cannot read the size of " + engine.describe() + " before backing it up: "
          + e.getMessage() + "; nothing was changed", e);
    }
    long needed = (long) Math.ceil(estimate.databaseBytes() * sizeFactor);
    long free;
    try {
      free = freeSpace.usableBytes(folder);
    } catch (IOException e) {
      throw new RollbackException(ErrorCode.BACKUP_FAILED, "cannot read the free space of " + folder + ": " + e.getMessage(), e);
    }
    if (free < needed) {
      throw new RollbackException(ErrorCode.BACKUP_FAILED, "not enough disk for the backup of " + engine.describe() + " in " + folder
          + ": " + free + " bytes free, but " + needed + " needed (database size " + estimate.databaseBytes() + " bytes x sizeFactor "
          + sizeFactor + "); free some space or choose another folder; nothing was changed");
    }
    ctx.throwIfCancelled();
    String name = BackupNames.unique(folder, BackupNames.name(ctx.service(), at), engine.fileSuffix());
    Path file = folder.resolve(name + engine.fileSuffix());
    Path partial = BackupNames.partial(file);
    ctx.progress("backing up " + engine.describe(), -1);
    long t0 = System.nanoTime();
    BackupEngine.BackupCheck check;
    try {
      check = engine.backup(password, partial, timeout, estimate);
    } catch (Exception e) {
      // A backup that failed half-way is no backup: leave nothing that could be mistaken for one.
      try {
        Files.deleteIfExists(partial);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    if (!check.verified()) {
      throw new RollbackException(ErrorCode.BACKUP_FAILED, "the backup of " + engine.describe() + " is incomplete (" + check.detail()
          + "); it is left for inspection at " + partial + "; nothing was changed");
    }
    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    long size = Files.size(file);
    BackupRecord record = new BackupRecord(name, file, size, took, true, at, engine.kind());
    ctx.put(own, record);
    ctx.put(BackupRecord.KEY, record);
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("kind", "database-backup");
    facts.put("database", engine.describe());
    facts.put("name", name);
    facts.put("location", file.toString());
    facts.put("sizeBytes", String.valueOf(size));
    facts.put("durationMs", String.valueOf(took.toMillis()));
    facts.put("verified", "true");
    facts.put("tableData", String.valueOf(check.tableData()));
    facts.put("check", check.detail());
    facts.put("databaseBytes", String.valueOf(estimate.databaseBytes()));
    facts.put("freeBytes", String.valueOf(free));
    facts.put("serverVersion", estimate.serverVersion());
    ctx.record("database backup " + name + " taken and verified", facts);
    ctx.log().info("database backup {} of {} taken: {} bytes in {} ms, {}", name, engine.describe(), size, took.toMillis(), check.detail());
    return new StepResult(StepStatus.SUCCEEDED, "backed up " + engine.describe() + " to " + file + " (" + size + " bytes in "
        + took.toMillis() + " ms, verified)", facts);
  }

  /**
   * Restores the backup when the run aborted after a step changed the database (see {@link
   * Compensation}); otherwise keeps it and says where it is.
   *
   * @param ctx the run's context
   * @return how it went
   * @throws RollbackException with {@link ErrorCode#BACKUP_FAILED} when the restore fails
   */
  @Override
  public StepResult compensate(StepContext ctx) throws Exception {
    Optional<BackupRecord> taken = ctx.get(own);
    if (taken.isEmpty()) {
      return StepResult.skipped("no backup was taken");
    }
    BackupRecord record = taken.get();
    Optional<String> changedBy = ctx.get(DATABASE_CHANGED);
    if (compensation == Compensation.KEEP || (compensation == Compensation.RESTORE_IF_CHANGED && changedBy.isEmpty())) {
      String why = compensation == Compensation.KEEP ? "compensation is KEEP" : "no step marked the database as changed";
      return StepResult.skipped(why + ": the database was not restored; the backup is kept at " + record.location())
          .withFact("kind", "database-backup").withFact("location", record.location());
    }
    Map<String, String> facts = DatabaseRestore.restore(target, target.password(ctx), record, timeout, 1, false);
    facts.put("changedBy", changedBy.orElse("unknown"));
    ctx.record("database " + target + " restored from " + record.name(), facts);
    return new StepResult(StepStatus.SUCCEEDED, "restored " + target + " from " + record.location(), facts);
  }

  private void ensureWritableFolder() {
    try {
      Files.createDirectories(folder);
      Path probe = Files.createTempFile(folder, ".rollback-write-check-", ".tmp");
      Files.delete(probe);
    } catch (IOException | UnsupportedOperationException e) {
      throw new RollbackException(ErrorCode.BACKUP_FAILED, "backup folder " + folder + " is not writable (" + e + "): choose a folder "
          + "this process can create files in; nothing was changed", e);
    }
  }

  @Override
  public String toString() {
    return "DatabaseBackup[" + id + ": " + target + " -> " + folder + "]";
  }

  /** What the backup's compensation does when a later step aborts the run. */
  public enum Compensation {
    /**
     * Restore the backup only when a step called {@link #markChanging(StepContext)}: the default,
     * because a restore also discards what the application wrote since the backup.
     */
    RESTORE_IF_CHANGED,
    /** Always restore the backup. */
    RESTORE,
    /** Never restore; keep the backup for an operator. */
    KEEP
  }

  /** How much space a folder has left; tests give a fake one. */
  @FunctionalInterface
  public interface FreeSpace {
    /** Reads the usable space of the folder's file store. */
    FreeSpace FILE_STORE = folder -> Files.getFileStore(folder).getUsableSpace();

    /**
     * @param folder the backup folder (it exists)
     * @return the bytes a new file there may take
     * @throws IOException when it cannot be read
     */
    long usableBytes(Path folder) throws IOException;
  }

  /** Builds a {@link DatabaseBackup}; {@link #build()} reports every problem at once. */
  public static final class Builder {
    private final String id;
    private @Nullable BackupTarget target;
    private @Nullable Path folder;
    private Duration timeout = Duration.ofHours(1);
    private double sizeFactor = 1.0;
    private FreeSpace freeSpace = FreeSpace.FILE_STORE;
    private Compensation compensation = Compensation.RESTORE_IF_CHANGED;
    private final List<String> problems = new ArrayList<>();

    private Builder(String id) {
      this.id = id;
    }

    /**
     * @param target the database; required
     * @return this builder
     */
    public Builder target(BackupTarget target) {
      if (target == null) {
        problems.add("target must not be null: pass BackupTarget.postgres()...build() or BackupTarget.h2(url).build()");
      }
      this.target = target;
      return this;
    }

    /**
     * @param folder where backups are written (created if missing); required
     * @return this builder
     */
    public Builder folder(Path folder) {
      if (folder == null) {
        problems.add("folder must not be null: pass the backup folder, e.g. Path.of(\"/var/backups/checkout\")");
      }
      this.folder = folder;
      return this;
    }

    /**
     * @param timeout the longest pg_dump (and the restore of a compensation) may run; positive; default one hour
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
     * @param factor the free space needed, as a multiple of the database's size; positive; default
     *     1.0 (a compressed dump is almost always smaller than the database, indexes are not in it)
     * @return this builder
     */
    public Builder sizeFactor(double factor) {
      if (!(factor > 0) || Double.isInfinite(factor)) {
        problems.add("sizeFactor must be a positive number, but was " + factor + ": pass e.g. 1.0, or 0.3 for a database that compresses well");
      } else {
        this.sizeFactor = factor;
      }
      return this;
    }

    /**
     * @param probe how the folder's free space is read; default {@link FreeSpace#FILE_STORE}
     * @return this builder
     */
    public Builder freeSpace(FreeSpace probe) {
      if (probe == null) {
        problems.add("freeSpace must not be null: leave it unset for FreeSpace.FILE_STORE");
      } else {
        this.freeSpace = probe;
      }
      return this;
    }

    /**
     * @param compensation what happens to the database when a later step aborts the run; default
     *     {@link Compensation#RESTORE_IF_CHANGED}
     * @return this builder
     */
    public Builder compensation(Compensation compensation) {
      if (compensation == null) {
        problems.add("compensation must not be null: pass RESTORE_IF_CHANGED, RESTORE or KEEP");
      } else {
        this.compensation = compensation;
      }
      return this;
    }

    /**
     * @return the step
     * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} listing every problem
     */
    public DatabaseBackup build() {
      List<String> all = new ArrayList<>(problems);
      if (id == null || id.isBlank()) {
        all.add("id must not be blank, but was " + (id == null ? "null" : "'" + id + "'") + ": give the step a stable name such as 'backup-checkout-db'");
      }
      if (target == null && problems.stream().noneMatch(p -> p.startsWith("target"))) {
        all.add("target must be set: pass BackupTarget.postgres()...build() or BackupTarget.h2(url).build()");
      }
      if (folder == null && problems.stream().noneMatch(p -> p.startsWith("folder"))) {
        all.add("folder must be set: pass the backup folder, e.g. Path.of(\"/var/backups/checkout\")");
      }
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid database backup '" + id + "'", all);
      }
      return new DatabaseBackup(this);
    }
  }
}
