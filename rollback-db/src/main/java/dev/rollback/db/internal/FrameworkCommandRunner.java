package dev.rollback.db.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import dev.rollback.core.StepContext;
import dev.rollback.core.command.CommandResult;
import dev.rollback.db.MigrationCommand;
import dev.rollback.db.MigrationCommandException;
import dev.rollback.db.ProcessRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Runs a framework tool's commands through its {@link ProcessRunner}, records each in the run's
 * timeline, and turns a failure into an error that names the command, the exit code and the tail
 * of the output (secret environment values masked).
 */
public final class FrameworkCommandRunner {
  /** Lines of output kept in an error message and in the timeline. */
  static final int TAIL_LINES = 20;
  /** Characters of output kept in an error message and in the timeline. */
  static final int TAIL_CHARS = 2_000;

  private final String tool;
  private final ProcessRunner runner;
  private final @Nullable Path directory;
  private final Map<String, String> environment;
  private final Map<String, Secret> secretEnvironment;
  private final Duration timeout;

  /**
   * @param tool the tool's name, e.g. {@code rails}
   * @param runner the process runner
   * @param directory the working folder
   * @param environment extra environment
   * @param secretEnvironment extra secret environment
   * @param timeout each command's timeout
   */
  public FrameworkCommandRunner(String tool, ProcessRunner runner, @Nullable Path directory, Map<String, String> environment,
      Map<String, Secret> secretEnvironment, Duration timeout) {
    this.tool = tool;
    this.runner = runner;
    this.directory = directory;
    this.environment = Map.copyOf(environment);
    this.secretEnvironment = Map.copyOf(secretEnvironment);
    this.timeout = timeout;
  }

  /**
   * @param args an argument list
   * @return the command as it would run
   */
  public MigrationCommand command(List<String> args) {
    return new MigrationCommand(args, directory, new LinkedHashMap<>(environment), new LinkedHashMap<>(secretEnvironment), timeout);
  }

  /**
   * Runs a command and records it; fails unless it exited 0 in time.
   *
   * @param args the argument list
   * @param ctx the run's context
   * @param undoneBefore the migrations undone before this command, for the error
   * @return the result of a successful command
   * @throws MigrationCommandException when it exited non-zero or timed out
   * @throws RollbackException when it could not be started
   * @throws InterruptedException when the run was interrupted (the process is killed)
   */
  public CommandResult run(List<String> args, StepContext ctx, List<String> undoneBefore) throws InterruptedException {
    MigrationCommand command = command(args);
    ctx.log().info("{}: running {} in {} (timeout {})", tool, command.display(), directory, timeout);
    CommandResult r;
    try {
      r = runner.run(command);
    } catch (IOException e) {
      throw new RollbackException(ErrorCode.MIGRATION_FAILED,
          tool + ": cannot start `" + command.display() + "` in " + directory + ": " + mask(String.valueOf(e.getMessage()))
              + "; check that the program is installed and the working folder is the application's"
              + undone(undoneBefore), e);
    }
    String tail = tail(r.output());
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("tool", tool);
    facts.put("command", command.display());
    facts.put("exitCode", String.valueOf(r.exitCode()));
    facts.put("timedOut", String.valueOf(r.timedOut()));
    facts.put("tookMs", String.valueOf(r.took().toMillis()));
    facts.put("output", tail);
    ctx.record(tool + ": `" + command.display() + "` " + (r.timedOut() ? "timed out after " + timeout : "exited " + r.exitCode()), facts);
    if (r.timedOut()) {
      throw new MigrationCommandException(
          tool + ": `" + command.display() + "` timed out after " + timeout + " and was killed" + undone(undoneBefore)
              + "; check the schema before going on" + outputPart(tail),
          tool, command.args(), r.exitCode(), true, tail, undoneBefore);
    }
    if (r.exitCode() != 0) {
      throw new MigrationCommandException(
          tool + ": `" + command.display() + "` exited " + r.exitCode() + undone(undoneBefore) + outputPart(tail),
          tool, command.args(), r.exitCode(), false, tail, undoneBefore);
    }
    return r;
  }

  private static String undone(List<String> undoneBefore) {
    return undoneBefore.isEmpty() ? " (nothing was undone before it)" : " (undone before it, newest first: " + undoneBefore + ")";
  }

  private static String outputPart(String tail) {
    return tail.isEmpty() ? "; it printed nothing" : "; last output:\n" + tail;
  }

  /**
   * @param output a command's output
   * @return its last {@value #TAIL_LINES} lines, at most {@value #TAIL_CHARS} characters, secrets masked
   */
  String tail(String output) {
    String text = mask(output).strip();
    String[] lines = text.split("\r?\n");
    int from = Math.max(0, lines.length - TAIL_LINES);
    String tail = String.join("\n", java.util.Arrays.asList(lines).subList(from, lines.length));
    if (tail.length() > TAIL_CHARS) {
      tail = "…" + tail.substring(tail.length() - TAIL_CHARS);
    }
    return tail;
  }

  private String mask(String text) {
    String out = text;
    for (Secret s : secretEnvironment.values()) {
      out = out.replace(s.reveal(), Secret.REDACTED);
    }
    return out;
  }

  /** @return the tool's name */
  public String tool() {
    return tool;
  }
}
