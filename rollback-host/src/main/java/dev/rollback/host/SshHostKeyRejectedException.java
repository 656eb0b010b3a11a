package dev.rollback.host;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;

/**
 * The SSH server's host key is not in the known-hosts file (unknown host) or differs from the key
 * listed there (changed key). Nothing was run on that host. Check the fingerprint with the host's
 * owner ({@code ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub}) before adding it.
 *
 * @since 0.1.0
 */
public final class SshHostKeyRejectedException extends RollbackException {
  private static final long serialVersionUID = 1L;

  private final String host;
  private final String fingerprint;
  private final boolean changed;

  /**
   * @param host {@code host:port} as it was reached
   * @param fingerprint the SHA256 fingerprint of the key the server showed
   * @param changed true when the known-hosts file lists another key for the host
   * @param message what happened and how to fix it
   */
  public SshHostKeyRejectedException(String host, String fingerprint, boolean changed, String message) {
    super(ErrorCode.INVALID_CONFIGURATION, message);
    this.host = host;
    this.fingerprint = fingerprint;
    this.changed = changed;
  }

  /** @return {@code host:port} */
  public String host() {
    return host;
  }

  /** @return the SHA256 fingerprint of the key the server showed */
  public String fingerprint() {
    return fingerprint;
  }

  /** @return true for a changed key, false for an unknown host */
  public boolean changed() {
    return changed;
  }
}
