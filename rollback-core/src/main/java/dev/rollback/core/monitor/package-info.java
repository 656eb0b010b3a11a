/**
 * Watching after the rollback (the MONITOR phase): a {@link dev.rollback.core.monitor.MonitorWindow}
 * evaluates metric gates on the run's clock for a window, alerts on a breach and marks the run
 * degraded; {@link dev.rollback.core.monitor.TemporaryAlertRules} installs Prometheus alert rules
 * for the recovery window and removes them afterwards.
 */
@NullMarked
package dev.rollback.core.monitor;

import org.jspecify.annotations.NullMarked;
