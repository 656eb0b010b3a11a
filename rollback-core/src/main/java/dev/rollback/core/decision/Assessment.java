package dev.rollback.core.decision;

import dev.rollback.core.health.HealthObservation;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The facts gathered in the ASSESS phase, before anything is touched. Every signal is optional: a
 * rule that needs one that is missing does not decide.
 *
 * @param service the service
 * @param currentVersion the version running now
 * @param targetVersion the version a rollback would go to
 * @param health what the health check saw, if one is configured
 * @param errorRate the error rate now (0.07 = 7%), if a metric source is configured and had data
 * @param baselineErrorRate the error rate before the bad deploy, if known
 * @param errorRateThreshold the rate above which the service counts as failing
 * @param latencyP99 the p99 latency now, if known
 * @param latencyThreshold the p99 above which the service counts as failing, if set
 * @param sinceDeploy how long the bad version has been running, if known
 * @param affectedSystems the systems the plan declares affected
 * @param database migration facts between the versions, if the database module supplied them
 * @param targetStable whether the target is recorded as stable in production
 * @param targetStability the sentence that says why (or "no release ledger")
 * @since 0.1.0
 */
public record Assessment(
    String service,
    String currentVersion,
    String targetVersion,
    @Nullable HealthObservation health,
    @Nullable Double errorRate,
    @Nullable Double baselineErrorRate,
    double errorRateThreshold,
    @Nullable Duration latencyP99,
    @Nullable Duration latencyThreshold,
    @Nullable Duration sinceDeploy,
    List<String> affectedSystems,
    @Nullable DatabaseFacts database,
    boolean targetStable,
    String targetStability) {

  /** Checks and copies the components. */
  public Assessment {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(currentVersion, "currentVersion");
    Objects.requireNonNull(targetVersion, "targetVersion");
    affectedSystems = List.copyOf(affectedSystems);
    Objects.requireNonNull(targetStability, "targetStability");
  }

  /** @return true when the health check failed */
  public boolean unhealthy() {
    return health != null && !health.healthy();
  }

  /** @return true when the error rate is known and above the threshold */
  public boolean errorRateHigh() {
    return errorRate != null && errorRate > errorRateThreshold;
  }

  /** @return true when the p99 latency is known and above its threshold */
  public boolean latencyHigh() {
    return latencyP99 != null && latencyThreshold != null && latencyP99.compareTo(latencyThreshold) > 0;
  }

  /** @return true when at least one signal about the running version is known */
  public boolean hasSignal() {
    return health != null || errorRate != null || (latencyP99 != null && latencyThreshold != null);
  }
}
