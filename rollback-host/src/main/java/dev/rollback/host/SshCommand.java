package dev.rollback.host;

import dev.rollback.core.RollbackException;
import dev.rollback.host.internal.RemoteNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A remote command line, built only from an argument list: each argument is put in POSIX single
 * quotes (a single quote inside becomes {@code '\''}), so the remote shell never interprets a value
 * — no {@code $}, {@code ;}, {@code |}, backquote or glob in an argument has any effect. Commands
 * can be chained with {@link #and(SshCommand)}, which joins them with a literal {@code &&}; that
 * operator is the only unquoted text on the line.
 *
 * <pre>{@code
 * SshCommand swap = SshCommand.of("ln", "-sfn", "releases/v1.2.9", "/srv/app/current.tmp")
 *     .and(SshCommand.of("mv", "-T", "/srv/app/current.tmp", "/srv/app/current"));
 * swap.line(); // 'ln' '-sfn' 'releases/v1.2.9' '/srv/app/current.tmp' && 'mv' '-T' ...
 * }</pre>
 *
 * <p>Quoting stops the shell from reading a value as syntax; it does not make a value safe for the
 * program that receives it. Values that name files or versions are validated before they get here
 * (see {@link RollingStrategy}).
 *
 * @since 0.1.0
 */
public final class SshCommand {
  private final List<List<String>> parts;

  private SshCommand(List<List<String>> parts) {
    this.parts = parts;
  }

  /**
   * @param args the program and its arguments, one argument each
   * @return the command
   * @throws RollbackException when there is no program, or an argument is null or holds a NUL or
   *     a line break
   */
  public static SshCommand of(String... args) {
    return of(args == null ? null : java.util.Arrays.asList(args));
  }

  /**
   * @param args the program and its arguments, one argument each
   * @return the command
   * @throws RollbackException when there is no program, or an argument is null or holds a NUL or
   *     a line break
   */
  public static SshCommand of(List<String> args) {
    List<String> problems = new ArrayList<>();
    if (args == null || args.isEmpty() || args.get(0) == null || args.get(0).isBlank()) {
      problems.add("a remote command needs a program as its first argument, but was " + args);
    } else {
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (a == null) {
          problems.add("argument " + i + " must not be null");
        } else if (a.indexOf('\0') >= 0 || a.indexOf('\n') >= 0 || a.indexOf('\r') >= 0) {
          problems.add("argument " + i + " must not hold a NUL or a line break, but was " + RemoteNames.show(a));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw RollbackException.invalid("invalid remote command", problems);
    }
    return new SshCommand(List.of(List.copyOf(args)));
  }

  /**
   * @param next a command to run only when this one exits 0
   * @return a new command, {@code this && next}
   */
  public SshCommand and(SshCommand next) {
    Objects.requireNonNull(next, "next");
    List<List<String>> all = new ArrayList<>(parts);
    all.addAll(next.parts);
    return new SshCommand(List.copyOf(all));
  }

  /** @return the argument lists, one per chained command */
  public List<List<String>> parts() {
    return parts;
  }

  /** @return the line sent to the remote shell: every argument single-quoted, commands joined by {@code &&} */
  public String line() {
    StringBuilder sb = new StringBuilder();
    for (List<String> part : parts) {
      if (sb.length() > 0) {
        sb.append(" && ");
      }
      for (int i = 0; i < part.size(); i++) {
        if (i > 0) {
          sb.append(' ');
        }
        sb.append(quote(part.get(i)));
      }
    }
    return sb.toString();
  }

  /**
   * Quotes one value for a POSIX shell: {@code it's} becomes {@code 'it'\''s'}.
   *
   * @param value the value
   * @return the value in single quotes
   */
  public static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }

  /** @return the argument lists joined by spaces, for messages (not quoted, not for a shell) */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (List<String> part : parts) {
      if (sb.length() > 0) {
        sb.append(" && ");
      }
      sb.append(String.join(" ", part));
    }
    return sb.toString();
  }
}
