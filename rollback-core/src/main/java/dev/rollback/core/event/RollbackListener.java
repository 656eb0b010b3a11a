package dev.rollback.core.event;

/**
 * Receives a run's events, on the thread that runs the plan, in order. Keep it quick; a listener
 * that throws is logged and otherwise ignored, so a broken progress bar never stops a rollback.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface RollbackListener {
  /** @param event what happened */
  void onEvent(RollbackEvent event);
}
