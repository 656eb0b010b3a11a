package dev.rollback.core.report;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The incident as the incident step opened it (a timeline entry with {@code kind=incident}).
 *
 * @param id the incident id, e.g. {@code INC-20261128-0931-checkout-api}
 * @param severity its severity, or null
 * @param owner who owns it, or null
 * @param eta the announced ETA, or null
 * @param at when it was opened
 * @since 0.1.0
 */
public record ReportIncident(String id, @Nullable String severity, @Nullable String owner, @Nullable String eta, Instant at) {
  /** Checks the components. */
  public ReportIncident {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
  }
}
