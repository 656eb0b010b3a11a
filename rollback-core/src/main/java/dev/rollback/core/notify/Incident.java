package dev.rollback.core.notify;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Key;
import dev.rollback.core.RollbackException;
import dev.rollback.core.StepContext;
import dev.rollback.core.decision.Impact;
import dev.rollback.core.decision.Severity;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The incident a rollback opens: who is affected, how badly, from which version to which, when
 * service should be back, and who owns it. The open-incident step ({@link
 * IncidentSteps#openIncident}) makes it and shares it with later steps under {@link #KEY}; it is
 * journaled with the step, so a resumed run keeps the same incident.
 *
 * <pre>{@code
 * Incident incident = Incident.open(ctx, impact.severity(), impact, Duration.ofMinutes(20), "alice");
 * // incident.id() -> "INC-20261128-0931-checkout-api"
 * }</pre>
 *
 * @param id {@code INC-yyyyMMdd-HHmm-<service>}, from the run clock in UTC (see {@link #idFor})
 * @param service the service being rolled back
 * @param severity how bad it is
 * @param fromVersion the version running when the incident opened
 * @param toVersion the version being rolled back to
 * @param impact the declared impact, or null when only a severity was given
 * @param eta how long until service should be restored, counted from {@code openedAt}, or null
 *     when unknown
 * @param owner the person or team that owns the incident
 * @param openedAt when the incident was opened, on the run clock
 * @since 0.1.0
 */
public record Incident(
    String id,
    String service,
    Severity severity,
    String fromVersion,
    String toVersion,
    @Nullable Impact impact,
    @Nullable Duration eta,
    String owner,
    Instant openedAt) {

  /** The key under which the open-incident step shares the incident with later steps. */
  public static final Key<Incident> KEY = Key.of("rollback.incident", Incident.class);

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm").withZone(ZoneOffset.UTC);

  /** Checks the components; every problem is reported at once. */
  public Incident {
    List<String> problems = new ArrayList<>();
    if (id == null || id.isBlank()) {
      problems.add("id must not be blank, but was " + quote(id) + ": make incidents with Incident.open(..)");
    }
    if (service == null || service.isBlank()) {
      problems.add("service must not be blank, but was " + quote(service));
    }
    if (severity == null) {
      problems.add("severity must be set: pass one of SEV1..SEV4 or derive it with impact.severity()");
    }
    if (fromVersion == null || fromVersion.isBlank()) {
      problems.add("fromVersion must not be blank, but was " + quote(fromVersion));
    }
    if (toVersion == null || toVersion.isBlank()) {
      problems.add("toVersion must not be blank, but was " + quote(toVersion));
    }
    if (eta != null && (eta.isNegative() || eta.isZero())) {
      problems.add("eta must be positive, but was " + eta + ": pass null when it is unknown");
    }
    if (owner == null || owner.isBlank()) {
      problems.add("owner must not be blank, but was " + quote(owner) + ": name the incident commander or team");
    }
    if (openedAt == null) {
      problems.add("openedAt must be set: take it from the run clock");
    }
    if (!problems.isEmpty()) {
      throw RollbackException.invalid("invalid incident", problems);
    }
  }

  /**
   * Opens an incident for the run the context belongs to: id and time from the run clock, service
   * and versions from the run.
   *
   * @param ctx the run's context
   * @param severity how bad it is
   * @param impact the declared impact, or null
   * @param eta how long until service should be restored, or null when unknown
   * @param owner who owns the incident
   * @return the incident
   * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} listing every bad value
   */
  public static Incident open(StepContext ctx, Severity severity, @Nullable Impact impact, @Nullable Duration eta, String owner) {
    Instant now = ctx.clock().instant();
    return new Incident(idFor(ctx.service(), now), ctx.service(), severity, ctx.fromVersion(), ctx.toVersion(), impact, eta, owner, now);
  }

  /**
   * @param service the service
   * @param at when the incident opened
   * @return the incident id, e.g. {@code INC-20261128-0931-checkout-api} (UTC)
   */
  public static String idFor(String service, Instant at) {
    return "INC-" + STAMP.format(at) + "-" + service;
  }

  /** @return when service should be restored ({@code openedAt + eta}), if an ETA was given */
  public java.util.Optional<Instant> restoreBy() {
    return eta == null ? java.util.Optional.empty() : java.util.Optional.of(openedAt.plus(eta));
  }

  private static String quote(@Nullable String s) {
    return s == null ? "null" : "'" + s + "'";
  }
}
