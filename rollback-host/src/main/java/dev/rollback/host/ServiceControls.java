package dev.rollback.host;

import dev.rollback.core.RollbackException;
import dev.rollback.core.service.ServiceControl;
import dev.rollback.host.internal.CommandServiceControl;
import dev.rollback.host.internal.SupervisedProcessServiceControl;
import dev.rollback.host.internal.SystemdServiceControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Ready-made {@link ServiceControl}s for traditional hosts. Every command runs without a shell, as
 * an argument list with a timeout; its output is captured, truncated and recorded in the run's
 * timeline.
 *
 * <pre>{@code
 * ServiceControl unit = ServiceControls.systemd("checkout.service");
 * ServiceControl custom = ServiceControls.commands(
 *     List.of("/opt/checkout/bin/restart"), List.of("/opt/checkout/bin/ready"));
 * ServiceControl local = ServiceControls.process(ProcessSpec.builder("java", "-jar", "app.jar")
 *     .readinessPort(8080).build());
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ServiceControls {
  /** The timeout of each command unless told otherwise. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(90);

  private static final Duration POLL = Duration.ofSeconds(1);

  private ServiceControls() {}

  /**
   * A systemd unit: {@code systemctl restart <unit>}, ready when {@code systemctl is-active <unit>}
   * exits 0.
   *
   * @param unit the unit, e.g. {@code checkout.service}
   * @return the control
   * @throws RollbackException when the unit name is blank, holds whitespace or starts with '-'
   */
  public static ServiceControl systemd(String unit) {
    return systemd(unit, DEFAULT_COMMAND_TIMEOUT);
  }

  /**
   * @param unit the unit, e.g. {@code checkout.service}
   * @param commandTimeout the timeout of each {@code systemctl} call; positive
   * @return the control
   * @throws RollbackException naming every bad argument
   */
  public static ServiceControl systemd(String unit, Duration commandTimeout) {
    List<String> problems = new ArrayList<>();
    if (unit == null || unit.isBlank() || unit.startsWith("-") || unit.chars().anyMatch(Character::isWhitespace)) {
      problems.add("unit must be a systemd unit name without whitespace that does not start with '-', but was '" + unit
          + "': e.g. checkout.service");
    }
    checkTimeout(commandTimeout, problems);
    if (!problems.isEmpty()) {
      throw RollbackException.invalid("invalid systemd service control", problems);
    }
    return new SystemdServiceControl(unit, commandTimeout, POLL);
  }

  /**
   * A service restarted by a command of your choice and ready when another exits 0.
   *
   * @param restart the restart command, one element per argument
   * @param ready the readiness command, polled until it exits 0; empty when a successful restart is
   *     enough
   * @return the control
   * @throws RollbackException when the restart command is empty or an argument is null
   */
  public static ServiceControl commands(List<String> restart, List<String> ready) {
    return commands(restart, ready, DEFAULT_COMMAND_TIMEOUT);
  }

  /**
   * @param restart the restart command
   * @param ready the readiness command; may be empty
   * @param commandTimeout the timeout of each command; positive
   * @return the control
   * @throws RollbackException naming every bad argument
   */
  public static ServiceControl commands(List<String> restart, List<String> ready, Duration commandTimeout) {
    List<String> problems = new ArrayList<>();
    if (restart == null || restart.isEmpty() || restart.stream().anyMatch(Objects::isNull) || restart.get(0).isBlank()) {
      problems.add("restart command must name a program and hold no null arguments, but was " + restart
          + ": e.g. List.of(\"/opt/app/bin/restart\")");
    }
    if (ready == null || ready.stream().anyMatch(Objects::isNull) || (!ready.isEmpty() && ready.get(0).isBlank())) {
      problems.add("ready command must be empty or name a program without null arguments, but was " + ready);
    }
    checkTimeout(commandTimeout, problems);
    if (!problems.isEmpty()) {
      throw RollbackException.invalid("invalid command service control", problems);
    }
    return new CommandServiceControl("command " + restart.get(0), restart, ready, commandTimeout, POLL);
  }

  /**
   * A local process supervised by the runner: restart stops it (SIGTERM, then SIGKILL after the
   * grace period) and starts it again; ready when its URL answers 2xx or its port accepts
   * connections (or, with neither, while it is alive).
   *
   * @param spec what to run
   * @return the control
   */
  public static ServiceControl process(ProcessSpec spec) {
    return new SupervisedProcessServiceControl(Objects.requireNonNull(spec, "spec"));
  }

  private static void checkTimeout(Duration timeout, List<String> problems) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      problems.add("commandTimeout must be positive, but was " + timeout + ": e.g. Duration.ofSeconds(90)");
    }
  }
}
