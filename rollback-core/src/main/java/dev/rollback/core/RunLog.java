package dev.rollback.core;

/**
 * The logger a step writes to. It goes to SLF4J with the run id, service and step in the MDC, and
 * every known secret value is masked before the line is written.
 *
 * <p>Formatting uses SLF4J's {@code {}} placeholders; a trailing {@link Throwable} argument is
 * logged with its stack trace (its messages masked too).
 *
 * @since 0.1.0
 */
public interface RunLog {
  /**
   * @param format SLF4J format
   * @param args arguments
   */
  void debug(String format, Object... args);

  /**
   * @param format SLF4J format
   * @param args arguments
   */
  void info(String format, Object... args);

  /**
   * @param format SLF4J format
   * @param args arguments
   */
  void warn(String format, Object... args);

  /**
   * @param format SLF4J format
   * @param args arguments
   */
  void error(String format, Object... args);
}
