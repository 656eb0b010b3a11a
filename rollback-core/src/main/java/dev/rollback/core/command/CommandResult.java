package dev.rollback.core.command;

import java.time.Duration;
import java.util.List;

/**
 * How a command ended.
 *
 * @param command the argument list that ran
 * @param exitCode the exit code, or -1 when it was killed at its timeout
 * @param timedOut whether it was killed because it ran past its timeout
 * @param output stdout and stderr interleaved, truncated to the command's output limit
 * @param truncated whether output was cut
 * @param took how long it ran
 * @since 0.1.0
 */
public record CommandResult(List<String> command, int exitCode, boolean timedOut, String output, boolean truncated, Duration took) {
  /** Copies the list. */
  public CommandResult {
    command = List.copyOf(command);
  }

  /** @return true when it exited 0 in time */
  public boolean succeeded() {
    return exitCode == 0 && !timedOut;
  }

  /** @return one line for people: the command, how it ended, and the last output line */
  public String summary() {
    String last = output.strip();
    int nl = last.lastIndexOf('\n');
    last = nl >= 0 ? last.substring(nl + 1) : last;
    return String.join(" ", command) + (timedOut ? " timed out after " + took : " exited " + exitCode + " in " + took.toMillis() + " ms")
        + (last.isEmpty() ? "" : ": " + last);
  }
}
