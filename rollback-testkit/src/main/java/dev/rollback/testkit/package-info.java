/**
 * Test runbooks without waiting and without real infrastructure: a {@link
 * dev.rollback.testkit.ManualClock} and {@link dev.rollback.testkit.ManualSleeper} that compress
 * hours into milliseconds, fakes of the lock and journal SPIs, a {@link
 * dev.rollback.testkit.RecordingStep} and {@link dev.rollback.testkit.RecordingListener} that remember
 * what happened, AssertJ assertions on a {@link dev.rollback.core.RollbackResult}, and the {@link
 * dev.rollback.testkit.RollbackTest @RollbackTest} JUnit 5 extension that wires them into a runner.
 *
 * <pre>{@code
 * @RollbackTest
 * class CheckoutRunbookTest {
 *   @Test
 *   void compensatesTheDrainWhenTheRollbackFails(RollbackRunner runner, StepLog log) { ... }
 * }
 * }</pre>
 *
 * <p>Everything under {@code dev.rollback.testkit.internal} is implementation and may change without
 * notice.
 */
@NullMarked
package dev.rollback.testkit;

import org.jspecify.annotations.NullMarked;
