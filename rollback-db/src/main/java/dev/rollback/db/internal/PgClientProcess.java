package dev.rollback.db.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import dev.rollback.core.command.CommandLine;
import dev.rollback.core.command.CommandResult;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Runs a PostgreSQL client program ({@code pg_dump}, {@code pg_restore}) without a shell, with a
 * timeout and bounded output, and the password in a temporary {@link PgPassFile} that is deleted
 * when the program ended.
 */
public final class PgClientProcess {
  private PgClientProcess() {}

  /**
   * @param db the database (for the password file's user line)
   * @param password the password, or null
   * @param args the program and its arguments
   * @param timeout the longest it may run
   * @return how it ended
   * @throws RollbackException with {@link ErrorCode#BACKUP_FAILED} when the program cannot be started
   * @throws IOException when the password file cannot be written or deleted
   * @throws InterruptedException when interrupted (the program is killed first)
   */
  public static CommandResult run(PgConnectionSpec db, @Nullable Secret password, List<String> args, Duration timeout)
      throws IOException, InterruptedException {
    String program = args.get(0);
    try (PgPassFile pass = PgPassFile.create(db.user(), password)) {
      CommandLine cmd = CommandLine.of(args).timeout(timeout);
      pass.environment().forEach(cmd::env);
      long connect = Math.max(2, Math.min(30, timeout.toSeconds()));
      cmd.env("PGCONNECT_TIMEOUT", String.valueOf(connect));
      cmd.env("PGAPPNAME", "rollback-" + program.substring(program.lastIndexOf('/') + 1));
      try {
        return cmd.run();
      } catch (IOException e) {
        throw new RollbackException(ErrorCode.BACKUP_FAILED, "cannot start " + program + " (" + e.getMessage() + "): install the "
            + "PostgreSQL client programs of a version at least the server's (Debian: postgresql-client) or point "
            + "BackupTarget.postgres().binaries(...) at the folder holding pg_dump and pg_restore", e);
      }
    }
  }

  /**
   * @param r a finished command
   * @return how it ended and its last output lines, for an exception message
   */
  public static String describe(CommandResult r) {
    String out = r.output().strip();
    String[] lines = out.split("\n");
    int from = Math.max(0, lines.length - 5);
    String tail = String.join(" | ", java.util.Arrays.asList(lines).subList(from, lines.length)).strip();
    return (r.timedOut() ? "timed out after " + r.took() : "exited " + r.exitCode())
        + (tail.isEmpty() ? "" : ": " + tail);
  }
}
