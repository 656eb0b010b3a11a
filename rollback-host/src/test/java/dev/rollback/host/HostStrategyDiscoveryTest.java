package dev.rollback.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.RollbackException;
import dev.rollback.core.strategy.Strategies;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** rollback-host's providers are found by name through ServiceLoader once the module is on the class path. */
class HostStrategyDiscoveryTest {

  @Test
  void theSymlinkAndRollingStrategiesAreFoundByName() {
    assertThat(Strategies.available()).contains("symlink", "rolling");
  }

  @Test
  void theSymlinkProviderNamesAMissingRootSetting() {
    assertThatThrownBy(() -> Strategies.load("symlink", Map.of()))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("root");
  }
}
