package dev.rollback.db;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.StepStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Phase#DATABASE_ROLLBACK} step: undoes the migrations between the versions when the
 * {@link DatabaseDecision} of {@link MigrationCheck} says {@link DatabaseDecision.Action#UNDO}, and
 * skips with the decision's reason otherwise (additive diffs keep the schema).
 *
 * <p>Before it changes anything it requires a {@link BackupRecord} under {@link BackupRecord#KEY}
 * that is {@link BackupRecord#verified() verified}, and records the operator's data-loss reason
 * with the backup in the timeline ({@code kind=data-loss}). The undo itself is {@link
 * FlywayMigrationTool}'s: newest first, one transaction under Flyway's advisory lock on PostgreSQL
 * (a failure leaves schema and history as they were), script by script on H2; then Flyway validate
 * against the target's migrations.
 *
 * <p>Not idempotent: a resumed run that was interrupted here stops for an operator's decision.
 *
 * @since 0.1.0
 */
public final class MigrationUndo implements Step {
  private final String id;
  private final FlywayMigrationTool tool;

  private MigrationUndo(Builder b) {
    this.id = b.id;
    this.tool = b.tool;
  }

  /**
   * @param id the step's id, unique within the plan ("db-undo")
   * @return a builder
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  @Override
  public String id() {
    return id;
  }

  /** @return {@link Phase#DATABASE_ROLLBACK} */
  @Override
  public Phase phase() {
    return Phase.DATABASE_ROLLBACK;
  }

  @Override
  public String preview(StepContext ctx) {
    return ctx.get(DatabaseDecision.KEY).map(d -> d.action() == DatabaseDecision.Action.UNDO
        ? "would undo " + d.diff().changes().stream().filter(c -> !c.repeatable()).map(MigrationChange::name).toList()
            + " newest first with the undo scripts at " + ctx.fromVersion() + ", after checking for a verified backup"
        : "would leave the database as it is: " + d.reason())
        .orElse("would undo the migrations between " + ctx.toVersion() + " and " + ctx.fromVersion() + " if the migration check allows it");
  }

  /**
   * @param ctx the run's context
   * @return what was undone, or a skip with the reason
   * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} when no migration check
   *     ran, with {@link ErrorCode#VALIDATION_FAILED} when no verified backup exists (nothing is
   *     undone) or validation fails after the undo
   * @throws Exception when an undo script fails (see {@link FlywayMigrationTool})
   */
  @Override
  public StepResult execute(StepContext ctx) throws Exception {
    DatabaseDecision d = ctx.get(DatabaseDecision.KEY).orElseThrow(() -> new RollbackException(ErrorCode.INVALID_CONFIGURATION,
        "step '" + id + "' found no database decision (" + DatabaseDecision.KEY.name() + "): add MigrationCheck.builder(...) in the"
            + " DATABASE_PREP phase of the plan"));
    if (d.action() != DatabaseDecision.Action.UNDO) {
      return new StepResult(StepStatus.SKIPPED, "database left as it is: " + d.reason(),
          Map.of("kind", "migration-undo", "action", d.action().name()));
    }
    BackupRecord backup = ctx.get(BackupRecord.KEY).orElse(null);
    if (backup == null || !backup.verified()) {
      throw new RollbackException(ErrorCode.VALIDATION_FAILED, "undoing " + d.diff().destructive() + " destructive migration(s) needs a"
          + " verified backup, but " + (backup == null ? "no step put a BackupRecord under '" + BackupRecord.KEY.name() + "'"
              : "backup " + backup.name() + " at " + backup.location() + " is not verified")
          + ": add a verified DatabaseBackup step in DATABASE_PREP; nothing was undone");
    }
    Map<String, String> loss = new LinkedHashMap<>();
    loss.put("kind", "data-loss");
    loss.put("reason", String.valueOf(d.dataLossReason()));
    loss.put("backup", backup.name());
    loss.put("backupLocation", backup.location().toString());
    loss.put("backupVerified", "true");
    ctx.record("undoing migrations that lose data, accepted because: " + d.dataLossReason() + " (backup " + backup.name() + ")", loss);
    List<MigrationChange> versioned = d.diff().changes().stream().filter(c -> !c.repeatable()).toList();
    boolean repeatables = d.diff().changes().stream().anyMatch(MigrationChange::repeatable);
    if (repeatables) {
      ctx.record("repeatable migrations are not undone: the target's versions are re-applied by its next flyway migrate",
          Map.of("kind", "migration-undo"));
    }
    FlywayMigrationTool.Undone u = tool.undo(versioned, repeatables, ctx);
    return StepResult.succeeded("undid " + u.undone().size() + " migration(s) " + (u.transactional() ? "in one transaction" : "script by script")
        + " on " + u.database() + ": " + String.join(", ", u.undone()))
        .withFact("kind", "migration-undo").withFact("undone", String.join(", ", u.undone()))
        .withFact("transactional", u.transactional()).withFact("backup", backup.name());
  }

  @Override
  public String toString() {
    return "MigrationUndo[" + id + ", " + tool + "]";
  }

  /** Builds a {@link MigrationUndo}; problems are collected and reported at {@link #build()}. */
  public static final class Builder {
    private final String id;
    private @Nullable FlywayMigrationTool tool;
    private final List<String> problems = new ArrayList<>();

    private Builder(String id) {
      this.id = id;
    }

    /**
     * @param tool the Flyway setup, the same as the migration check's; required
     * @return this builder
     */
    public Builder tool(FlywayMigrationTool tool) {
      if (tool == null) {
        problems.add("tool must not be null: pass FlywayMigrationTool.builder()...build()");
      }
      this.tool = tool;
      return this;
    }

    /**
     * @return the step
     * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} listing every problem
     */
    public MigrationUndo build() {
      List<String> all = new ArrayList<>(problems);
      if (id == null || id.isBlank()) {
        all.add("id must not be blank, but was " + (id == null ? "null" : "'" + id + "'") + ": give the step a stable name such as 'db-undo'");
      }
      if (tool == null && problems.stream().noneMatch(p -> p.startsWith("tool"))) {
        all.add("tool must be set: pass FlywayMigrationTool.builder()...build()");
      }
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid migration undo '" + id + "'", all);
      }
      return new MigrationUndo(this);
    }
  }
}
