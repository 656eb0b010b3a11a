package dev.rollback.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Key;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DetachedStepContextTest {
  private final ManualClock clock = ManualClock.create();

  private DetachedStepContext.Builder onTheManualClock() {
    return DetachedStepContext.builder().clock(clock).sleeper(new ManualSleeper(clock)).versions("v1.3.0", "v1.2.9");
  }

  @Test
  void awaitPollsOnTheClockAndGivesUpAtTheDeadline() throws Exception {
    DetachedStepContext ctx = onTheManualClock().build();
    Instant start = clock.instant();

    boolean held = ctx.await("never", () -> false, Duration.ofSeconds(10), Duration.ofSeconds(3));

    assertThat(held).isFalse();
    assertThat(Duration.between(start, clock.instant())).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void awaitReturnsAsSoonAsTheConditionHolds() throws Exception {
    DetachedStepContext ctx = onTheManualClock().build();
    AtomicInteger polls = new AtomicInteger();

    boolean held = ctx.await("third poll", () -> polls.incrementAndGet() == 3, Duration.ofMinutes(1), Duration.ofSeconds(2));

    assertThat(held).isTrue();
    assertThat(polls).hasValue(3);
    assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(4));
  }

  @Test
  void stopsAWaitOnceCancelledAfterTheSleepsAllowed() {
    DetachedStepContext ctx = onTheManualClock().runId("run-7").build();
    ctx.cancelAfterSleeps(2);

    assertThatThrownBy(() -> ctx.await("never", () -> false, Duration.ofHours(1), Duration.ofSeconds(1)))
        .isInstanceOf(RollbackException.class)
        .hasMessage("run run-7 was cancelled")
        .satisfies(e -> assertThat(((RollbackException) e).code()).isEqualTo(ErrorCode.CANCELLED));
    assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(2));
  }

  @Test
  void remembersProgressTimelineAndFormattedLogLines() {
    DetachedStepContext ctx = onTheManualClock().stepId("undo").build();

    ctx.progress("1/3 updated", 0.33);
    ctx.record("rolled back", Map.of("revision", "2"));
    ctx.log().warn("pod {} restarted {} times", "checkout-1", 4);

    assertThat(ctx.progress()).containsExactly("1/3 updated");
    assertThat(ctx.timeline()).singleElement().satisfies(e -> {
      assertThat(e.stepId()).isEqualTo("undo");
      assertThat(e.facts()).containsEntry("revision", "2");
    });
    assertThat(ctx.logLines()).containsExactly("WARN pod checkout-1 restarted 4 times");
  }

  @Test
  void keepsNothingWhenRecordsAreOff() {
    DetachedStepContext ctx = onTheManualClock().keepRecords(false).build();

    ctx.progress("1/3 updated", 0.33);
    ctx.record("rolled back", Map.of());
    ctx.log().info("x");

    assertThat(ctx.progress()).isEmpty();
    assertThat(ctx.timeline()).isEmpty();
    assertThat(ctx.logLines()).isEmpty();
  }

  @Test
  void keepsFactsAndNamesAMissingOneAndAMissingSecret() {
    Key<String> key = Key.of("target.revision", String.class);
    DetachedStepContext ctx = onTheManualClock().secret("db", Secret.of("s3cret")).build();

    assertThatThrownBy(() -> ctx.require(key)).hasMessageContaining("'target.revision'");
    ctx.put(key, "2");
    assertThat(ctx.require(key)).isEqualTo("2");
    assertThat(ctx.secret("db").reveal()).isEqualTo("s3cret");
    assertThatThrownBy(() -> ctx.secret("token")).hasMessageContaining("no secret 'token'").hasMessageContaining("[db]");
  }

  @Test
  void refusesBlankNamesAtBuildTime() {
    assertThatThrownBy(() -> DetachedStepContext.builder().service(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("service must not be blank, but was ' '");
  }
}
