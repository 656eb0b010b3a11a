package dev.rollback.core.internal;

import dev.rollback.core.notify.Notification;
import dev.rollback.core.notify.Notifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes notifications to SLF4J (logger {@code dev.rollback.notify}): WARN when opened, INFO otherwise. */
public final class LogNotifier implements Notifier {
  private static final Logger LOG = LoggerFactory.getLogger("dev.rollback.notify");

  @Override
  public String name() {
    return "log";
  }

  @Override
  public void send(Notification notification) {
    String text = NotificationText.block(notification).stripTrailing();
    if (notification.kind() == Notification.Kind.OPENED) {
      LOG.warn("{}", text);
    } else {
      LOG.info("{}", text);
    }
  }

  @Override
  public String toString() {
    return "LogNotifier[dev.rollback.notify]";
  }
}
