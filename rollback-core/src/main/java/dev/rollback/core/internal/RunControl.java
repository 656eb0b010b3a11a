package dev.rollback.core.internal;

import dev.rollback.core.event.RollbackListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * Cancellation and per-execution listeners of one run. Cancelling interrupts the thread that runs a
 * step or a wait right now, never one that writes the journal or compensates.
 */
public final class RunControl {
  private final List<RollbackListener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean cancelled;
  private volatile String reason = "";
  private @Nullable Thread interruptible;
  private boolean compensating;

  /** @param listener a listener for this run only */
  public void addListener(RollbackListener listener) {
    listeners.add(listener);
  }

  List<RollbackListener> listeners() {
    return listeners;
  }

  /**
   * Asks the run to stop at its next safe point.
   *
   * @param why why, for the result
   */
  public synchronized void cancel(String why) {
    if (cancelled) {
      return;
    }
    reason = why;
    cancelled = true;
    if (interruptible != null && !compensating) {
      interruptible.interrupt();
    }
  }

  /** @return whether cancel was asked */
  public boolean cancelled() {
    return cancelled;
  }

  /** @return why it was cancelled */
  public String reason() {
    return reason;
  }

  /** The current thread starts work that cancel may interrupt. */
  synchronized void enter() {
    interruptible = Thread.currentThread();
  }

  /** The work that cancel may interrupt ended; an interrupt cancel sent is cleared. */
  synchronized void exit() {
    if (interruptible == Thread.currentThread()) {
      interruptible = null;
      if (cancelled) {
        Thread.interrupted();
      }
    }
  }

  /** From now on cancel interrupts nothing: compensation must finish. */
  synchronized void compensating() {
    compensating = true;
    interruptible = null;
    Thread.interrupted();
  }

  synchronized boolean isCompensating() {
    return compensating;
  }
}
