package dev.rollback.testkit.strategy;

import dev.rollback.core.RollbackRunner;
import dev.rollback.core.strategy.RollbackStrategy;
import dev.rollback.testkit.FakeRollbackLock;
import dev.rollback.testkit.ManualClock;
import dev.rollback.testkit.ManualSleeper;
import dev.rollback.testkit.RecordingJournal;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a strategy's author provides to {@link RollbackStrategyContract}: a platform to roll back on,
 * the strategy under test, and ways to look at the platform that do not go through the strategy.
 *
 * <p>The contract makes a fresh fixture for each test ({@link RollbackStrategyContract#createFixture()}),
 * calls {@link #release} once with {@code v1.0.0, v1.1.0, v1.2.0}, then {@link #strategy()}, and
 * {@link #close()}s the fixture after the test.
 *
 * <p>The observations ({@link #runningVersions()}, {@link #snapshot()}) must read the platform
 * directly — the symlink and the started process, the files on each host, the Deployment and its
 * pods — never through the strategy's own {@link RollbackStrategy#inspect()}: the contract uses
 * them to check what the strategy says.
 *
 * @since 0.1.0
 */
public interface StrategyFixture extends AutoCloseable {

  /**
   * Sets the platform up as if {@code versions} had been released one after the other, oldest
   * first, each one complete and healthy: afterwards the last one runs everywhere and the others
   * are the platform's history (release folders, ReplicaSet revisions, service specs). Release
   * times must be earlier than the clock of {@link #runner()} (the manual clock starts at {@link
   * ManualClock#DEFAULT_START}) and increase with each version.
   *
   * @param versions the versions, oldest first; the contract passes {@code v1.0.0, v1.1.0, v1.2.0}
   * @throws Exception when the platform cannot be set up
   */
  void release(List<String> versions) throws Exception;

  /**
   * @return the strategy under test, working on the platform set up by {@link #release}; the
   *     contract asks once per test
   * @throws Exception when it cannot be built
   */
  RollbackStrategy strategy() throws Exception;

  /**
   * Reads, without the strategy, which version actually runs: one entry per place it can be seen
   * (per host, per pod, the link and the process it started). When every entry equals a version,
   * that version runs everywhere.
   *
   * @return the versions seen, never empty
   * @throws Exception when the platform cannot be read
   */
  List<String> runningVersions() throws Exception;

  /**
   * Captures, without the strategy, everything a rollback could change: links, folders, logs,
   * restart counters, drain hooks, specs, revisions. Two snapshots are equal exactly when nothing
   * changed in between; use a record, a map or a string so that equality and the failure message
   * work.
   *
   * @return the snapshot
   * @throws Exception when the platform cannot be read
   */
  Object snapshot() throws Exception;

  /**
   * Makes the next rollout fail the way a real one does (a service that does not come up, a health
   * check that fails, pods that crash). Called only when {@link #capabilities()} holds {@link
   * StrategyCapability#FAILING_ROLLOUT}.
   *
   * @return a distinctive part of the reason, which the failure the strategy reports must contain
   *     (e.g. the health check's output)
   * @throws Exception when the platform cannot be changed
   */
  String failNextRollout() throws Exception;

  /**
   * Removes a release from the platform (its folder on every host, its revision), as an operator or
   * a clean-up would. Called only when {@link #capabilities()} holds {@link
   * StrategyCapability#REMOVABLE_RELEASES}.
   *
   * @param version a version passed to {@link #release} that does not run now
   * @throws Exception when the platform cannot be changed
   */
  void remove(String version) throws Exception;

  /**
   * @return what the strategy and this fixture can do; the contract skips, with a message, the
   *     tests that need a capability left out. Default: all of them
   */
  default Set<StrategyCapability> capabilities() {
    return EnumSet.allOf(StrategyCapability.class);
  }

  /**
   * The runner the contract runs its plans with, one per test. The default runs on a {@link
   * ManualClock} with a {@link ManualSleeper}, so every wait of the strategy goes by in
   * milliseconds: right for platforms that change synchronously (files, SSH commands). A fixture
   * whose platform changes on its own thread (a simulated controller) may return a runner on the
   * system clock instead.
   *
   * @return a runner builder; the contract builds it
   */
  default RollbackRunner.Builder runner() {
    ManualClock clock = ManualClock.create();
    return RollbackRunner.builder()
        .clock(clock)
        .sleeper(new ManualSleeper(clock))
        .lock(new FakeRollbackLock(clock))
        .journal(new RecordingJournal())
        .owner("rollback-testkit");
  }

  /**
   * How long, on the clock of {@link #runner()}, the contract lets a wait go on that must not
   * converge. Default 20 seconds, which the default manual clock passes in milliseconds; a fixture
   * on the system clock may shorten it.
   *
   * @return a positive duration
   */
  default Duration notConvergingWait() {
    return Duration.ofSeconds(20);
  }

  /**
   * Releases what the fixture holds (SSH clients, servers); called after each test. Default: nothing.
   *
   * @throws Exception when something cannot be released
   */
  @Override
  default void close() throws Exception {}
}
