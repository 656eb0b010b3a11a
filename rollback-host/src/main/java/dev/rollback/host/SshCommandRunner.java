package dev.rollback.host;

import dev.rollback.core.command.CommandResult;
import dev.rollback.host.internal.MinaSshCommandRunner;
import java.io.IOException;
import java.time.Duration;

/**
 * Runs commands on hosts over SSH (Apache MINA SSHD's client): key authentication, host keys
 * checked against a known-hosts file, a timeout per command, exit status and output captured
 * (stdout and stderr together, truncated to {@link SshClientConfig#outputLimit()}).
 *
 * <p>A command line is only ever built by {@link SshCommand}, which single-quotes every argument:
 * no value is concatenated into shell syntax.
 *
 * <pre>{@code
 * try (SshCommandRunner ssh = SshCommandRunner.create(config)) {
 *   CommandResult r = ssh.run(host, SshCommand.of("readlink", "/srv/app/current"), Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public interface SshCommandRunner extends AutoCloseable {

  /**
   * @param config the client configuration
   * @return a started runner; close it to stop the client
   * @throws dev.rollback.core.RollbackException when the key cannot be read
   */
  static SshCommandRunner create(SshClientConfig config) {
    return new MinaSshCommandRunner(config);
  }

  /**
   * Runs one command and waits for it, at most the timeout (then the channel is closed).
   *
   * @param host where
   * @param command what
   * @param timeout the longest it may run
   * @return how it ended: a non-zero exit is a result, not an exception; exit code -1 on timeout
   * @throws SshHostKeyRejectedException when the host's key is unknown or changed
   * @throws IOException when the host cannot be reached or refuses the key
   * @throws InterruptedException when the thread is interrupted
   */
  CommandResult run(SshHost host, SshCommand command, Duration timeout) throws IOException, InterruptedException;

  /**
   * Runs one command with the configured default timeout.
   *
   * @param host where
   * @param command what
   * @return how it ended
   * @throws IOException when the host cannot be reached or refuses the key
   * @throws InterruptedException when the thread is interrupted
   */
  CommandResult run(SshHost host, SshCommand command) throws IOException, InterruptedException;

  /** Stops the client. */
  @Override
  void close();
}
