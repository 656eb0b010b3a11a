package dev.rollback.core.decision;

import java.util.List;

/**
 * What the database module found between the running version and the target.
 *
 * @param migrations migrations applied between the two versions
 * @param irreversible how many of them have no undo
 * @param destructive how many of them drop or rewrite data (an undo would lose data)
 * @param details one line per migration that matters ("V42__drop_legacy_orders: DROP TABLE")
 * @since 0.1.0
 */
public record DatabaseFacts(int migrations, int irreversible, int destructive, List<String> details) {
  /** Copies the list. */
  public DatabaseFacts {
    details = List.copyOf(details);
  }
}
