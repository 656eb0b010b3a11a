/**
 * Telling people: the {@link dev.rollback.core.notify.Incident} a run opens in MOBILIZE, the
 * {@link dev.rollback.core.notify.Notification}s sent when it opens, at each phase and when service
 * is restored, the {@link dev.rollback.core.notify.Notifier} SPI with Slack, signed webhook,
 * PagerDuty, log and console implementations ({@link dev.rollback.core.notify.Notifiers}), delivery
 * with retries that never fails a rollback ({@link dev.rollback.core.notify.NotificationDispatcher}),
 * and the steps a plan adds ({@link dev.rollback.core.notify.IncidentSteps}).
 */
@NullMarked
package dev.rollback.core.notify;

import org.jspecify.annotations.NullMarked;
