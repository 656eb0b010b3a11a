package dev.rollback.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SshCommandTest {

  @Test
  void quotesEveryArgumentSoNoValueIsShellSyntax() {
    SshCommand cmd = SshCommand.of("echo", "$(reboot)", "it's", "a b", "`id`;|&*");

    assertThat(cmd.line()).isEqualTo("'echo' '$(reboot)' 'it'\\''s' 'a b' '`id`;|&*'");
  }

  @Test
  void chainsCommandsWithALiteralAndOperatorOnly() {
    SshCommand cmd = SshCommand.of("ln", "-sfn", "releases/v1", "/srv/app/current.tmp").and(SshCommand.of("mv", "-T", "/srv/app/current.tmp", "/srv/app/current"));

    assertThat(cmd.line()).isEqualTo("'ln' '-sfn' 'releases/v1' '/srv/app/current.tmp' && 'mv' '-T' '/srv/app/current.tmp' '/srv/app/current'");
    assertThat(cmd.parts()).hasSize(2);
  }

  @Test
  void refusesAnEmptyCommandAndArgumentsWithLineBreaksOrNul() {
    assertThatThrownBy(() -> SshCommand.of(List.of())).isInstanceOf(RollbackException.class).hasMessageContaining("needs a program");
    assertThatThrownBy(() -> SshCommand.of("echo", "a\nreboot", "b\0"))
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.problems()).hasSize(2))
        .hasMessageContaining("argument 1 must not hold a NUL or a line break, but was 'a\\u000areboot'");
  }

  @Test
  void aHostReportsEveryBadComponentAtOnce() {
    assertThatThrownBy(() -> new SshHost("bad host;", 0, "-root", "srv/../app"))
        .isInstanceOfSatisfying(RollbackException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
          assertThat(e.problems()).hasSize(4);
        })
        .hasMessageContaining("host must be a host name")
        .hasMessageContaining("port must be between 1 and 65535, but was 0")
        .hasMessageContaining("user must be")
        .hasMessageContaining("releaseRoot must be an absolute path");
  }

  @Test
  void aReleaseRootWithDotDotOrShellCharactersIsRefused() {
    for (String root : List.of("/srv/../etc", "/srv/$(id)", "/srv/a b", "/", "/srv//app", "/srv/./app")) {
      assertThatThrownBy(() -> new SshHost("web1", 22, "deploy", root)).as(root).hasMessageContaining("releaseRoot");
    }
    assertThat(new SshHost("web1.example.com", 2222, "deploy", "/srv/check-out_1.0/").address()).isEqualTo("deploy@web1.example.com:2222");
  }

  @Test
  void theClientConfigListsEveryProblemAndNeverPrintsTheKey() {
    assertThatThrownBy(() -> SshClientConfig.builder().connectTimeout(java.time.Duration.ZERO).outputLimit(-1).build())
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.problems()).hasSize(4))
        .hasMessageContaining("connectTimeout must be positive, but was PT0S")
        .hasMessageContaining("outputLimit must not be negative, but was -1")
        .hasMessageContaining("no client key")
        .hasMessageContaining("no known-hosts file");

    SshClientConfig config = SshClientConfig.builder()
        .identity(dev.rollback.core.Secret.of("-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n"))
        .knownHosts(java.nio.file.Path.of("/nonexistent"))
        .strictHostKeyChecking(false)
        .build();
    assertThat(config.toString()).doesNotContain("secret").contains("identity=****");
  }
}
