package dev.rollback.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.health.HealthObservation;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DecisionPolicyTest {
  private static final HealthObservation DOWN = new HealthObservation("GET http://api/health", false, 503, Duration.ofMillis(12), "503: db pool exhausted");
  private static final HealthObservation UP = new HealthObservation("GET http://api/health", true, 200, Duration.ofMillis(8), "200: ok");

  private static Assessment assessment(HealthObservation health, Double errorRate, DatabaseFacts db, boolean targetStable) {
    return new Assessment("checkout", "v1.3.0", "v1.2.9", health, errorRate, 0.004, 0.05, null, null, Duration.ofMinutes(42),
        List.of("checkout", "payments"), db, targetStable,
        targetStable ? "v1.2.9 was stable in production: v1.2.9 ran 6 days" : "v1.2.9 was never recorded stable in production");
  }

  @Test
  void irreversibleMigrationsMeanForwardFixAndSaySo() {
    DatabaseFacts db = new DatabaseFacts(3, 1, 1, List.of("V42__drop_legacy_orders: DROP TABLE legacy_orders"));
    Decision d = DecisionPolicy.defaults().decide(assessment(DOWN, 0.2, db, true));

    assertThat(d.verdict()).isEqualTo(Verdict.FORWARD_FIX);
    assertThat(d.rule()).isEqualTo("irreversible-migrations");
    assertThat(d.rationaleText())
        .contains("3 migrations between v1.2.9 and v1.3.0 include 1 irreversible and 1 destructive")
        .contains("V42__drop_legacy_orders: DROP TABLE legacy_orders")
        .contains("fix forward");
    assertThat(d.evidence()).containsEntry("migrations", "3 (1 irreversible, 1 destructive)");
  }

  @Test
  void anOverrideLetsTheNextRuleDecideAndKeepsTheRiskInTheRationale() {
    DatabaseFacts db = new DatabaseFacts(2, 1, 0, List.of("V43__backfill: no undo script"));
    Decision d = DecisionPolicy.custom().allowIrreversibleMigrations("the backfill is idempotent").build()
        .decide(assessment(DOWN, 0.2, db, true));

    assertThat(d.verdict()).isEqualTo(Verdict.ROLLBACK);
    assertThat(d.rationale().get(0)).contains("1 irreversible").contains("overridden: the backfill is idempotent");
  }

  @Test
  void healthyAndErrorRateAtBaselineMeansNoAction() {
    Decision d = DecisionPolicy.defaults().decide(assessment(UP, 0.003, null, true));

    assertThat(d.verdict()).isEqualTo(Verdict.NO_ACTION);
    assertThat(d.rule()).isEqualTo("healthy-at-baseline");
    assertThat(d.rationaleText())
        .contains("checkout v1.3.0 looks healthy")
        .contains("GET http://api/health answered 200: ok")
        .contains("error rate of 0.30% is within the threshold of 5.00% (baseline 0.40%)");
  }

  @Test
  void unhealthyWithAStableTargetMeansRollback() {
    Decision d = DecisionPolicy.defaults().decide(assessment(DOWN, 0.072, null, true));

    assertThat(d.verdict()).isEqualTo(Verdict.ROLLBACK);
    assertThat(d.rule()).isEqualTo("failing-with-stable-target");
    assertThat(d.rationaleText())
        .contains("checkout v1.3.0 is failing")
        .contains("health check fails (GET http://api/health answered 503: db pool exhausted)")
        .contains("error rate of 7.20% is above the threshold of 5.00% (baseline 0.40%)")
        .contains("it has run for 42 minutes")
        .contains("v1.2.9 was stable in production")
        .contains("Roll back to v1.2.9.");
    assertThat(d.evidence()).containsEntry("errorRate", "7.20%").containsEntry("affectedSystems", "checkout, payments");
  }

  @Test
  void anErrorRateOverTheThresholdAloneIsEnoughToRollBack() {
    Decision d = DecisionPolicy.defaults().decide(assessment(UP, 0.09, null, true));
    assertThat(d.verdict()).isEqualTo(Verdict.ROLLBACK);
    assertThat(d.rationaleText()).contains("error rate of 9.00% is above the threshold").doesNotContain("health check fails");
  }

  @Test
  void failingWithoutAStableTargetMeansForwardFix() {
    Decision d = DecisionPolicy.defaults().decide(assessment(DOWN, null, null, false));

    assertThat(d.verdict()).isEqualTo(Verdict.FORWARD_FIX);
    assertThat(d.rule()).isEqualTo("failing-without-stable-target");
    assertThat(d.rationaleText()).contains("v1.2.9 is not known to be stable (v1.2.9 was never recorded stable in production)");
  }

  @Test
  void withoutAnySignalTheFallbackDecidesAndSaysWhy() {
    Decision d = DecisionPolicy.defaults().decide(assessment(null, null, null, true));
    assertThat(d.verdict()).isEqualTo(Verdict.ROLLBACK);
    assertThat(d.rule()).isEqualTo("fallback");
    assertThat(d.rationaleText()).contains("No health check or metric was configured").contains("Fallback: ROLLBACK.");
  }

  @Test
  void customRulesAreAskedInTheirExplicitOrder() {
    DecisionRule freeze = new DecisionRule() {
      @Override
      public String name() {
        return "change-freeze";
      }

      @Override
      public Optional<Decision> evaluate(Assessment a, List<String> notes) {
        return Optional.of(new Decision(Verdict.FORWARD_FIX, name(), List.of("Black Friday freeze: no rollbacks without the CTO."), java.util.Map.of()));
      }
    };
    assertThat(DecisionPolicy.custom().ruleFirst(freeze).build().decide(assessment(DOWN, 0.5, null, true)).rule()).isEqualTo("change-freeze");
    assertThat(DecisionPolicy.custom().rule(freeze).build().decide(assessment(DOWN, 0.5, null, true)).rule())
        .isEqualTo("failing-with-stable-target");
    assertThat(DecisionPolicy.custom().withoutDefaultRules().rule(freeze).build().rules()).hasSize(1);
  }

  @Test
  void severityFollowsTheDeclaredImpact() {
    assertThat(new Impact(60, List.of(), List.of(), false, false, "most users").severity()).isEqualTo(Severity.SEV1);
    assertThat(new Impact(2, List.of(), List.of("checkout"), false, false, "checkout down").severity()).isEqualTo(Severity.SEV1);
    assertThat(new Impact(5, List.of(), List.of(), false, true, "orders lost").severity()).isEqualTo(Severity.SEV1);
    assertThat(new Impact(12, List.of(), List.of(), false, false, "some").severity()).isEqualTo(Severity.SEV2);
    assertThat(new Impact(3, List.of(), List.of(), true, false, "revenue").severity()).isEqualTo(Severity.SEV2);
    assertThat(new Impact(3, List.of(), List.of(), false, false, "few").severity()).isEqualTo(Severity.SEV3);
    assertThat(new Impact(0, List.of("search"), List.of(), false, false, "search slow").severity()).isEqualTo(Severity.SEV3);
    assertThat(new Impact(0.1, List.of(), List.of(), false, false, "a handful").severity()).isEqualTo(Severity.SEV4);
  }
}
