package dev.rollback.core;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one root of every exception Rollback throws. It carries an {@link ErrorCode} and, for
 * validation failures, every problem found (builders collect them all, then throw once).
 *
 * @since 0.1.0
 */
public class RollbackException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final List<String> problems;

  /**
   * Creates an exception with a single message.
   *
   * @param code what kind of failure this is
   * @param message what happened and how to fix it
   */
  public RollbackException(ErrorCode code, String message) {
    this(code, message, (Throwable) null);
  }

  /**
   * Creates an exception with a single message and a cause.
   *
   * @param code what kind of failure this is
   * @param message what happened and how to fix it
   * @param cause the underlying failure, if any
   */
  public RollbackException(ErrorCode code, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
    this.problems = List.of(message);
  }

  private RollbackException(ErrorCode code, String subject, List<String> problems) {
    super(render(subject, problems));
    this.code = code;
    this.problems = List.copyOf(problems);
  }

  /**
   * Creates the exception a builder throws when it found one or more problems.
   *
   * @param subject what was being built, for the first line of the message
   * @param problems every problem found, each naming the field, the value and the fix
   * @return the exception to throw
   */
  public static RollbackException invalid(String subject, List<String> problems) {
    return new RollbackException(ErrorCode.INVALID_CONFIGURATION, subject, problems);
  }

  private static String render(String subject, List<String> problems) {
    if (problems.size() == 1) {
      return subject + ": " + problems.get(0);
    }
    StringBuilder sb = new StringBuilder(subject).append(": ").append(problems.size()).append(" problems");
    for (String p : problems) {
      sb.append("\n - ").append(p);
    }
    return sb.toString();
  }

  /** @return the error code */
  public ErrorCode code() {
    return code;
  }

  /** @return every problem found; a single element for non-validation failures */
  public List<String> problems() {
    return problems;
  }
}
