package dev.rollback.core.metric;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * One reading of a metric at an instant: a value, or no value when the source had no data then.
 *
 * @param at when it was read (by the run's clock), or the sample's own timestamp for a range query
 * @param value the value, or null when the source had no data
 * @since 0.1.0
 */
public record Sample(Instant at, @Nullable Double value) {
  /** Checks the components. */
  public Sample {
    Objects.requireNonNull(at, "at of a Sample must not be null");
  }

  /**
   * @param at when
   * @param value the reading; empty for no data
   * @return the sample
   */
  public static Sample of(Instant at, OptionalDouble value) {
    return new Sample(at, value.isPresent() ? value.getAsDouble() : null);
  }

  /** @return true when the sample carries a value */
  public boolean hasValue() {
    return value != null;
  }
}
