package dev.rollback.db;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import java.util.List;

/**
 * A framework migration command failed: it exited non-zero or ran past its timeout. The message
 * names the tool, the command, the exit code (or the timeout), the migrations undone before it,
 * and the tail of its output.
 *
 * @since 0.1.0
 */
public final class MigrationCommandException extends RollbackException {
  private static final long serialVersionUID = 1L;

  private final String tool;
  private final List<String> command;
  private final int exitCode;
  private final boolean timedOut;
  private final String outputTail;
  private final List<String> undone;

  /**
   * @param message the whole message
   * @param tool the tool, e.g. {@code rails}
   * @param command the argument list that failed
   * @param exitCode its exit code, -1 when it timed out
   * @param timedOut whether it was killed at its timeout
   * @param outputTail the last lines of its output (secret values masked)
   * @param undone the migrations undone before it, newest first
   */
  public MigrationCommandException(
      String message, String tool, List<String> command, int exitCode, boolean timedOut, String outputTail, List<String> undone) {
    super(ErrorCode.MIGRATION_FAILED, message);
    this.tool = tool;
    this.command = List.copyOf(command);
    this.exitCode = exitCode;
    this.timedOut = timedOut;
    this.outputTail = outputTail;
    this.undone = List.copyOf(undone);
  }

  /** @return the tool, e.g. {@code rails} */
  public String tool() {
    return tool;
  }

  /** @return the argument list that failed */
  public List<String> command() {
    return command;
  }

  /** @return the exit code, -1 when it timed out */
  public int exitCode() {
    return exitCode;
  }

  /** @return whether it was killed at its timeout */
  public boolean timedOut() {
    return timedOut;
  }

  /** @return the last lines of its output */
  public String outputTail() {
    return outputTail;
  }

  /** @return the migrations undone before the failure, newest first */
  public List<String> undone() {
    return undone;
  }
}
