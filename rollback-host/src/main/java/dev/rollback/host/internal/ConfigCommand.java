package dev.rollback.host.internal;

import dev.rollback.core.command.CommandLine;
import dev.rollback.core.command.CommandResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A validation or reload command of a config step: an argument list (no shell) whose arguments may
 * hold placeholders, {@code {staging}} and {@code {config}}, replaced by folders when it runs.
 *
 * @param args the argument list as configured
 * @param timeout how long it may run
 */
public record ConfigCommand(List<String> args, Duration timeout) {
  /** The placeholder for the staging folder that holds the candidate files. */
  public static final String STAGING = "{staging}";
  /** The placeholder for the live config folder. */
  public static final String CONFIG = "{config}";

  private static final int OUTPUT_IN_MESSAGES = 2000;

  /** Copies the list. */
  public ConfigCommand {
    args = List.copyOf(args);
  }

  /**
   * Runs the command with the placeholders replaced.
   *
   * @param placeholders placeholder to value
   * @return how it ended
   * @throws IOException when the program cannot be started
   * @throws InterruptedException when the run is cancelled
   */
  public CommandResult run(Map<String, Path> placeholders) throws IOException, InterruptedException {
    List<String> resolved = args.stream().map(a -> {
      String out = a;
      for (Map.Entry<String, Path> p : placeholders.entrySet()) {
        out = out.replace(p.getKey(), p.getValue().toString());
      }
      return out;
    }).toList();
    return CommandLine.of(resolved).timeout(timeout).run();
  }

  /**
   * @param r a result
   * @return how it ended, for messages: exit code (or timeout) and the output's tail
   */
  public static String describe(CommandResult r) {
    String out = r.output().strip();
    if (out.length() > OUTPUT_IN_MESSAGES) {
      out = "…" + out.substring(out.length() - OUTPUT_IN_MESSAGES);
    }
    String how = r.timedOut() ? "timed out after " + r.took() : "exited " + r.exitCode();
    return how + (out.isEmpty() ? " with no output" : ", output: " + out);
  }

  @Override
  public String toString() {
    return String.join(" ", args);
  }
}
