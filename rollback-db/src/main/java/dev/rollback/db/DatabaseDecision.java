package dev.rollback.db;

import dev.rollback.core.Key;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the {@link DatabasePolicy} decided for a {@link MigrationDiff}; {@link MigrationCheck} puts
 * it in the run's context under {@link #KEY} for {@link MigrationUndo}.
 *
 * @param action what to do with the database
 * @param reason why, for people
 * @param diff the migrations it is about
 * @param dataLossReason the operator's reason for accepting data loss, or null
 * @since 0.1.0
 */
public record DatabaseDecision(Action action, String reason, MigrationDiff diff, @Nullable String dataLossReason) {
  /** The key under which the decision is shared (and journaled). */
  public static final Key<DatabaseDecision> KEY = Key.of("db.decision", DatabaseDecision.class);

  /** Checks the components. */
  public DatabaseDecision {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(diff, "diff");
  }

  /** What happens to the database. */
  public enum Action {
    /** No migration lies between the versions: nothing to do. */
    NONE,
    /** Every migration between the versions is additive: the schema stays (expand/contract). */
    KEEP_SCHEMA,
    /** The migrations between the versions are undone by their undo scripts. */
    UNDO,
    /** The database cannot or may not go back: the run ends as FORWARD_FIX. */
    FORWARD_FIX
  }
}
