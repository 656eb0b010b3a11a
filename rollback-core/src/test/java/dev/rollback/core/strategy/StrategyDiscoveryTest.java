package dev.rollback.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.support.FakeStrategyProvider;
import dev.rollback.core.support.SecondFakeStrategyProvider;
import dev.rollback.core.support.TestClock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrategyDiscoveryTest {

  @Test
  void findsAProviderOnTheClassPathByName() {
    assertThat(Strategies.available()).contains("test-platform");
    RollbackStrategy s = Strategies.load("test-platform", Map.of("running", "v7"));
    assertThat(s.name()).isEqualTo("test-platform");
  }

  @Test
  void theHigherPriorityProviderWinsWhenTwoShareAName() {
    assertThat(Strategies.discovered().names()).containsOnlyOnce("test-platform");
    // Both are registered in META-INF/services; only the priority-10 one may be used.
    Strategies explicit = Strategies.builder().discover(false)
        .provider(new FakeStrategyProvider())
        .provider(new SecondFakeStrategyProvider())
        .build();
    assertThat(explicit.names()).containsExactly("test-platform");
  }

  @Test
  void anUnknownNameListsTheAvailableOnes() {
    assertThatThrownBy(() -> Strategies.load("kubernetes", Map.of()))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("no strategy 'kubernetes'")
        .hasMessageContaining("add rollback-k8s to the class path")
        .hasMessageContaining("available: test-platform")
        .satisfies(e -> assertThat(((RollbackException) e).code()).isEqualTo(ErrorCode.UNKNOWN_STRATEGY));
  }

  @Test
  void twoProvidersWithOneNameAndOnePriorityFailNamingBothClasses() {
    assertThatThrownBy(() -> Strategies.builder().discover(false)
            .provider(new FakeStrategyProvider("dup"))
            .provider(new FakeStrategyProvider("dup") {})
            .build())
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("two strategy providers claim 'dup' at priority 0")
        .hasMessageContaining(FakeStrategyProvider.class.getName())
        .satisfies(e -> assertThat(((RollbackException) e).code()).isEqualTo(ErrorCode.DUPLICATE_PROVIDER));
  }

  @Test
  void discoveryCanBeSwitchedOffAndProvidersAddedInCode() {
    Strategies none = Strategies.builder().discover(false).build();
    assertThat(none.names()).isEmpty();
    Strategies one = Strategies.builder().discover(false).provider(new FakeStrategyProvider("mine")).build();
    assertThat(one.names()).containsExactly("mine");
  }

  @Test
  void aPlanRunsADiscoveredStrategyByNameThroughToConvergence() {
    TestClock clock = TestClock.create();
    RollbackPlan plan = RollbackPlan.builder("catalog")
        .currentVersion("v2")
        .target("v1")
        .strategy("test-platform", Map.of("running", "v2"))
        .build();
    RollbackResult result = RollbackRunner.builder().clock(clock).sleeper(clock.sleeper()).build().run(plan);

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(result.step("platform-rollback-test-platform")).hasValueSatisfying(s ->
        assertThat(s.facts()).containsEntry("from", "v2").containsEntry("to", "v1").containsEntry("strategy", "test-platform"));
    assertThat(result.timeline()).anySatisfy(t -> assertThat(t.message()).isEqualTo("test-platform runs v2 before the rollback"));
  }
}
