package dev.rollback.host.internal;

import dev.rollback.core.StepContext;
import dev.rollback.core.command.CommandLine;
import dev.rollback.core.command.CommandResult;
import dev.rollback.core.service.ServiceControl;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** A service restarted by one command and found ready when another exits 0. */
public final class CommandServiceControl implements ServiceControl {
  private final String name;
  private final List<String> restart;
  private final List<String> ready;
  private final Duration commandTimeout;
  private final Duration pollInterval;

  /**
   * @param name a name for people
   * @param restart the restart command
   * @param ready the readiness command (exit 0 means ready); empty to consider a restart enough
   * @param commandTimeout each command's timeout
   * @param pollInterval the time between readiness polls
   */
  public CommandServiceControl(String name, List<String> restart, List<String> ready, Duration commandTimeout, Duration pollInterval) {
    this.name = name;
    this.restart = List.copyOf(restart);
    this.ready = List.copyOf(ready);
    this.commandTimeout = commandTimeout;
    this.pollInterval = pollInterval;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void restart(StepContext ctx) throws Exception {
    CommandResult r = RecordedCommands.run(restart, commandTimeout, "restart " + name, ctx);
    if (!r.succeeded()) {
      throw new IllegalStateException("could not restart " + name + ": " + r.summary());
    }
  }

  @Override
  public boolean awaitReady(Duration timeout, StepContext ctx) throws Exception {
    if (ready.isEmpty()) {
      return true;
    }
    AtomicReference<CommandResult> last = new AtomicReference<>();
    AtomicReference<Exception> failure = new AtomicReference<>();
    boolean ok = ctx.await(name + " ready", () -> {
      try {
        CommandResult r = CommandLine.of(ready).timeout(commandTimeout).run();
        last.set(r);
        return r.succeeded();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (Exception e) {
        failure.set(e);
        return false;
      }
    }, timeout, pollInterval);
    CommandResult r = last.get();
    if (r != null) {
      ctx.record((ok ? name + " is ready: " : name + " not ready within " + timeout + ": ") + r.summary(), RecordedCommands.facts(r));
    } else if (failure.get() != null) {
      throw failure.get();
    }
    return ok;
  }

  @Override
  public String toString() {
    return name;
  }
}
