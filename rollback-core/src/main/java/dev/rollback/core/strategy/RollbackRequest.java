package dev.rollback.core.strategy;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a strategy is asked to roll back to.
 *
 * @param fromVersion the version running now
 * @param toVersion the version to run
 * @param revision a platform revision to use, when the runbook names one
 * @since 0.1.0
 */
public record RollbackRequest(String fromVersion, String toVersion, @Nullable String revision) {
  /** Checks the components. */
  public RollbackRequest {
    Objects.requireNonNull(fromVersion, "fromVersion");
    Objects.requireNonNull(toVersion, "toVersion");
  }

  /** @return the revision, if named */
  public Optional<String> revisionHint() {
    return Optional.ofNullable(revision);
  }
}
