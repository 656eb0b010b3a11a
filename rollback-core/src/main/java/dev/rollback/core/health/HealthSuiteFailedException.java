package dev.rollback.core.health;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import java.util.Objects;

/**
 * Thrown by a {@link HealthSuite}'s step when one or more endpoints did not reach their consecutive
 * passes within the deadline. The message names them with their last reasons; {@link #result()}
 * holds the whole table.
 *
 * @since 0.1.0
 */
public class HealthSuiteFailedException extends RollbackException {
  private static final long serialVersionUID = 1L;

  private final transient HealthSuiteResult result;

  /**
   * @param result what the suite found
   */
  public HealthSuiteFailedException(HealthSuiteResult result) {
    super(ErrorCode.VALIDATION_FAILED, "health suite '" + Objects.requireNonNull(result, "result").suite() + "' failed: " + result.summary());
    this.result = result;
  }

  /** @return what the suite found */
  public HealthSuiteResult result() {
    return result;
  }
}
