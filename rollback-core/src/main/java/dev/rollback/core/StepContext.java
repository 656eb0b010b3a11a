package dev.rollback.core;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What a step gets from the runner: who and what this run is about, shared facts, time, and the
 * ways to report back.
 *
 * @since 0.1.0
 */
public interface StepContext {

  /** @return the run's id, as written in the journal */
  String runId();

  /** @return the service being rolled back */
  String service();

  /** @return the version running when the run started */
  String fromVersion();

  /** @return the version being rolled back to */
  String toVersion();

  /** @return the id of the step this context was given to */
  String stepId();

  /** @return 1 for the first attempt of this step, 2 for the first retry, and so on */
  int attempt();

  /** @return true when this is a dry run: describe, change nothing */
  boolean dryRun();

  /**
   * @param key the fact's key
   * @param <T> its type
   * @return the fact, if a step put it
   */
  <T> Optional<T> get(Key<T> key);

  /**
   * @param key the fact's key
   * @param <T> its type
   * @return the fact
   * @throws RollbackException naming the key when no step put it
   */
  <T> T require(Key<T> key);

  /**
   * Shares a fact with later steps (and with a resumed run, see {@link Key}).
   *
   * @param key the fact's key
   * @param value the value
   * @param <T> its type
   */
  <T> void put(Key<T> key, T value);

  /**
   * @param name the name the secret was declared under with {@link RollbackPlan.Builder#secret}
   * @return the secret
   * @throws RollbackException naming the secret and the declared names when absent
   */
  Secret secret(String name);

  /** @return the run's clock; read time only from here */
  Clock clock();

  /**
   * Waits, through the run's sleeper; returns early with an exception when the run is cancelled.
   *
   * @param duration how long
   * @throws InterruptedException when interrupted
   * @throws RollbackException with {@link ErrorCode#CANCELLED} when the run was cancelled
   */
  void sleep(Duration duration) throws InterruptedException;

  /**
   * Polls a condition until it holds or the timeout passes on the run's clock, reporting progress
   * events while it waits.
   *
   * @param what what is being waited for, for progress events ("rollout of checkout")
   * @param condition the condition
   * @param timeout the longest wait; must be positive
   * @param pollInterval the time between polls; must be positive
   * @return true if the condition held within the timeout, false if the timeout passed
   * @throws InterruptedException when interrupted
   * @throws RollbackException with {@link ErrorCode#CANCELLED} when the run was cancelled
   */
  boolean await(String what, BooleanSupplier condition, Duration timeout, Duration pollInterval)
      throws InterruptedException;

  /** @return true once the run was cancelled */
  boolean cancelled();

  /**
   * Throws when the run was cancelled; long steps call it at their safe points.
   *
   * @throws RollbackException with {@link ErrorCode#CANCELLED}
   */
  void throwIfCancelled();

  /**
   * Reports progress of a long step (shown by progress renderers).
   *
   * @param message what is happening now
   * @param fraction done so far, from 0 to 1, or a negative number when unknown
   */
  void progress(String message, double fraction);

  /**
   * Records an entry in the run's timeline (journal, events and report).
   *
   * @param message what happened
   * @param facts supporting key/values
   */
  void record(String message, Map<String, String> facts);

  /** @return the step's logger, with secrets masked */
  RunLog log();

  /** @return the meter registry of the runner */
  MeterRegistry meterRegistry();

  /** @return the observation registry of the runner */
  ObservationRegistry observationRegistry();
}
