package dev.rollback.testkit;

import dev.rollback.core.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Sleeper} that does not wait: each sleep moves its {@link ManualClock} forward by the
 * duration and returns at once, so a plan with a 30-minute watch window runs in milliseconds. It
 * remembers every sleep, for assertions on backoffs and polling.
 *
 * <p>It still honours interruption, so cancelling a run works as with a real sleeper: when the
 * calling thread is interrupted, {@link #sleep(Duration)} clears the flag, throws {@link
 * InterruptedException}, and neither moves the clock nor records the sleep.
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.create();
 * ManualSleeper sleeper = new ManualSleeper(clock);
 * RollbackRunner runner = RollbackRunner.builder().clock(clock).sleeper(sleeper).build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ManualSleeper implements Sleeper {
  private final ManualClock clock;
  private final List<Duration> sleeps = new ArrayList<>();

  /**
   * Creates a sleeper that moves the given clock.
   *
   * @param clock the clock each sleep advances
   */
  public ManualSleeper(ManualClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock must not be null: pass ManualClock.create()");
  }

  /**
   * Advances the clock by the duration and returns at once. A zero or negative duration returns at
   * once without moving the clock and is not recorded, as {@link Sleeper#system()} would not wait
   * either.
   *
   * @param duration how long the caller wants to wait
   * @throws InterruptedException when the calling thread is interrupted (the flag is cleared)
   */
  @Override
  public void sleep(Duration duration) throws InterruptedException {
    Objects.requireNonNull(duration, "duration must not be null");
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted before sleeping " + duration + " on " + clock);
    }
    if (duration.isNegative() || duration.isZero()) {
      return;
    }
    synchronized (sleeps) {
      clock.advance(duration);
      sleeps.add(duration);
    }
  }

  /** @return every sleep that moved the clock, in the order they happened */
  public List<Duration> sleeps() {
    synchronized (sleeps) {
      return List.copyOf(sleeps);
    }
  }

  /** @return the sum of every sleep; {@link Duration#ZERO} when nothing slept */
  public Duration totalSlept() {
    synchronized (sleeps) {
      return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
    }
  }

  /** @return the clock this sleeper moves */
  public ManualClock clock() {
    return clock;
  }

  /** @return the number of sleeps and their total */
  @Override
  public String toString() {
    synchronized (sleeps) {
      return "ManualSleeper[" + sleeps.size() + " sleeps, " + totalSlept() + " in all]";
    }
  }
}
