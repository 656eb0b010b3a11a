package dev.rollback.core;

import dev.rollback.core.event.RollbackListener;
import java.util.concurrent.CompletableFuture;

/**
 * A run started with {@link RollbackRunner#start(RollbackPlan)}.
 *
 * @since 0.1.0
 */
public interface RollbackExecution {

  /** @return the run's id */
  String runId();

  /**
   * @return completes with the result when the run ends (it completes exceptionally only with a
   *     {@link RollbackException} thrown before the run could start, such as {@link
   *     RollbackInProgressException})
   */
  CompletableFuture<RollbackResult> result();

  /**
   * Asks the run to stop at its next safe point (between steps, or in a wait inside a step); the
   * completed steps are then compensated and the outcome is {@link RunOutcome#CANCELLED}. Calling it
   * again, or after the run ended, does nothing.
   */
  void cancel();

  /**
   * Adds a listener for the events still to come.
   *
   * @param listener the listener
   */
  void addListener(RollbackListener listener);
}
