package dev.rollback.core.service;

import dev.rollback.core.StepContext;
import java.time.Duration;

/**
 * Restarts a service and waits until it is ready: a systemd unit, a pair of commands, or a process
 * supervised by the runner. Implementations run external commands without a shell (through {@link
 * dev.rollback.core.command.CommandLine}), record what they ran in the run's timeline, and wait only
 * through {@link StepContext#await}, so every wait is bounded and cancellable.
 *
 * <pre>{@code
 * ServiceControl checkout = ServiceControls.systemd("checkout.service");
 * checkout.restart(ctx);
 * if (!checkout.awaitReady(Duration.ofMinutes(2), ctx)) throw new IllegalStateException("not ready");
 * }</pre>
 *
 * @since 0.1.0
 */
public interface ServiceControl {

  /** @return a name for people, e.g. {@code systemd checkout.service} */
  String name();

  /**
   * Restarts the service (starts it when it is not running). Restarting twice has the effect of
   * restarting once, so a resumed run may repeat it.
   *
   * @param ctx the run's context
   * @throws Exception when the service cannot be restarted; the message names the command and its
   *     last output line
   */
  void restart(StepContext ctx) throws Exception;

  /**
   * Waits until the service is ready, at most {@code timeout} on the run's clock.
   *
   * @param timeout the longest wait; positive
   * @param ctx the run's context
   * @return true when the service became ready in time, false when the timeout passed
   * @throws Exception when readiness cannot be checked at all
   */
  boolean awaitReady(Duration timeout, StepContext ctx) throws Exception;

  /**
   * Stops the service. The default restarts nothing and says it is not supported.
   *
   * @param ctx the run's context
   * @throws Exception when the service cannot be stopped
   */
  default void stop(StepContext ctx) throws Exception {
    throw new UnsupportedOperationException(name() + " cannot be stopped on its own: only restart is supported");
  }
}
