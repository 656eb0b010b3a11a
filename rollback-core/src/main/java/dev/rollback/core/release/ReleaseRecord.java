package dev.rollback.core.release;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One time a version ran in production.
 *
 * @param service the service
 * @param version the version
 * @param deployedAt when it started serving
 * @param retiredAt when it stopped serving, or null while it runs
 * @param outcome how it ended ({@link ReleaseOutcome#RUNNING} while it runs)
 * @param incidents incident ids raised while it ran
 * @since 0.1.0
 */
public record ReleaseRecord(
    String service, String version, Instant deployedAt, @Nullable Instant retiredAt, ReleaseOutcome outcome, List<String> incidents) {

  /** Checks and copies the components. */
  public ReleaseRecord {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(deployedAt, "deployedAt");
    Objects.requireNonNull(outcome, "outcome");
    incidents = incidents == null ? List.of() : List.copyOf(incidents);
    if (retiredAt != null && retiredAt.isBefore(deployedAt)) {
      throw new IllegalArgumentException("release " + service + " " + version + " retired at " + retiredAt + ", before it was deployed at " + deployedAt);
    }
  }

  /**
   * @param now the current time, for a release that still runs
   * @return how long it ran (or has run so far)
   */
  public Duration ranFor(Instant now) {
    return Duration.between(deployedAt, retiredAt == null ? now : retiredAt);
  }

  /**
   * Stable in production: it ran at least {@code soak} without an incident and did not end as
   * FAILED or ROLLED_BACK.
   *
   * @param soak the least time it must have run
   * @param now the current time
   * @return whether it counts as stable
   */
  public boolean stable(Duration soak, Instant now) {
    return incidents.isEmpty()
        && outcome != ReleaseOutcome.FAILED
        && outcome != ReleaseOutcome.ROLLED_BACK
        && ranFor(now).compareTo(soak) >= 0;
  }

  /**
   * @param now the current time
   * @param soak the soak time
   * @return why it does or does not count as stable, in one clause
   */
  public String describe(Duration soak, Instant now) {
    Duration ran = ranFor(now);
    String base = version + " ran " + human(ran) + " from " + deployedAt + (retiredAt == null ? " (still running)" : "") + ", ended " + outcome;
    if (!incidents.isEmpty()) {
      return base + " with incidents " + incidents;
    }
    if (ran.compareTo(soak) < 0) {
      return base + ", shorter than the soak time of " + human(soak);
    }
    return base;
  }

  private static String human(Duration d) {
    if (d.toDays() >= 2) {
      return d.toDays() + " days";
    }
    if (d.toHours() >= 2) {
      return d.toHours() + " hours";
    }
    return d.toMinutes() + " minutes";
  }
}
