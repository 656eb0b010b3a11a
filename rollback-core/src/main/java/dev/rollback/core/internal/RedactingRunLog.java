package dev.rollback.core.internal;

import dev.rollback.core.RunLog;
import org.slf4j.Logger;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MessageFormatter;

/** A {@link RunLog} that masks secrets before handing lines to SLF4J. */
final class RedactingRunLog implements RunLog {
  private final Logger logger;
  private final Redactor redactor;

  RedactingRunLog(Logger logger, Redactor redactor) {
    this.logger = logger;
    this.redactor = redactor;
  }

  @Override
  public void debug(String format, Object... args) {
    if (logger.isDebugEnabled()) {
      FormattingTuple t = MessageFormatter.arrayFormat(format, args);
      logger.debug(redactor.apply(t.getMessage()), throwable(t));
    }
  }

  @Override
  public void info(String format, Object... args) {
    if (logger.isInfoEnabled()) {
      FormattingTuple t = MessageFormatter.arrayFormat(format, args);
      logger.info(redactor.apply(t.getMessage()), throwable(t));
    }
  }

  @Override
  public void warn(String format, Object... args) {
    if (logger.isWarnEnabled()) {
      FormattingTuple t = MessageFormatter.arrayFormat(format, args);
      logger.warn(redactor.apply(t.getMessage()), throwable(t));
    }
  }

  @Override
  public void error(String format, Object... args) {
    if (logger.isErrorEnabled()) {
      FormattingTuple t = MessageFormatter.arrayFormat(format, args);
      logger.error(redactor.apply(t.getMessage()), throwable(t));
    }
  }

  private Throwable throwable(FormattingTuple t) {
    return t.getThrowable() == null ? null : redactor.apply(t.getThrowable());
  }
}
