package dev.rollback.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.RollbackException;
import dev.rollback.core.command.CommandResult;
import dev.rollback.core.strategy.Strategies;
import dev.rollback.host.internal.RollingStrategyProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RollingStrategyTest {
  static final SshCommandRunner NO_SSH = new SshCommandRunner() {
    @Override
    public CommandResult run(SshHost host, SshCommand command, Duration timeout) {
      throw new AssertionError("no SSH expected");
    }

    @Override
    public CommandResult run(SshHost host, SshCommand command) {
      throw new AssertionError("no SSH expected");
    }

    @Override
    public void close() {}
  };

  @Test
  void theBuilderReportsEveryProblemAtOnce() {
    SshHost web1 = new SshHost("web1", 22, "deploy", "/srv/app");
    assertThatThrownBy(() -> RollingStrategy.builder()
            .host(web1)
            .host(web1)
            .batchSize(0)
            .batchPercent(150)
            .failureThreshold(0)
            .healthTimeout(Duration.ZERO, Duration.ofSeconds(-1))
            .restart()
            .build())
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.problems()).hasSize(8))
        .hasMessageContaining("batchSize must be at least 1, but was 0")
        .hasMessageContaining("batchPercent must be between 1 and 100, but was 150")
        .hasMessageContaining("failureThreshold must be at least 1, but was 0")
        .hasMessageContaining("healthTimeout must be positive, but was PT0S")
        .hasMessageContaining("health interval must be positive, but was PT-1S")
        .hasMessageContaining("restart: invalid remote command")
        .hasMessageContaining("host deploy@web1:22 is listed twice")
        .hasMessageContaining("no SSH client");
  }

  @Test
  void isNamedRollingAndListsItsHosts() {
    RollingStrategy s = RollingStrategy.builder().host(new SshHost("web1", 22, "deploy", "/srv/app")).commandRunner(NO_SSH).build();

    assertThat(s.name()).isEqualTo("rolling");
    assertThat(s.hosts()).extracting(SshHost::address).containsExactly("deploy@web1:22");
    assertThat(s.lastResult()).isEmpty();
  }

  @Test
  void theProviderBuildsTheStrategyFromSettings(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path key = java.nio.file.Files.writeString(dir.resolve("key"), "not read until the first connection");
    java.nio.file.Path known = java.nio.file.Files.writeString(dir.resolve("known_hosts"), "");
    Strategies strategies = Strategies.builder().discover(false).provider(new RollingStrategyProvider()).build();

    RollingStrategy s = (RollingStrategy) strategies.create("rolling", Map.of(
        "hosts", "deploy@web1:2222, deploy@web2", "root", "/srv/app", "identityFile", key.toString(), "knownHosts", known.toString(),
        "batch", "50%", "restart", "sudo systemctl restart app", "healthTimeout", "PT30S"));

    assertThat(s.hosts()).extracting(SshHost::address).containsExactly("deploy@web1:2222", "deploy@web2:22");
    assertThat(s.hosts()).extracting(SshHost::releaseRoot).containsOnly("/srv/app");
  }

  @Test
  void theProviderNamesEveryBadOrMissingSetting() {
    RollingStrategyProvider provider = new RollingStrategyProvider();

    assertThatThrownBy(() -> provider.create(Map.of("hosts", "web1", "batch", "half", "colour", "blue", "healthTimeout", "30s")))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("unknown setting 'colour'")
        .hasMessageContaining("setting 'root' is missing")
        .hasMessageContaining("setting 'identityFile' is missing")
        .hasMessageContaining("setting 'knownHosts' is missing")
        .hasMessageContaining("setting 'batch' must be a count (2) or a percentage (50%), but was 'half'")
        .hasMessageContaining("setting 'healthTimeout' must be an ISO-8601 duration");
  }

  @Test
  void theStatusTableRoundTripsThroughJson() {
    RollingResult r = new RollingResult("v1.2.9", List.of(
        new RollingHostRow("a@h1:22", 1, RollingStatus.SWITCHED, "v1.3.0", "v1.2.9", "ok"),
        new RollingHostRow("a@h2:22", 2, RollingStatus.FAILED, "v1.3.0", "v1.2.9", "unhealthy \"x\""),
        new RollingHostRow("a@h3:22", 3, RollingStatus.UNTOUCHED, "", "v1.2.9", "not started")));

    assertThat(RollingResult.fromJson("v1.2.9", r.toJson())).isEqualTo(r);
    assertThat(r.succeeded()).isFalse();
    assertThat(r.withStatus(RollingStatus.UNTOUCHED)).extracting(RollingHostRow::host).containsExactly("a@h3:22");
    assertThat(r.table()).contains("a@h2:22", "FAILED", "unhealthy");
  }
}
