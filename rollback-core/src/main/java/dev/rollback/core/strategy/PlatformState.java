package dev.rollback.core.strategy;

import java.util.List;
import java.util.Objects;

/**
 * What a platform runs now and what it ran before, newest first.
 *
 * @param currentVersion the version running now
 * @param history earlier revisions, newest first
 * @since 0.1.0
 */
public record PlatformState(String currentVersion, List<Revision> history) {
  /** Checks and copies the components. */
  public PlatformState {
    Objects.requireNonNull(currentVersion, "currentVersion");
    history = List.copyOf(history);
  }
}
