package dev.rollback.db;

import dev.rollback.core.command.CommandResult;
import dev.rollback.db.internal.CommandLineProcessRunner;
import java.io.IOException;

/**
 * Runs the commands of the framework migration tools. The default, {@link #commandLine()}, runs
 * them with core's {@link dev.rollback.core.command.CommandLine}: no shell, the timeout kills the
 * process tree, output captured and bounded. Tests pass a runner that records the commands.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ProcessRunner {

  /**
   * Runs a command and waits for it, at most its timeout.
   *
   * @param command what to run
   * @return how it ended: a non-zero exit or a timeout is a result, not an exception
   * @throws IOException when the program cannot be started
   * @throws InterruptedException when the thread is interrupted (the process is killed)
   */
  CommandResult run(MigrationCommand command) throws IOException, InterruptedException;

  /** @return the runner that starts real processes through core's {@code CommandLine} */
  static ProcessRunner commandLine() {
    return CommandLineProcessRunner.INSTANCE;
  }
}
