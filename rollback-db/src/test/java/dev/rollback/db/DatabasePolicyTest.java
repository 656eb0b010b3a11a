package dev.rollback.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy's decisions on diffs made by hand: what happens to the database, and why. */
class DatabasePolicyTest {

  private static MigrationChange change(String version, String name, MigrationRisk risk, boolean undo) {
    return new MigrationChange(version, name.replace('_', ' '), "V" + version + "__" + name + ".sql", "SQL", Integer.parseInt(version), null,
        false, false, risk, List.of(), undo ? "db/migration/U" + version + "__" + name + ".sql" : null);
  }

  private static MigrationDiff diff(MigrationChange... changes) {
    return new MigrationDiff("v1.2.0", "v1.1.0", "3", List.of(changes), List.of());
  }

  private static final MigrationChange ADD = change("4", "create_audit", MigrationRisk.ADDITIVE, false);
  private static final MigrationChange DROP = change("5", "drop_legacy", MigrationRisk.DESTRUCTIVE, true);
  private static final MigrationChange DROP_NO_UNDO = change("5", "drop_legacy", MigrationRisk.DESTRUCTIVE, false);
  private static final MigrationChange JAVA = change("6", "backfill", MigrationRisk.UNKNOWN, true);

  @Test
  void noMigrationsNeedNothing() {
    assertThat(DatabasePolicy.defaults().decide(diff()).action()).isEqualTo(DatabaseDecision.Action.NONE);
  }

  @Test
  void additiveDiffsKeepTheSchemaEvenWithoutUndoScriptsAndUnderForwardOnly() {
    for (DatabasePolicy p : List.of(DatabasePolicy.defaults(), DatabasePolicy.forwardOnlyPolicy())) {
      DatabaseDecision d = p.decide(diff(ADD));
      assertThat(d.action()).isEqualTo(DatabaseDecision.Action.KEEP_SCHEMA);
      assertThat(d.reason()).contains("expand/contract").contains("the schema stays");
    }
  }

  @Test
  void forwardOnlyVetoesAnythingThatIsNotAdditive() {
    DatabaseDecision d = DatabasePolicy.forwardOnlyPolicy().decide(diff(ADD, DROP));
    assertThat(d.action()).isEqualTo(DatabaseDecision.Action.FORWARD_FIX);
    assertThat(d.reason()).contains("forward-only").contains("V5__drop_legacy (DESTRUCTIVE)").doesNotContain("V4__create_audit");
  }

  @Test
  void aMissingUndoScriptMeansForwardFixEvenWithConsent() {
    DatabaseDecision d = DatabasePolicy.custom().allowDataLoss("INC-1").build().decide(diff(ADD, DROP_NO_UNDO));
    assertThat(d.action()).isEqualTo(DatabaseDecision.Action.FORWARD_FIX);
    assertThat(d.reason()).startsWith("V4__create_audit, V5__drop_legacy between v1.1.0 and v1.2.0 cannot be undone");
  }

  @Test
  void destructiveOrUnknownUndoNeedsConsent() {
    assertThat(DatabasePolicy.defaults().decide(diff(DROP)).reason()).contains("needs the operator's consent");
    assertThat(DatabasePolicy.defaults().decide(diff(JAVA)).action()).isEqualTo(DatabaseDecision.Action.FORWARD_FIX);
    DatabaseDecision d = DatabasePolicy.custom().allowDataLoss("  INC-2: restore from backup ").build()
        .decide(diff(change("4", "create_audit", MigrationRisk.ADDITIVE, true), DROP, JAVA));
    assertThat(d.action()).isEqualTo(DatabaseDecision.Action.UNDO);
    assertThat(d.dataLossReason()).isEqualTo("INC-2: restore from backup");
    assertThat(d.reason()).contains("undo 3 migrations newest first").contains("a verified backup is required");
  }

  @Test
  void theBuilderNamesEveryProblemAtOnce() {
    assertThatThrownBy(() -> DatabasePolicy.custom().allowDataLoss(" ").forwardOnly().allowDataLoss("why").build())
        .isInstanceOfSatisfying(RollbackException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
          assertThat(e.problems()).containsExactly(
              "allowDataLoss needs a reason, but was ' ': say why losing the data is acceptable, e.g. \"INC-4711: restored from the backup\"",
              "forwardOnly() and allowDataLoss('why') contradict each other: a forward-only database is never undone; drop one of them");
        });
  }

  @Test
  void factsCountDestructiveAndIrreversibleChangesButNotAdditiveOnesWithoutUndo() {
    assertThat(diff(ADD, DROP_NO_UNDO, JAVA).toFacts()).satisfies(f -> {
      assertThat(f.migrations()).isEqualTo(3);
      assertThat(f.destructive()).isEqualTo(1);
      assertThat(f.irreversible()).isEqualTo(1);
      assertThat(f.details()).containsExactly("V4__create_audit: ADDITIVE, no undo script", "V5__drop_legacy: DESTRUCTIVE, no undo script",
          "V6__backfill: UNKNOWN, undo db/migration/U6__backfill.sql");
    });
  }
}
