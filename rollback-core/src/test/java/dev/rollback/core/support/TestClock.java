package dev.rollback.core.support;

import dev.rollback.core.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock for core's own tests, with a sleeper that moves it instead of waiting. (Users get the
 * same from rollback-testkit, which core's tests cannot depend on.)
 */
public final class TestClock extends Clock {
  private final AtomicReference<Instant> now;

  public TestClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  public static TestClock create() {
    return new TestClock(Instant.parse("2026-11-28T03:00:00Z"));
  }

  public void advance(Duration d) {
    now.updateAndGet(i -> i.plus(d));
  }

  public Sleeper sleeper() {
    return d -> {
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted");
      }
      advance(d);
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
    return now.get();
  }
}
