package dev.rollback.core;

import java.time.Instant;

/**
 * Another run holds the lock of the service. Only one rollback per service runs at a time.
 *
 * @since 0.1.0
 */
public final class RollbackInProgressException extends RollbackException {
  private static final long serialVersionUID = 1L;

  private final String service;
  private final String holderRunId;
  private final String holderOwner;
  private final Instant holderSince;

  /**
   * @param service the service
   * @param holderRunId the run that holds the lock
   * @param holderOwner who started it (host, process, user)
   * @param holderSince when it took the lock
   * @param expiresAt when its lease expires unless renewed
   */
  public RollbackInProgressException(
      String service, String holderRunId, String holderOwner, Instant holderSince, Instant expiresAt) {
    super(
        ErrorCode.ROLLBACK_IN_PROGRESS,
        "a rollback of '" + service + "' is already in progress: run " + holderRunId + " by " + holderOwner
            + " started at " + holderSince + " (lease until " + expiresAt
            + "); wait for it to finish, or resume that run instead of starting a new one");
    this.service = service;
    this.holderRunId = holderRunId;
    this.holderOwner = holderOwner;
    this.holderSince = holderSince;
  }

  /** @return the service */
  public String service() {
    return service;
  }

  /** @return the run that holds the lock */
  public String holderRunId() {
    return holderRunId;
  }

  /** @return who holds it */
  public String holderOwner() {
    return holderOwner;
  }

  /** @return since when */
  public Instant holderSince() {
    return holderSince;
  }
}
