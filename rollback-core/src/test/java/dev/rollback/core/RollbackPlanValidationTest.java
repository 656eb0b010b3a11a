package dev.rollback.core;

import static dev.rollback.core.support.Steps.noop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.strategy.Strategies;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RollbackPlanValidationTest {

  private static RollbackPlan.Builder valid() {
    return RollbackPlan.builder("checkout-api").currentVersion("v1.3.0").target("v1.2.9");
  }

  private static RollbackException invalid(RollbackPlan.Builder b) {
    try {
      b.build();
    } catch (RollbackException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
      return e;
    }
    throw new AssertionError("build() accepted an invalid plan");
  }

  @Test
  void buildsAValidPlanWithStepsInPhaseOrderThenInOrderOfAddition() {
    RollbackPlan plan = valid()
        .step(noop("validate-health", Phase.VALIDATE))
        .step(noop("drain", Phase.TRAFFIC_DRAIN))
        .step(noop("validate-latency", Phase.VALIDATE))
        .step(noop("assess", Phase.ASSESS))
        .build();

    assertThat(plan.stepIds()).containsExactly("assess", "drain", "validate-health", "validate-latency");
    assertThat(plan.service()).isEqualTo("checkout-api");
  }

  @Test
  void rejectsABlankService() {
    RollbackException e = invalid(RollbackPlan.builder("  ").currentVersion("v2").target("v1").step(noop("a", Phase.ASSESS)));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("service must not be blank, but was '  '").contains("checkout-api"));
  }

  @Test
  void rejectsANullServiceWithoutANullPointerException() {
    RollbackException e = invalid(RollbackPlan.builder(null).currentVersion("v2").target("v1").step(noop("a", Phase.ASSESS)));
    assertThat(e.getMessage()).contains("service must not be blank, but was null");
  }

  @Test
  void rejectsAServiceNameThatIsNotSafeAsAFileName() {
    RollbackException e = invalid(RollbackPlan.builder("../etc").currentVersion("v2").target("v1").step(noop("a", Phase.ASSESS)));
    assertThat(e.getMessage()).contains("service must be 1-128 letters, digits").contains("'../etc'");
  }

  @Test
  void rejectsDuplicateStepIdsNamingTheId() {
    RollbackException e = invalid(valid().step(noop("drain", Phase.TRAFFIC_DRAIN)).step(noop("drain", Phase.EDGE)));
    assertThat(e.getMessage()).contains("step id 'drain' is used twice").contains("unique");
  }

  @Test
  void rejectsAStepWithoutPhase() {
    Step noPhase = new Step() {
      @Override
      public String id() {
        return "orphan";
      }

      @Override
      public Phase phase() {
        return null;
      }

      @Override
      public StepResult execute(StepContext ctx) {
        return StepResult.succeeded();
      }
    };
    RollbackException e = invalid(valid().step(noPhase));
    assertThat(e.getMessage()).contains("step 'orphan' has no phase").contains("ASSESS");
  }

  @Test
  void rejectsAStepBuilderWithoutPhaseAtItsOwnBuild() {
    assertThatThrownBy(() -> Step.builder("x", null).execute(ctx -> StepResult.succeeded()).build())
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("phase must be set for step 'x'");
  }

  @Test
  void rejectsAPlanWithNoSteps() {
    RollbackException e = invalid(valid());
    assertThat(e.getMessage()).contains("the plan has no steps").contains("step(...) or strategy(...)");
  }

  @Test
  void rejectsZeroAndNegativeTimeouts() {
    assertThatThrownBy(() -> StepPolicy.custom().timeout(Duration.ZERO).build())
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("timeout must be positive, but was PT0S");
    assertThatThrownBy(() -> StepPolicy.custom().timeout(Duration.ofSeconds(-5)).approvalTimeout(Duration.ZERO).build())
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("timeout must be positive, but was PT-5S")
        .hasMessageContaining("approvalTimeout must be positive, but was PT0S")
        .hasMessageContaining("2 problems");
  }

  @Test
  void rejectsUnknownStrategyListingTheAvailableNames() {
    Strategies strategies = Strategies.builder().discover(false)
        .provider(new dev.rollback.core.support.FakeStrategyProvider("fake"))
        .provider(new dev.rollback.core.support.FakeStrategyProvider("other"))
        .build();
    RollbackException e = invalid(valid().strategies(strategies).strategy("swarm", Map.of()));
    assertThat(e.getMessage())
        .contains("no strategy 'swarm'")
        .contains("add rollback-docker to the class path")
        .contains("available: fake, other");
  }

  @Test
  void rejectsAPlanWithoutTarget() {
    RollbackException e = invalid(RollbackPlan.builder("checkout-api").currentVersion("v2").step(noop("a", Phase.ASSESS)));
    assertThat(e.getMessage()).contains("target is not set").contains("target(\"v1.2.9\")");
  }

  @Test
  void rejectsABlankTarget() {
    RollbackException e = invalid(RollbackPlan.builder("checkout-api").currentVersion("v2").target(" ").step(noop("a", Phase.ASSESS)));
    assertThat(e.getMessage()).contains("target must not be blank, but was ' '").doesNotContain("target is not set");
  }

  @Test
  void rejectsAPlanWithoutCurrentVersion() {
    RollbackException e = invalid(RollbackPlan.builder("checkout-api").target("v1").step(noop("a", Phase.ASSESS)));
    assertThat(e.getMessage()).contains("current version is not set");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    RollbackException e = invalid(RollbackPlan.builder("")
        .step(noop("a", Phase.ASSESS))
        .step(noop("a", Phase.ASSESS)));
    assertThat(e.problems()).hasSize(4);
    assertThat(e.getMessage()).startsWith("invalid rollback plan for '': 4 problems");
  }

  @Test
  void rejectsTheSameSecretNameTwice() {
    RollbackException e = invalid(valid().step(noop("a", Phase.ASSESS))
        .secret("token", Secret.of("abc"))
        .secret("token", Secret.of("def")));
    assertThat(e.getMessage()).contains("secret 'token' is declared twice");
  }

  @Test
  void rejectsBadRetryPolicies() {
    assertThatThrownBy(() -> RetryPolicy.custom().maxAttempts(0).backoff(Duration.ofSeconds(5), 0.5, Duration.ofSeconds(1)).jitter(1.5).build())
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("maxAttempts must be at least 1, but was 0")
        .hasMessageContaining("multiplier must be at least 1.0, but was 0.5")
        .hasMessageContaining("max interval must not be shorter than the initial PT5S, but was PT1S")
        .hasMessageContaining("jitter must be in [0, 1), but was 1.5");
  }

  @Test
  void rejectsABadRunnerConfiguration() {
    assertThatThrownBy(() -> RollbackRunner.builder().lockTtl(Duration.ZERO).journal(null).owner(" ").build())
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("lockTtl must be positive, but was PT0S")
        .hasMessageContaining("journal must not be null")
        .hasMessageContaining("owner must not be blank");
  }
}
