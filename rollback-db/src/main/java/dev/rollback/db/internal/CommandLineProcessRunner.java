package dev.rollback.db.internal;

import dev.rollback.core.command.CommandLine;
import dev.rollback.core.command.CommandResult;
import dev.rollback.db.MigrationCommand;
import dev.rollback.db.ProcessRunner;
import java.io.IOException;

/** Runs a {@link MigrationCommand} with core's {@link CommandLine}: no shell, timeout, bounded output. */
public final class CommandLineProcessRunner implements ProcessRunner {
  /** The one instance. */
  public static final CommandLineProcessRunner INSTANCE = new CommandLineProcessRunner();

  private CommandLineProcessRunner() {}

  @Override
  public CommandResult run(MigrationCommand command) throws IOException, InterruptedException {
    CommandLine line = CommandLine.of(command.args()).timeout(command.timeout());
    if (command.directory() != null) {
      line.directory(command.directory());
    }
    command.environment().forEach(line::env);
    command.secretEnvironment().forEach((k, v) -> line.env(k, v.reveal()));
    return line.run();
  }

  @Override
  public String toString() {
    return "ProcessRunner.commandLine()";
  }
}
