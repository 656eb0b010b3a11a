package dev.rollback.core.notify;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How sending one notification through one notifier ended.
 *
 * @param notifier the notifier's {@link Notifier#name()}
 * @param delivered true when an attempt succeeded
 * @param attempts how many attempts were made, from 1
 * @param error the last failure (type and message, secrets masked) when not delivered, else null
 * @since 0.1.0
 */
public record Delivery(String notifier, boolean delivered, int attempts, @Nullable String error) {
  /** Checks the components. */
  public Delivery {
    Objects.requireNonNull(notifier, "notifier");
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, but was " + attempts);
    }
  }
}
