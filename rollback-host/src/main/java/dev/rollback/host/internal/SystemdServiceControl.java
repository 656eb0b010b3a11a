package dev.rollback.host.internal;

import dev.rollback.core.StepContext;
import dev.rollback.core.command.CommandResult;
import dev.rollback.core.service.ServiceControl;
import java.time.Duration;
import java.util.List;

/** A systemd unit: {@code systemctl restart <unit>}, then {@code systemctl is-active <unit>} until active. */
public final class SystemdServiceControl implements ServiceControl {
  private final String unit;
  private final Duration commandTimeout;
  private final CommandServiceControl commands;

  /**
   * @param unit the unit, e.g. {@code checkout.service} (checked by the factory)
   * @param commandTimeout the timeout of each systemctl call
   * @param pollInterval the time between readiness polls
   */
  public SystemdServiceControl(String unit, Duration commandTimeout, Duration pollInterval) {
    this.unit = unit;
    this.commandTimeout = commandTimeout;
    this.commands = new CommandServiceControl("systemd " + unit, List.of("systemctl", "restart", unit), List.of("systemctl", "is-active", unit),
        commandTimeout, pollInterval);
  }

  @Override
  public String name() {
    return "systemd " + unit;
  }

  @Override
  public void restart(StepContext ctx) throws Exception {
    commands.restart(ctx);
  }

  @Override
  public boolean awaitReady(Duration timeout, StepContext ctx) throws Exception {
    return commands.awaitReady(timeout, ctx);
  }

  @Override
  public void stop(StepContext ctx) throws Exception {
    CommandResult r = RecordedCommands.run(List.of("systemctl", "stop", unit), commandTimeout, "stop " + unit, ctx);
    if (!r.succeeded()) {
      throw new IllegalStateException("could not stop " + unit + ": " + r.summary());
    }
  }

  @Override
  public String toString() {
    return name();
  }
}
