package dev.rollback.db;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One applied migration that the target version does not ship, with its risk.
 *
 * @param version the Flyway version ({@code 3}, {@code 1.2.1}), or null for a repeatable migration
 * @param description its description ({@code drop legacy orders})
 * @param script the script as the history table names it ({@code V3__drop_legacy_orders.sql}) or
 *     the Java class
 * @param type Flyway's migration type ({@code SQL}, {@code JDBC}, ...)
 * @param installedRank its rank in the history table
 * @param installedOn when it was applied, if recorded
 * @param repeatable whether it is a repeatable ({@code R__}) migration
 * @param outOfOrder whether it was applied after a migration with a higher version
 * @param risk its class
 * @param reasons why it has that class: one line per statement that matters, with an excerpt
 * @param undoScript the path of its undo script ({@code U3__*.sql}) at the running version's tag,
 *     or null when there is none
 * @since 0.1.0
 */
public record MigrationChange(
    @Nullable String version,
    String description,
    String script,
    String type,
    int installedRank,
    @Nullable Instant installedOn,
    boolean repeatable,
    boolean outOfOrder,
    MigrationRisk risk,
    List<String> reasons,
    @Nullable String undoScript) {
  /** Checks and copies the components. */
  public MigrationChange {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(risk, "risk");
    reasons = List.copyOf(reasons);
  }

  /** @return whether an undo script exists for it */
  public boolean undoable() {
    return undoScript != null;
  }

  /** @return the migration's name as people say it: {@code V3__drop_legacy_orders} or {@code R__views} */
  public String name() {
    String s = script.contains("/") ? script.substring(script.lastIndexOf('/') + 1) : script;
    return s.endsWith(".sql") ? s.substring(0, s.length() - 4) : s;
  }

  /**
   * @return one line for timelines, reports and {@link dev.rollback.core.decision.DatabaseFacts}:
   *     {@code V3__drop_legacy_orders: DESTRUCTIVE, no undo script (DESTRUCTIVE: DROP TABLE ...)}
   */
  public String summary() {
    return name() + ": " + risk + ", " + (repeatable ? "repeatable" : undoScript == null ? "no undo script" : "undo " + undoScript)
        + (outOfOrder ? ", applied out of order" : "") + (reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")");
  }
}
