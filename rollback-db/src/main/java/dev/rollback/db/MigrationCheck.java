package dev.rollback.db;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Phase#DATABASE_PREP} step: reads the migrations between the running version and the
 * target ({@link FlywayMigrationTool#diff}), records each with its risk and undo script in the
 * timeline (so the incident report lists them), asks the {@link DatabasePolicy}, and shares the
 * {@link DatabaseDecision} under {@link DatabaseDecision#KEY} for {@link MigrationUndo}. When the
 * policy says FORWARD_FIX (forward-only, no undo scripts, or no consent to lose data) the run ends
 * here as {@link RunOutcome#FORWARD_FIX}.
 *
 * <pre>{@code
 * plan.step(MigrationCheck.builder("db-migrations").tool(flyway).policy(DatabasePolicy.defaults()).build())
 *     .step(DatabaseBackup...)                    // puts a BackupRecord (another step of this module)
 *     .step(MigrationUndo.builder("db-undo").tool(flyway).build());
 * }</pre>
 *
 * <p>Timeline entries: one {@code kind=migrations} summary, one {@code kind=migration} per
 * migration ({@code name, version, risk, undoScript, reasons}), {@code kind=migration-note} for
 * history problems, {@code kind=database-decision} and, when the operator accepted data loss,
 * {@code kind=data-loss} with the reason.
 *
 * @since 0.1.0
 */
public final class MigrationCheck implements Step {
  private final String id;
  private final FlywayMigrationTool tool;
  private final DatabasePolicy policy;

  private MigrationCheck(Builder b) {
    this.id = b.id;
    this.tool = b.tool;
    this.policy = b.policy;
  }

  /**
   * @param id the step's id, unique within the plan ("db-migrations")
   * @return a builder
   */
  public static Builder builder(String id) {
    return new Builder(id);
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

  /** @return true: it only reads */
  @Override
  public boolean idempotent() {
    return true;
  }

  @Override
  public String preview(StepContext ctx) {
    return "would read the Flyway migrations between " + ctx.toVersion() + " and " + ctx.fromVersion() + " (" + tool.folder()
        + " at each tag, the history table of " + tool + "), classify them and decide with " + policy;
  }

  /**
   * @param ctx the run's context
   * @return the decision; concludes the run as FORWARD_FIX when the database may not go back
   * @throws RollbackException with {@link ErrorCode#VERSION_REJECTED} when a tag does not exist
   */
  @Override
  public StepResult execute(StepContext ctx) {
    MigrationDiff diff = tool.diff(ctx.fromVersion(), ctx.toVersion());
    recordDiff(ctx, diff);
    DatabaseDecision d = policy.decide(diff);
    ctx.put(DatabaseDecision.KEY, d);
    Map<String, String> f = new LinkedHashMap<>();
    f.put("kind", "database-decision");
    f.put("action", d.action().name());
    f.put("reason", d.reason());
    f.put("policy", policy.toString());
    ctx.record("database: " + d.action() + ": " + d.reason(), f);
    if (d.dataLossReason() != null) {
      ctx.record("data loss accepted for the database undo: " + d.dataLossReason(),
          Map.of("kind", "data-loss", "reason", d.dataLossReason(), "destructive", String.valueOf(diff.destructive())));
    }
    StepResult r = d.action() == DatabaseDecision.Action.FORWARD_FIX
        ? StepResult.concludeRun(RunOutcome.FORWARD_FIX, "database: " + d.reason())
        : StepResult.succeeded("database: " + d.action() + ": " + d.reason());
    return r.withFact("action", d.action().name()).withFact("migrations", diff.changes().size())
        .withFact("destructive", diff.destructive()).withFact("irreversible", diff.irreversible());
  }

  static void recordDiff(StepContext ctx, MigrationDiff diff) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("kind", "migrations");
    s.put("from", diff.from());
    s.put("to", diff.to());
    s.put("targetNewest", String.valueOf(diff.targetNewest()));
    s.put("count", String.valueOf(diff.changes().size()));
    s.put("destructive", String.valueOf(diff.destructive()));
    s.put("irreversible", String.valueOf(diff.irreversible()));
    s.put("list", diff.changes().stream().map(MigrationChange::summary).collect(Collectors.joining("\n")));
    String names = diff.changes().stream().map(c -> c.name() + " " + c.risk()).collect(Collectors.joining(", "));
    ctx.record(diff.changes().size() + " migration(s) applied that " + diff.to() + " does not ship" + (names.isEmpty() ? "" : ": " + names), s);
    for (MigrationChange c : diff.changes()) {
      Map<String, String> f = new LinkedHashMap<>();
      f.put("kind", "migration");
      f.put("name", c.name());
      f.put("version", String.valueOf(c.version()));
      f.put("risk", c.risk().name());
      f.put("undoScript", String.valueOf(c.undoScript()));
      f.put("installedRank", String.valueOf(c.installedRank()));
      f.put("outOfOrder", String.valueOf(c.outOfOrder()));
      f.put("reasons", String.join("\n", c.reasons()));
      ctx.record(c.summary(), f);
    }
    for (String note : diff.notes()) {
      ctx.record(note, Map.of("kind", "migration-note"));
    }
  }

  @Override
  public String toString() {
    return "MigrationCheck[" + id + ", " + tool + ", " + policy + "]";
  }

  /** Builds a {@link MigrationCheck}; problems are collected and reported at {@link #build()}. */
  public static final class Builder {
    private final String id;
    private @Nullable FlywayMigrationTool tool;
    private DatabasePolicy policy = DatabasePolicy.defaults();
    private final List<String> problems = new ArrayList<>();

    private Builder(String id) {
      this.id = id;
    }

    /**
     * @param tool the Flyway setup; required
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
     * @param policy when the database may go back; default {@link DatabasePolicy#defaults()}
     * @return this builder
     */
    public Builder policy(DatabasePolicy policy) {
      if (policy == null) {
        problems.add("policy must not be null: pass DatabasePolicy.defaults() or DatabasePolicy.custom()...build()");
      } else {
        this.policy = policy;
      }
      return this;
    }

    /**
     * @return the step
     * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} listing every problem
     */
    public MigrationCheck build() {
      List<String> all = new ArrayList<>(problems);
      if (id == null || id.isBlank()) {
        all.add("id must not be blank, but was " + (id == null ? "null" : "'" + id + "'") + ": give the step a stable name such as 'db-migrations'");
      }
      if (tool == null && problems.stream().noneMatch(p -> p.startsWith("tool"))) {
        all.add("tool must be set: pass FlywayMigrationTool.builder()...build()");
      }
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid migration check '" + id + "'", all);
      }
      return new MigrationCheck(this);
    }
  }
}
