package dev.rollback.db;

import dev.rollback.core.decision.DatabaseFacts;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The migrations a database has applied that the target version does not ship: versioned
 * migrations applied after the target's newest one or out of order, and repeatable migrations whose
 * applied script differs from the target's (or that the target lacks). Oldest first, by their rank
 * in the history table.
 *
 * @param from the running version (its tag)
 * @param to the target version (its tag)
 * @param targetNewest the newest migration version the target ships, or null when it ships none
 * @param changes the migrations between them, oldest applied first
 * @param notes what deserves a look but is not a change (a changed checksum, a failed row)
 * @since 0.1.0
 */
public record MigrationDiff(String from, String to, @Nullable String targetNewest, List<MigrationChange> changes, List<String> notes) {
  /** Checks and copies the components. */
  public MigrationDiff {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    changes = List.copyOf(changes);
    notes = List.copyOf(notes);
  }

  /** @return true when nothing lies between the versions */
  public boolean empty() {
    return changes.isEmpty();
  }

  /** @return true when there are changes and all of them are {@link MigrationRisk#ADDITIVE} */
  public boolean additiveOnly() {
    return !changes.isEmpty() && changes.stream().allMatch(c -> c.risk() == MigrationRisk.ADDITIVE);
  }

  /** @return how many are {@link MigrationRisk#DESTRUCTIVE} */
  public int destructive() {
    return (int) changes.stream().filter(c -> c.risk() == MigrationRisk.DESTRUCTIVE).count();
  }

  /**
   * @return how many would have to be undone for the old version to run, but cannot be: the ones
   *     that are not {@link MigrationRisk#ADDITIVE} (additive ones may stay, expand/contract) and
   *     have no undo script (repeatable migrations never have one)
   */
  public int irreversible() {
    return (int) changes.stream().filter(c -> c.risk() != MigrationRisk.ADDITIVE && (c.repeatable() || !c.undoable())).count();
  }

  /** @return the versioned changes that have no undo script */
  public List<MigrationChange> withoutUndo() {
    return changes.stream().filter(c -> !c.repeatable() && !c.undoable()).toList();
  }

  /**
   * @return the facts the core's decision rules read: the count of migrations, {@link
   *     #irreversible()}, {@link #destructive()} and one {@link MigrationChange#summary()} per change
   */
  public DatabaseFacts toFacts() {
    return new DatabaseFacts(changes.size(), irreversible(), destructive(), changes.stream().map(MigrationChange::summary).toList());
  }
}
