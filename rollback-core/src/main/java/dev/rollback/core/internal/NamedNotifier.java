package dev.rollback.core.internal;

import dev.rollback.core.notify.Notification;
import dev.rollback.core.notify.Notifier;

/** A notifier under another name, so a dispatcher can hold two of one kind (two Slack channels). */
public final class NamedNotifier implements Notifier {
  private final String name;
  private final Notifier delegate;

  /**
   * @param name the new name
   * @param delegate the notifier
   */
  public NamedNotifier(String name, Notifier delegate) {
    this.name = name;
    this.delegate = delegate;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void send(Notification notification) throws Exception {
    delegate.send(notification);
  }

  @Override
  public boolean accepts(Notification notification) {
    return delegate.accepts(notification);
  }

  @Override
  public String toString() {
    return name + "=" + delegate;
  }
}
