package dev.rollback.core;

/**
 * The phases of a rollback run, in the order the runner walks them. A plan may leave any phase
 * empty; steps run in phase order, then in the order they were added to the plan.
 *
 * @since 0.1.0
 */
public enum Phase {
  /** Read current version, health and error rate; decide rollback, forward fix or no action. */
  ASSESS,
  /** Open the incident, page on-call, notify stakeholders. */
  MOBILIZE,
  /** Verify the current version, pick and verify the target. */
  PRECHECK,
  /** Migrations between versions, their risk, a timestamped backup. */
  DATABASE_PREP,
  /** Maintenance mode, load-balancer drain, circuit breaker open. */
  TRAFFIC_DRAIN,
  /** The platform strategy: Kubernetes, Swarm, container, blue-green, rolling, symlink. */
  PLATFORM_ROLLBACK,
  /** Load balancer targets, CDN invalidation, DNS. */
  EDGE,
  /** Config files, environment, restarts, feature flags. */
  CONFIG_ROLLBACK,
  /** Undo migrations, only when allowed. */
  DATABASE_ROLLBACK,
  /** Health, critical endpoints, latency, error rate, resources, database. */
  VALIDATE,
  /** Gradual traffic restore with a gate between steps. */
  TRAFFIC_RESTORE,
  /** Watch window with temporary alert rules. */
  MONITOR,
  /** Status announcement. */
  COMMUNICATE,
  /** The incident report. */
  REPORT,
  /** Failed artifacts, deployment status, flags reset, follow-up items. */
  CLEANUP
}
