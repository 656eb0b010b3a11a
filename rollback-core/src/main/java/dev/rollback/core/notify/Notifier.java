package dev.rollback.core.notify;

/**
 * Sends a {@link Notification} somewhere people see it: the notification SPI. Core ships Slack,
 * a signed JSON webhook, PagerDuty Events API v2, SLF4J and a console ({@link Notifiers}); a user
 * implements this for anything else (Teams, e-mail, a status page).
 *
 * <p>An implementation sends once and throws when the message was not delivered; retries,
 * backoff and recording are the {@link NotificationDispatcher}'s job. Exception messages must not
 * contain secrets (tokens, webhook URLs): they are written to the run's timeline.
 *
 * @since 0.1.0
 */
public interface Notifier {

  /** @return a short name, unique among a dispatcher's notifiers ("slack", "pagerduty") */
  String name();

  /**
   * Delivers one notification, or throws.
   *
   * @param notification what to send
   * @throws Exception when it was not delivered (non-2xx answer, timeout, connection refused)
   */
  void send(Notification notification) throws Exception;

  /**
   * Whether this notifier takes a kind of message at all; the dispatcher neither sends nor records
   * the others. PagerDuty, for one, takes no progress messages. Defaults to every message.
   *
   * @param notification a notification about to be sent
   * @return false to leave it out
   */
  default boolean accepts(Notification notification) {
    return true;
  }
}
