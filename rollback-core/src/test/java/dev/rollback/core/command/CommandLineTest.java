package dev.rollback.core.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.RollbackException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandLineTest {

  @Test
  void runsWithoutAShellSoShellSyntaxIsJustText() throws Exception {
    CommandResult r = CommandLine.of("echo", "$(rm -rf /); `id`; | cat").run();
    assertThat(r.succeeded()).isTrue();
    assertThat(r.output()).isEqualTo("$(rm -rf /); `id`; | cat\n");
  }

  @Test
  void aNonZeroExitIsAResultWithItsOutput() throws Exception {
    CommandResult r = CommandLine.of("sh", "-c", "echo nginx: configuration test failed >&2; exit 1").run();
    assertThat(r.succeeded()).isFalse();
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.summary()).contains("exited 1").endsWith(": nginx: configuration test failed");
  }

  @Test
  void aCommandPastItsTimeoutIsKilled() throws Exception {
    long t0 = System.nanoTime();
    CommandResult r = CommandLine.of("sleep", "30").timeout(Duration.ofMillis(300)).run();
    assertThat(r.timedOut()).isTrue();
    assertThat(r.exitCode()).isEqualTo(-1);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void outputIsTruncatedAtTheLimit() throws Exception {
    CommandResult r = CommandLine.of("sh", "-c", "yes x | head -c 100000").outputLimit(1000).run();
    assertThat(r.output()).hasSize(1000);
    assertThat(r.truncated()).isTrue();
  }

  @Test
  void rejectsAnEmptyProgramAndANonPositiveTimeout() {
    assertThatThrownBy(() -> CommandLine.of()).isInstanceOf(RollbackException.class).hasMessageContaining("needs a program");
    assertThatThrownBy(() -> CommandLine.of("ls").timeout(Duration.ZERO)).hasMessageContaining("timeout must be positive, but was PT0S");
  }
}
