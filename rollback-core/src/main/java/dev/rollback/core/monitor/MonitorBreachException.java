package dev.rollback.core.monitor;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.metric.GateResult;
import java.util.Objects;

/**
 * Thrown by a {@link MonitorWindow} with {@link BreachPolicy#ESCALATE} when a gate breached, so that
 * the step's failure policy (typically {@link dev.rollback.core.FailureAction#PAUSE}) brings in a
 * human. Its code is {@link ErrorCode#VALIDATION_FAILED}.
 *
 * @since 0.1.0
 */
public class MonitorBreachException extends RollbackException {
  private static final long serialVersionUID = 1L;

  private final transient GateResult result;

  /**
   * @param message what breached, when, in which window
   * @param result the breached gate's result so far
   */
  public MonitorBreachException(String message, GateResult result) {
    super(ErrorCode.VALIDATION_FAILED, message);
    this.result = Objects.requireNonNull(result, "result");
  }

  /** @return the breached gate's result so far */
  public GateResult result() {
    return result;
  }
}
