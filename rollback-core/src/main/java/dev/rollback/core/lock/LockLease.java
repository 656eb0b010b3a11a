package dev.rollback.core.lock;

/**
 * A held lock. Renew it before its TTL passes; close it to release.
 *
 * @since 0.1.0
 */
public interface LockLease extends AutoCloseable {

  /** @return the holder as last written */
  LockHolder holder();

  /**
   * Extends the lease by its TTL from now.
   *
   * @throws dev.rollback.core.RollbackException with {@link dev.rollback.core.ErrorCode#LOCK_FAILURE}
   *     when the lease was lost (it expired and another run took over)
   */
  void renew();

  /** Releases the lock if this lease still holds it. Calling it twice does nothing. */
  @Override
  void close();
}
