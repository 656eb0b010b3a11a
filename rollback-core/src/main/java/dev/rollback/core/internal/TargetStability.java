package dev.rollback.core.internal;

import dev.rollback.core.release.ReleaseLedger;
import dev.rollback.core.release.ReleaseRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Judges whether a target was stable in production, from the plan's ledger, soak time and the
 * operator's override.
 *
 * @param ledger the plan's ledger, or null
 * @param soak the least time in production
 * @param overrideReason the operator's reason to accept an unproven target, or null
 */
public record TargetStability(@Nullable ReleaseLedger ledger, Duration soak, @Nullable String overrideReason) {

  /**
   * @param acceptable whether a rollback to it may go ahead
   * @param recordedStable whether the ledger shows it stable
   * @param sentence why, for people
   */
  public record Verdict(boolean acceptable, boolean recordedStable, String sentence) {}

  /**
   * @param service the service
   * @param version the target
   * @param now the current time
   * @return the verdict
   */
  public Verdict judge(String service, String version, Instant now) {
    if (ledger == null) {
      return new Verdict(true, false, "no release ledger is configured, so " + version
          + " is taken as the runbook names it without a stability check");
    }
    Optional<ReleaseRecord> stable = ledger.stableRecord(service, version, soak, now);
    if (stable.isPresent()) {
      return new Verdict(true, true, version + " was stable in production: " + stable.get().describe(soak, now));
    }
    String seen = ledger.latest(service, version).map(r -> r.describe(soak, now)).orElse(version + " never ran in production");
    if (overrideReason != null) {
      return new Verdict(true, false, version + " was never recorded stable in production (" + seen + "); operator override: "
          + overrideReason);
    }
    return new Verdict(false, false, version + " was never recorded stable in production for at least " + soak + " (" + seen + ")");
  }
}
