package dev.rollback.examples;

import dev.rollback.core.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that runs fast: each wait through its {@link #sleeper()} really waits only a fraction of
 * its length and moves the clock forward by the rest. The demo uses it to show a 15-minute watch
 * window in a couple of seconds, through the same clock and sleeper hooks a test would use.
 */
public final class FastForwardClock extends Clock {
  private final long factor;
  private final AtomicLong skippedNanos = new AtomicLong();
  private final Sleeper real = Sleeper.system();

  /** @param factor how many times faster than real time waits pass; at least 1 */
  public FastForwardClock(long factor) {
    if (factor < 1) {
      throw new IllegalArgumentException("factor must be at least 1, but was " + factor);
    }
    this.factor = factor;
  }

  /** @return a sleeper that waits 1/factor of each duration and skips the clock over the rest */
  public Sleeper sleeper() {
    return d -> {
      Duration wait = d.dividedBy(factor);
      real.sleep(wait);
      skippedNanos.addAndGet(d.minus(wait).toNanos());
    };
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return Instant.now().plusNanos(skippedNanos.get());
  }
}
