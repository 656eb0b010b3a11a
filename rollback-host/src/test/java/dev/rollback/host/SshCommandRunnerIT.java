package dev.rollback.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.command.CommandResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshCommandRunnerIT {
  SshTestServers servers;

  @BeforeEach
  void servers() {
    servers = SshTestServers.require();
  }

  @Test
  void runsACommandAndReturnsItsExitStatusAndOutput() throws Exception {
    try (SshCommandRunner ssh = SshCommandRunner.create(servers.config().build())) {
      CommandResult ok = ssh.run(servers.host(0), SshCommand.of("echo", "hello"));
      CommandResult failed = ssh.run(servers.host(1), SshCommand.of("sh", "-c", "echo oops >&2; exit 3"));

      assertThat(ok.succeeded()).isTrue();
      assertThat(ok.output()).isEqualTo("hello\n");
      assertThat(failed.exitCode()).isEqualTo(3);
      assertThat(failed.output()).contains("oops");
    }
  }

  @Test
  void passesHostileArgumentsLiterallySoTheRemoteShellNeverInterpretsThem(@TempDir Path dir) throws Exception {
    Path marker = servers.folders.get(0).resolve("pwned");
    Files.deleteIfExists(marker);
    String hostile = "$(touch " + marker + "); `touch " + marker + "` ' \" ; touch " + marker + " | *";
    try (SshCommandRunner ssh = SshCommandRunner.create(servers.config().build())) {
      CommandResult r = ssh.run(servers.host(0), SshCommand.of("printf", "%s", hostile));

      assertThat(r.output()).isEqualTo(hostile);
      assertThat(marker).doesNotExist();
    }
  }

  @Test
  void stopsACommandAtItsTimeoutAndTruncatesLongOutput() throws Exception {
    try (SshCommandRunner ssh = SshCommandRunner.create(servers.config().outputLimit(10).build())) {
      CommandResult slow = ssh.run(servers.host(0), SshCommand.of("sleep", "30"), Duration.ofMillis(500));
      CommandResult loud = ssh.run(servers.host(0), SshCommand.of("seq", "1", "1000"));

      assertThat(slow.timedOut()).isTrue();
      assertThat(slow.exitCode()).isEqualTo(-1);
      assertThat(slow.took()).isLessThan(Duration.ofSeconds(10));
      assertThat(loud.output()).hasSize(10);
      assertThat(loud.truncated()).isTrue();
    }
  }

  @Test
  void refusesAHostMissingFromTheKnownHostsFileNamingHostAndFingerprint(@TempDir Path dir) throws Exception {
    Path partial = dir.resolve("known_hosts");
    List<String> lines = Files.readAllLines(servers.knownHosts).stream().filter(l -> !l.contains(":" + servers.ports.get(1) + " ")).toList();
    Files.write(partial, lines);
    try (SshCommandRunner ssh = SshCommandRunner.create(servers.config().knownHosts(partial).build())) {
      assertThat(ssh.run(servers.host(0), SshCommand.of("true")).succeeded()).isTrue();
      assertThatThrownBy(() -> ssh.run(servers.host(1), SshCommand.of("touch", servers.folders.get(1) + "/should-not-exist")))
          .isInstanceOfSatisfying(SshHostKeyRejectedException.class, e -> {
            assertThat(e.host()).isEqualTo("127.0.0.1:" + servers.ports.get(1));
            assertThat(e.fingerprint()).startsWith("SHA256:");
            assertThat(e.changed()).isFalse();
          })
          .hasMessageContaining("unknown host [127.0.0.1]:" + servers.ports.get(1))
          .hasMessageContaining("SHA256:")
          .hasMessageContaining(partial.toString());
    }
    assertThat(servers.folders.get(1).resolve("should-not-exist")).doesNotExist();
  }

  @Test
  void refusesAHostWhoseKeyChanged(@TempDir Path dir) throws Exception {
    // List the first host with the keys of the second one.
    String p0 = "[127.0.0.1]:" + servers.ports.get(0) + " ";
    String p1 = "[127.0.0.1]:" + servers.ports.get(1) + " ";
    Path swapped = dir.resolve("known_hosts");
    Files.write(swapped, Files.readAllLines(servers.knownHosts).stream().filter(l -> l.startsWith(p1)).map(l -> p0 + l.substring(p1.length())).toList());
    try (SshCommandRunner ssh = SshCommandRunner.create(servers.config().knownHosts(swapped).strictHostKeyChecking(false).build())) {
      assertThatThrownBy(() -> ssh.run(servers.host(0), SshCommand.of("true")))
          .isInstanceOfSatisfying(SshHostKeyRejectedException.class, e -> assertThat(e.changed()).isTrue())
          .hasMessageContaining("host key of [127.0.0.1]:" + servers.ports.get(0) + " CHANGED");
    }
  }

  @Test
  void acceptsTheKeyAsASecretAndNeverPrintsIt() throws Exception {
    String pem = Files.readString(servers.clientKey);
    SshClientConfig config = SshClientConfig.builder().identity(dev.rollback.core.Secret.of(pem)).knownHosts(servers.knownHosts).build();
    try (SshCommandRunner ssh = SshCommandRunner.create(config)) {
      assertThat(ssh.run(servers.host(2), SshCommand.of("true")).succeeded()).isTrue();
    }
    assertThat(config.toString()).doesNotContain(pem.lines().skip(1).findFirst().orElseThrow()).contains("****");
  }
}
