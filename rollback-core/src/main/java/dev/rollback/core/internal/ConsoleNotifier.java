package dev.rollback.core.internal;

import dev.rollback.core.notify.Notification;
import dev.rollback.core.notify.Notifier;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Objects;

/** Prints notifications to a stream, for demos and terminals. */
public final class ConsoleNotifier implements Notifier {
  private final PrintStream out;

  /** @param out where to print */
  public ConsoleNotifier(PrintStream out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  @Override
  public String name() {
    return "console";
  }

  @Override
  public void send(Notification notification) throws IOException {
    synchronized (out) {
      out.print(NotificationText.block(notification));
      out.flush();
      if (out.checkError()) {
        throw new IOException("the console stream reported an error");
      }
    }
  }

  @Override
  public String toString() {
    return "ConsoleNotifier";
  }
}
