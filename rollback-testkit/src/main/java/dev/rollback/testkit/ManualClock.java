package dev.rollback.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A clock that stands still until a test moves it, with {@link #advance(Duration)} or {@link
 * #set(Instant)}, or until a {@link ManualSleeper} sleeps on it. Thread-safe: the runner, its
 * lock heartbeat and the test may read and move it from different threads.
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.startingAt(Instant.parse("2026-03-01T09:00:00Z"));
 * clock.advance(Duration.ofMinutes(30));
 * assertThat(clock.instant()).isEqualTo(Instant.parse("2026-03-01T09:30:00Z"));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ManualClock extends Clock {
  /** Where {@link #create()} starts: 2026-01-01T00:00:00Z. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private ManualClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /**
   * A clock in UTC that starts at the given instant.
   *
   * @param start the time the clock shows until it is moved
   * @return the clock
   */
  public static ManualClock startingAt(Instant start) {
    Objects.requireNonNull(start, "start must not be null: pass e.g. Instant.parse(\"2026-01-01T00:00:00Z\")");
    return new ManualClock(new AtomicReference<>(start), ZoneOffset.UTC);
  }

  /**
   * A clock in UTC that starts at {@link #DEFAULT_START}, so that tests see the same times on every
   * run.
   *
   * @return the clock
   */
  public static ManualClock create() {
    return startingAt(DEFAULT_START);
  }

  /**
   * Moves the clock forward.
   *
   * @param duration how far; zero leaves the clock where it is
   * @return the time after the move
   * @throws IllegalArgumentException when the duration is negative (use {@link #set(Instant)} to
   *     move the clock back on purpose)
   */
  public Instant advance(Duration duration) {
    Objects.requireNonNull(duration, "duration must not be null");
    if (duration.isNegative()) {
      throw new IllegalArgumentException(
          "duration must not be negative, but was " + duration
              + ": a ManualClock only moves forward with advance(); use set(Instant) to move it back on purpose");
    }
    return now.updateAndGet(current -> current.plus(duration));
  }

  /**
   * Puts the clock at the given time, forward or back (to test clock skew, for example).
   *
   * @param instant the new time
   */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant must not be null"));
  }

  /** @return the current time of this clock */
  @Override
  public Instant instant() {
    return now.get();
  }

  /** @return the current time in milliseconds since the epoch */
  @Override
  public long millis() {
    return instant().toEpochMilli();
  }

  /** @return the zone, UTC unless {@link #withZone(ZoneId)} made this clock */
  @Override
  public ZoneId getZone() {
    return zone;
  }

  /**
   * Returns a view of this clock in another zone. The view shares the time with this clock: moving
   * either moves both.
   *
   * @param zone the zone
   * @return a clock that shows the same instant in that zone
   */
  @Override
  public ManualClock withZone(ZoneId zone) {
    Objects.requireNonNull(zone, "zone must not be null");
    return zone.equals(this.zone) ? this : new ManualClock(now, zone);
  }

  /**
   * Two manual clocks are equal when they share their time (one is a {@link #withZone(ZoneId)} view
   * of the other) and their zone.
   *
   * @param other another object
   * @return whether it is the same clock
   */
  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ManualClock c && c.now == now && c.zone.equals(zone);
  }

  /** @return a hash consistent with {@link #equals(Object)} */
  @Override
  public int hashCode() {
    return System.identityHashCode(now) * 31 + zone.hashCode();
  }

  /** @return the current time and zone */
  @Override
  public String toString() {
    return "ManualClock[" + instant() + ", " + zone + "]";
  }
}
