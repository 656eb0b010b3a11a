package dev.rollback.testkit.internal;

import dev.rollback.core.RollbackRunner;
import dev.rollback.testkit.FakeRollbackLock;
import dev.rollback.testkit.ManualClock;
import dev.rollback.testkit.ManualSleeper;
import dev.rollback.testkit.RecordingJournal;
import dev.rollback.testkit.RecordingListener;
import dev.rollback.testkit.StepLog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The fakes of one test method, and a runner wired to them. Closing it closes the meter registry.
 *
 * @param clock the manual clock
 * @param sleeper a sleeper that advances the clock
 * @param lock a lock measured on the clock
 * @param journal the journal
 * @param listener the listener
 * @param stepLog a log for recording steps
 * @param meterRegistry the meter registry
 * @param runner the runner wired to all of them
 */
public record TestFixtures(
    ManualClock clock,
    ManualSleeper sleeper,
    FakeRollbackLock lock,
    RecordingJournal journal,
    RecordingListener listener,
    StepLog stepLog,
    SimpleMeterRegistry meterRegistry,
    RollbackRunner runner)
    implements AutoCloseable {

  /** The owner the testkit's runners write into leases and journals. */
  public static final String OWNER = "rollback-testkit";

  /** @return fresh fakes and a runner wired to them */
  public static TestFixtures create() {
    ManualClock clock = ManualClock.create();
    ManualSleeper sleeper = new ManualSleeper(clock);
    FakeRollbackLock lock = new FakeRollbackLock(clock);
    RecordingJournal journal = new RecordingJournal();
    RecordingListener listener = new RecordingListener();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RollbackRunner runner = wire(clock, sleeper, lock, journal, listener, registry).build();
    return new TestFixtures(clock, sleeper, lock, journal, listener, new StepLog(), registry, runner);
  }

  /** @return a new runner builder wired to these fakes, for a test that needs more settings */
  public RollbackRunner.Builder runnerBuilder() {
    return wire(clock, sleeper, lock, journal, listener, meterRegistry);
  }

  private static RollbackRunner.Builder wire(
      ManualClock clock,
      ManualSleeper sleeper,
      FakeRollbackLock lock,
      RecordingJournal journal,
      RecordingListener listener,
      SimpleMeterRegistry registry) {
    return RollbackRunner.builder()
        .clock(clock)
        .sleeper(sleeper)
        .lock(lock)
        .journal(journal)
        .listener(listener)
        .meterRegistry(registry)
        .owner(OWNER);
  }

  @Override
  public void close() {
    meterRegistry.close();
  }
}
