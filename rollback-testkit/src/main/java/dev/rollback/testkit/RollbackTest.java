package dev.rollback.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a JUnit 5 test class or method that tests a runbook with the testkit's fakes. Test methods
 * (and {@code @BeforeEach}/{@code @AfterEach} methods) may then declare parameters of these types,
 * fresh for each test and the same instances within it: {@link ManualClock}, {@link ManualSleeper},
 * {@link FakeRollbackLock}, {@link RecordingJournal}, {@link RecordingListener}, {@link StepLog},
 * {@link io.micrometer.core.instrument.simple.SimpleMeterRegistry}, a {@link
 * dev.rollback.core.RollbackRunner} wired to all of them, and a {@link
 * dev.rollback.core.RollbackRunner.Builder} wired the same way for a test that needs more settings.
 * See {@link RollbackTestExtension}.
 *
 * <pre>{@code
 * @RollbackTest
 * class CheckoutRunbookTest {
 *   @Test
 *   void watchesForThirtyMinutes(RollbackRunner runner, ManualClock clock) {
 *     RollbackResult result = runner.run(CheckoutRunbook.plan());
 *     assertThat(result).succeeded();
 *     assertThat(Duration.between(ManualClock.DEFAULT_START, clock.instant())).isEqualTo(Duration.ofMinutes(30));
 *   }
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RollbackTestExtension.class)
public @interface RollbackTest {}
