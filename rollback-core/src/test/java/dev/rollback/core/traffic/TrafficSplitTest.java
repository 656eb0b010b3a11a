package dev.rollback.core.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficSplitTest {

  private static Map<String, Integer> ordered(Object... pairs) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], (Integer) pairs[i + 1]);
    }
    return m;
  }

  @Test
  void refusesWeightsThatDoNotAddUpToOneHundredNamingTheSum() {
    assertThatThrownBy(() -> TrafficSplit.of(ordered("blue", 60, "green", 30)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("add up to 90")
        .hasMessageContaining("must add up to 100");
  }

  @Test
  void refusesAWeightOutsideZeroToOneHundredNamingTheBackend() {
    assertThatThrownBy(() -> TrafficSplit.of(ordered("blue", 120, "green", -20)))
        .hasMessageContaining("'blue' has weight 120");
  }

  @Test
  void acceptsAllZeroWhenNothingReceivesTraffic() {
    assertThat(TrafficSplit.of(ordered("blue", 0, "green", 0)).weight("blue")).isZero();
  }

  @Test
  void allToSendsEverythingToOneBackendAndKeepsTheOthersAtZero() {
    TrafficSplit split = TrafficSplit.of(ordered("blue", 50, "green", 50)).allTo("green");
    assertThat(split.weights()).containsExactly(Map.entry("blue", 0), Map.entry("green", 100));
  }

  @Test
  void drainingABackendSharesItsWeightInProportionAmongTheOthers() {
    TrafficSplit split = TrafficSplit.of(ordered("a", 50, "b", 30, "c", 20)).withWeight("a", 0);
    assertThat(split.weights()).containsExactly(Map.entry("a", 0), Map.entry("b", 60), Map.entry("c", 40));
  }

  @Test
  void givingWeightToANewBackendAddsItAndTakesFromTheOthers() {
    TrafficSplit split = TrafficSplit.of(ordered("stable", 100)).withWeight("canary", 10);
    assertThat(split.weights()).containsExactly(Map.entry("stable", 90), Map.entry("canary", 10));
  }

  @Test
  void sharesEquallyWhenTheOthersAllHaveZero() {
    TrafficSplit split = TrafficSplit.of(ordered("a", 100, "b", 0, "c", 0)).withWeight("a", 0);
    assertThat(split.weights()).containsExactly(Map.entry("a", 0), Map.entry("b", 50), Map.entry("c", 50));
  }

  @Test
  void keepsTheOrderTheBackendsWereGivenIn() {
    assertThat(TrafficSplit.of(ordered("z", 10, "a", 90)).weights().keySet()).containsExactly("z", "a");
  }
}
