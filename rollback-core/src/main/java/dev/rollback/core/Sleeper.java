package dev.rollback.core;

import java.time.Duration;

/**
 * Every wait in Rollback goes through a sleeper, so that a test can compress a 30-minute watch
 * window into milliseconds (the testkit's manual sleeper advances a manual clock instead of
 * sleeping).
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface Sleeper {

  /**
   * Waits for the given duration.
   *
   * @param duration how long; zero or negative returns at once
   * @throws InterruptedException if the thread is interrupted (the run was cancelled)
   */
  void sleep(Duration duration) throws InterruptedException;

  /** @return a sleeper that really sleeps */
  static Sleeper system() {
    return duration -> {
      if (!duration.isNegative() && !duration.isZero()) {
        Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
      }
    };
  }
}
