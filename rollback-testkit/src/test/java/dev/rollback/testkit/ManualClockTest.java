package dev.rollback.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ManualClockTest {

  @Test
  void startsAtAFixedInstantInUtc() {
    ManualClock clock = ManualClock.create();

    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z")).isEqualTo(ManualClock.DEFAULT_START);
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    assertThat(clock.millis()).isEqualTo(ManualClock.DEFAULT_START.toEpochMilli());
  }

  @Test
  void standsStillUntilMoved() {
    ManualClock clock = ManualClock.startingAt(Instant.parse("2026-03-01T09:00:00Z"));

    assertThat(clock.instant()).isEqualTo(clock.instant()).isEqualTo(Instant.parse("2026-03-01T09:00:00Z"));
  }

  @Test
  void advancesByTheGivenDurationAndReturnsTheNewTime() {
    ManualClock clock = ManualClock.startingAt(Instant.parse("2026-03-01T09:00:00Z"));

    Instant after = clock.advance(Duration.ofMinutes(30));
    clock.advance(Duration.ZERO);

    assertThat(after).isEqualTo(Instant.parse("2026-03-01T09:30:00Z"));
    assertThat(clock.instant()).isEqualTo(after);
  }

  @Test
  void refusesToAdvanceBackwardsAndSaysHowToMoveBack() {
    ManualClock clock = ManualClock.create();

    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be negative, but was PT-1S")
        .hasMessageContaining("set(Instant)");
    assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START);
  }

  @Test
  void setMovesTheClockForwardOrBack() {
    ManualClock clock = ManualClock.create();

    clock.set(Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));

    clock.set(Instant.parse("2020-01-01T00:00:00Z"));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
  }

  @Test
  void aZoneViewSharesTheTimeWithTheClock() {
    ManualClock clock = ManualClock.create();
    ZoneId berlin = ZoneId.of("Europe/Berlin");

    ManualClock inBerlin = clock.withZone(berlin);
    clock.advance(Duration.ofHours(2));

    assertThat(inBerlin.getZone()).isEqualTo(berlin);
    assertThat(inBerlin.instant()).isEqualTo(clock.instant());
    assertThat(inBerlin).isNotEqualTo(clock).isEqualTo(clock.withZone(berlin));
    assertThat(inBerlin.withZone(ZoneOffset.UTC)).isEqualTo(clock).hasSameHashCodeAs(clock);
    assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
    assertThat(ManualClock.create()).isNotEqualTo(clock);
  }

  @Test
  void losesNoAdvanceWhenThreadsMoveItAtOnce() throws InterruptedException {
    ManualClock clock = ManualClock.create();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread thread = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < 1_000; i++) {
          clock.advance(Duration.ofMillis(1));
        }
      });
      thread.start();
      threads.add(thread);
    }

    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(8));
  }
}
