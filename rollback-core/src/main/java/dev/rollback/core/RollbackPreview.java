package dev.rollback.core;

import java.util.List;

/**
 * What a plan would do, step by step, from a dry run that changed nothing.
 *
 * @param service the service
 * @param fromVersion the version running now (read by the plan's probe)
 * @param toVersion the target the selector picked
 * @param steps every step in run order
 * @since 0.1.0
 */
public record RollbackPreview(String service, String fromVersion, String toVersion, List<PreviewEntry> steps) {
  /** Copies the list. */
  public RollbackPreview {
    steps = List.copyOf(steps);
  }
}
