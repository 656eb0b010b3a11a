package dev.rollback.db;

import dev.rollback.core.RollbackException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * When the database may go back with the application.
 *
 * <ul>
 *   <li>No migrations between the versions: nothing to do.
 *   <li>Only {@link MigrationRisk#ADDITIVE} migrations: the schema stays (expand/contract: the old
 *       version runs on the new schema) and the database rollback is skipped, with the reason in
 *       the timeline. This holds under {@link Builder#forwardOnly()} too, since nothing is undone.
 *   <li>Any other migration: under {@link Builder#forwardOnly()} the database rollback is vetoed and
 *       the run concludes FORWARD_FIX. Otherwise every migration between the versions must have an
 *       undo script at the running version's tag (else FORWARD_FIX), the operator must accept the
 *       data loss with {@link Builder#allowDataLoss(String)} (else FORWARD_FIX), and {@link
 *       MigrationUndo} requires a verified {@link BackupRecord} before it runs anything.
 * </ul>
 *
 * <pre>{@code
 * DatabasePolicy policy = DatabasePolicy.custom()
 *     .allowDataLoss("INC-4711: v1.3 corrupts orders; the dropped column is restored from the backup")
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class DatabasePolicy {
  private final boolean forwardOnly;
  private final @Nullable String dataLossReason;

  private DatabasePolicy(Builder b) {
    this.forwardOnly = b.forwardOnly;
    this.dataLossReason = b.dataLossReason;
  }

  /** @return a builder; without settings the policy undoes nothing that is not additive */
  public static Builder custom() {
    return new Builder();
  }

  /** @return the default policy: additive diffs keep the schema, anything else ends as FORWARD_FIX */
  public static DatabasePolicy defaults() {
    return custom().build();
  }

  /** @return a policy that never undoes migrations */
  public static DatabasePolicy forwardOnlyPolicy() {
    return custom().forwardOnly().build();
  }

  /** @return whether the database never goes back */
  public boolean forwardOnly() {
    return forwardOnly;
  }

  /** @return the operator's reason for accepting data loss, if given */
  public java.util.Optional<String> dataLossReason() {
    return java.util.Optional.ofNullable(dataLossReason);
  }

  /**
   * Decides what to do with the database for a diff.
   *
   * @param diff the migrations between the running version and the target
   * @return the decision with its reason
   */
  public DatabaseDecision decide(MigrationDiff diff) {
    if (diff.empty()) {
      return new DatabaseDecision(DatabaseDecision.Action.NONE, "no migrations lie between " + diff.to() + " and " + diff.from(), diff, null);
    }
    int n = diff.changes().size();
    String count = n + " migration" + (n == 1 ? "" : "s");
    if (diff.additiveOnly()) {
      return new DatabaseDecision(DatabaseDecision.Action.KEEP_SCHEMA, "the " + count + " between " + diff.to() + " and " + diff.from()
          + " are additive, so " + diff.to() + " runs on the current schema (expand/contract): the schema stays", diff, null);
    }
    String risky = diff.changes().stream().filter(c -> c.risk() != MigrationRisk.ADDITIVE)
        .map(c -> c.name() + " (" + c.risk() + ")").collect(Collectors.joining(", "));
    if (forwardOnly) {
      return new DatabaseDecision(DatabaseDecision.Action.FORWARD_FIX, "the database policy is forward-only and " + risky
          + " cannot stay under " + diff.to() + ": fix forward instead of rolling the database back", diff, null);
    }
    List<MigrationChange> noUndo = new ArrayList<>(diff.withoutUndo());
    diff.changes().stream().filter(c -> c.repeatable() && c.risk() != MigrationRisk.ADDITIVE).forEach(noUndo::add);
    if (!noUndo.isEmpty()) {
      return new DatabaseDecision(DatabaseDecision.Action.FORWARD_FIX, noUndo.stream().map(MigrationChange::name).collect(Collectors.joining(", "))
          + " between " + diff.to() + " and " + diff.from() + " cannot be undone (no U<version>__*.sql at " + diff.from()
          + "), and " + risky + " cannot stay: fix forward, or add the undo scripts", diff, null);
    }
    if (dataLossReason == null) {
      return new DatabaseDecision(DatabaseDecision.Action.FORWARD_FIX, "undoing " + risky + " loses data and needs the operator's consent:"
          + " fix forward, or set DatabasePolicy.custom().allowDataLoss(reason)", diff, null);
    }
    return new DatabaseDecision(DatabaseDecision.Action.UNDO, "undo " + count + " newest first; data loss accepted: " + dataLossReason
        + "; a verified backup is required", diff, dataLossReason);
  }

  @Override
  public String toString() {
    return "DatabasePolicy[" + (forwardOnly ? "forward-only" : dataLossReason == null ? "no data loss" : "data loss allowed") + "]";
  }

  /** Builds a {@link DatabasePolicy}; problems are collected and reported at {@link #build()}. */
  public static final class Builder {
    private boolean forwardOnly;
    private @Nullable String dataLossReason;
    private final List<String> problems = new ArrayList<>();

    private Builder() {}

    /**
     * Never rolls the database back: a diff that is not additive ends the run as FORWARD_FIX.
     *
     * @return this builder
     */
    public Builder forwardOnly() {
      this.forwardOnly = true;
      return this;
    }

    /**
     * Accepts that undoing destructive or unknown migrations loses data; the reason goes into the
     * timeline and the report. A verified backup is still required.
     *
     * @param reason why, e.g. the incident and how the data is recovered; not blank
     * @return this builder
     */
    public Builder allowDataLoss(String reason) {
      if (reason == null || reason.isBlank()) {
        problems.add("allowDataLoss needs a reason, but was " + (reason == null ? "null" : "'" + reason + "'")
            + ": say why losing the data is acceptable, e.g. \"INC-4711: restored from the backup\"");
      } else {
        this.dataLossReason = reason.strip();
      }
      return this;
    }

    /**
     * @return the policy
     * @throws RollbackException with {@link dev.rollback.core.ErrorCode#INVALID_CONFIGURATION} listing
     *     every problem
     */
    public DatabasePolicy build() {
      List<String> all = new ArrayList<>(problems);
      if (forwardOnly && dataLossReason != null) {
        all.add("forwardOnly() and allowDataLoss('" + dataLossReason + "') contradict each other: a forward-only database is never undone;"
            + " drop one of them");
      }
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid database policy", all);
      }
      return new DatabasePolicy(this);
    }
  }
}
