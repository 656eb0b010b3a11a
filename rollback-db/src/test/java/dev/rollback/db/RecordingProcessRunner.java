package dev.rollback.db;

import dev.rollback.core.command.CommandResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ProcessRunner} that records every command and answers with a scripted behaviour: the
 * default plays the framework, doing to the status table what the real command would do (so the
 * tool's check of the table afterwards sees a real change), and exits 0.
 */
final class RecordingProcessRunner implements ProcessRunner {
  /** What the fake does for one command. */
  @FunctionalInterface
  interface Behaviour {
    CommandResult answer(MigrationCommand command) throws Exception;
  }

  final List<MigrationCommand> commands = new CopyOnWriteArrayList<>();
  private final Behaviour behaviour;

  RecordingProcessRunner(Behaviour behaviour) {
    this.behaviour = behaviour;
  }

  @Override
  public CommandResult run(MigrationCommand command) {
    commands.add(command);
    try {
      return behaviour.answer(command);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("the fake framework failed on " + command.display() + ": " + e, e);
    }
  }

  List<List<String>> argLists() {
    List<List<String>> out = new ArrayList<>();
    commands.forEach(c -> out.add(c.args()));
    return out;
  }

  static CommandResult exited(MigrationCommand c, int code, String output) {
    return new CommandResult(c.args(), code, false, output, false, Duration.ofMillis(12));
  }

  static CommandResult timedOut(MigrationCommand c, String output) {
    return new CommandResult(c.args(), -1, true, output, false, c.timeout());
  }
}
