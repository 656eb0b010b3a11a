package dev.rollback.core.internal;

import dev.rollback.core.ApprovalGate;
import dev.rollback.core.Sleeper;
import dev.rollback.core.event.RollbackListener;
import dev.rollback.core.journal.RunJournal;
import dev.rollback.core.lock.RollbackLock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;

/**
 * Everything a runner was configured with.
 *
 * @param clock the run clock
 * @param sleeper the run sleeper
 * @param journal the journal store
 * @param lock the lock
 * @param lockTtl the lease TTL
 * @param owner who runs (host, process, user)
 * @param meterRegistry meters
 * @param observationRegistry observations
 * @param approvalGate where pauses ask
 * @param listeners listeners of every run
 * @param runIds makes run ids from service and start time
 * @param stepExecutor runs steps that have a timeout
 * @param heartbeat renews leases
 */
public record RunnerSettings(
    Clock clock,
    Sleeper sleeper,
    RunJournal journal,
    RollbackLock lock,
    Duration lockTtl,
    String owner,
    MeterRegistry meterRegistry,
    ObservationRegistry observationRegistry,
    ApprovalGate approvalGate,
    List<RollbackListener> listeners,
    BiFunction<String, Instant, String> runIds,
    ExecutorService stepExecutor,
    ScheduledExecutorService heartbeat) {

  /** Copies the list. */
  public RunnerSettings {
    listeners = List.copyOf(listeners);
  }
}
