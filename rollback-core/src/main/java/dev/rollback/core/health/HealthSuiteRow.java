package dev.rollback.core.health;

import java.util.Objects;

/**
 * One endpoint's line in a {@link HealthSuiteResult}.
 *
 * @param endpoint the endpoint's name
 * @param required the consecutive passes it needed
 * @param passes its consecutive passes when the suite ended (it stops being checked once it reached
 *     {@code required})
 * @param attempts how many times it was checked
 * @param resets how many times a failure reset a streak of passes
 * @param last what its last check saw
 * @since 0.1.0
 */
public record HealthSuiteRow(String endpoint, int required, int passes, int attempts, int resets, HealthObservation last) {
  /** Checks the components. */
  public HealthSuiteRow {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(last, "last");
  }

  /** @return whether the endpoint reached its consecutive passes */
  public boolean passed() {
    return passes >= required;
  }
}
