package dev.rollback.core.metric;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import java.util.Objects;

/**
 * Thrown by a gate's step when the gate {@link GateVerdict#FAIL failed}; carries the result so that
 * a caller (or the report) can show the samples. Its code is {@link ErrorCode#VALIDATION_FAILED}.
 *
 * @since 0.1.0
 */
public class GateFailedException extends RollbackException {
  private static final long serialVersionUID = 1L;

  private final transient GateResult result;

  /**
   * @param result the failed result
   */
  public GateFailedException(GateResult result) {
    super(ErrorCode.VALIDATION_FAILED, "gate '" + Objects.requireNonNull(result, "result").gate() + "' (" + result.metric() + ") failed: "
        + result.reason());
    this.result = result;
  }

  /** @return the result of the gate */
  public GateResult result() {
    return result;
  }
}
