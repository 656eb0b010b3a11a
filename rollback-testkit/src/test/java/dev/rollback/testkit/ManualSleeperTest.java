package dev.rollback.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ManualSleeperTest {
  private final ManualClock clock = ManualClock.create();
  private final ManualSleeper sleeper = new ManualSleeper(clock);

  @Test
  void advancesTheClockInsteadOfSleeping() throws InterruptedException {
    long began = System.nanoTime();

    sleeper.sleep(Duration.ofHours(3));

    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
    assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START.plus(Duration.ofHours(3)));
  }

  @Test
  void recordsEachSleepAndTheirTotal() throws InterruptedException {
    sleeper.sleep(Duration.ofSeconds(10));
    sleeper.sleep(Duration.ofSeconds(20));
    sleeper.sleep(Duration.ofMinutes(1));

    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofMinutes(1));
    assertThat(sleeper.totalSlept()).isEqualTo(Duration.ofSeconds(90));
    assertThat(sleeper.clock()).isSameAs(clock);
    assertThat(sleeper).hasToString("ManualSleeper[3 sleeps, PT1M30S in all]");
  }

  @Test
  void returnsAtOnceWithoutMovingForZeroOrNegativeDurations() throws InterruptedException {
    sleeper.sleep(Duration.ZERO);
    sleeper.sleep(Duration.ofSeconds(-5));

    assertThat(sleeper.sleeps()).isEmpty();
    assertThat(sleeper.totalSlept()).isEqualTo(Duration.ZERO);
    assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START);
  }

  @Test
  void anInterruptedThreadGetsInterruptedExceptionAndTheFlagIsCleared() {
    Thread.currentThread().interrupt();

    assertThatThrownBy(() -> sleeper.sleep(Duration.ofMinutes(30)))
        .isInstanceOf(InterruptedException.class)
        .hasMessageContaining("PT30M");
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void anInterruptedThreadIsStoppedEvenForAZeroSleep() {
    Thread.currentThread().interrupt();

    assertThatThrownBy(() -> sleeper.sleep(Duration.ZERO)).isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
  }
}
