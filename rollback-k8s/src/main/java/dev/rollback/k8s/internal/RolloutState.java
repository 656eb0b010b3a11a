package dev.rollback.k8s.internal;

import java.util.Objects;

/**
 * What {@code kubectl rollout status} would say about a workload at one moment.
 *
 * @param done the rollout finished
 * @param failed the rollout failed for good (progress deadline exceeded)
 * @param message kubectl's message, e.g. "2 out of 3 new replicas have been updated"
 * @param updated replicas (pods) on the new template
 * @param available updated replicas that are available
 * @param desired replicas wanted
 */
public record RolloutState(boolean done, boolean failed, String message, int updated, int available, int desired) {
  /** Checks the message. */
  public RolloutState {
    Objects.requireNonNull(message, "message");
  }

  /** @return how far along, from 0 to 1 (updated and available count half each) */
  public double fraction() {
    if (done) {
      return 1.0;
    }
    if (desired <= 0) {
      return 0.0;
    }
    return Math.min(1.0, (Math.min(updated, desired) + Math.min(available, desired)) / (2.0 * desired));
  }

  /** @return the short progress line, e.g. "2/3 updated, 1/3 available" */
  public String counts() {
    return updated + "/" + desired + " updated, " + available + "/" + desired + " available";
  }

  /** @return true once the controller observed the latest spec (before that, the counts are stale) */
  public boolean observed() {
    return !message.contains("spec update to be observed");
  }
}
