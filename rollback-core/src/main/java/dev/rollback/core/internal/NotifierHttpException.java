package dev.rollback.core.internal;

import java.io.IOException;

/**
 * A notifier's HTTP call was not delivered: a non-2xx answer or a transport failure. Its message
 * never holds a secret, and it carries no cause (a cause's message could hold the URL).
 */
public final class NotifierHttpException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final boolean retryable;

  /**
   * @param message what failed, secrets masked
   * @param status the HTTP status, or 0 when there was no answer
   * @param retryable whether another attempt may succeed (5xx, 408, 429, transport failures)
   */
  public NotifierHttpException(String message, int status, boolean retryable) {
    super(message);
    this.status = status;
    this.retryable = retryable;
  }

  /** @return the HTTP status, or 0 when there was no answer */
  public int status() {
    return status;
  }

  /** @return whether another attempt may succeed */
  public boolean retryable() {
    return retryable;
  }
}
