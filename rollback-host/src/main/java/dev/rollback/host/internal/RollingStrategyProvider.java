package dev.rollback.host.internal;

import dev.rollback.core.RollbackException;
import dev.rollback.core.strategy.RollbackStrategy;
import dev.rollback.core.strategy.RollbackStrategyProvider;
import dev.rollback.host.RollingStrategy;
import dev.rollback.host.SshClientConfig;
import dev.rollback.host.SshCommand;
import dev.rollback.host.SshHost;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code rolling} strategy from runbook settings:
 *
 * <ul>
 *   <li>{@code hosts}: comma-separated {@code user@host:port} (port optional, default 22)
 *   <li>{@code root}: the release root on every host (absolute path)
 *   <li>{@code identityFile}, {@code knownHosts}: the client key file and the known-hosts file
 *   <li>optional {@code batch} ({@code 2} or {@code 50%}), {@code failureThreshold}, {@code
 *       restart} and {@code healthCommand} (space-separated arguments, each quoted on the host),
 *       {@code healthTimeout}, {@code commandTimeout} (ISO-8601 durations, e.g. {@code PT30S})
 * </ul>
 */
public final class RollingStrategyProvider implements RollbackStrategyProvider {
  private static final Set<String> KNOWN = Set.of("hosts", "root", "identityFile", "knownHosts", "batch", "failureThreshold", "restart",
      "healthCommand", "healthTimeout", "commandTimeout");

  @Override
  public String name() {
    return RollingStrategy.NAME;
  }

  @Override
  public RollbackStrategy create(Map<String, String> settings) {
    List<String> problems = new ArrayList<>();
    for (String k : settings.keySet()) {
      if (!KNOWN.contains(k)) {
        problems.add("unknown setting '" + k + "': known are " + new java.util.TreeSet<>(KNOWN));
      }
    }
    String root = settings.get("root");
    if (root == null) {
      problems.add("setting 'root' is missing: the release root on every host, e.g. /srv/app");
    }
    List<SshHost> hosts = new ArrayList<>();
    String hostList = settings.get("hosts");
    if (hostList == null || hostList.isBlank()) {
      problems.add("setting 'hosts' is missing: comma-separated user@host:port, e.g. deploy@web1:22,deploy@web2:22");
    } else if (root != null) {
      for (String spec : hostList.split(",")) {
        try {
          hosts.add(parseHost(spec.strip(), root));
        } catch (RollbackException | IllegalArgumentException e) {
          problems.add("hosts: " + e.getMessage());
        }
      }
    }
    SshClientConfig.Builder ssh = SshClientConfig.builder();
    if (settings.get("identityFile") == null) {
      problems.add("setting 'identityFile' is missing: the client's private key file");
    } else {
      ssh.identityFile(Path.of(settings.get("identityFile")));
    }
    if (settings.get("knownHosts") == null) {
      problems.add("setting 'knownHosts' is missing: the known_hosts file listing every host's key");
    } else {
      ssh.knownHosts(Path.of(settings.get("knownHosts")));
    }
    Duration commandTimeout = duration(settings, "commandTimeout", problems);
    if (commandTimeout != null) {
      ssh.commandTimeout(commandTimeout);
    }
    RollingStrategy.Builder b = RollingStrategy.builder().hosts(hosts);
    String batch = settings.get("batch");
    if (batch != null) {
      try {
        if (batch.endsWith("%")) {
          b.batchPercent(Integer.parseInt(batch.substring(0, batch.length() - 1).strip()));
        } else {
          b.batchSize(Integer.parseInt(batch.strip()));
        }
      } catch (NumberFormatException e) {
        problems.add("setting 'batch' must be a count (2) or a percentage (50%), but was '" + batch + "'");
      }
    }
    String threshold = settings.get("failureThreshold");
    if (threshold != null) {
      try {
        b.failureThreshold(Integer.parseInt(threshold.strip()));
      } catch (NumberFormatException e) {
        problems.add("setting 'failureThreshold' must be a number, but was '" + threshold + "'");
      }
    }
    if (settings.get("restart") != null) {
      b.restart(settings.get("restart").strip().split("\\s+"));
    }
    if (settings.get("healthCommand") != null) {
      String[] args = settings.get("healthCommand").strip().split("\\s+");
      try {
        SshCommand cmd = SshCommand.of(args);
        b.healthCommand(h -> cmd);
      } catch (RollbackException e) {
        problems.add("healthCommand: " + e.getMessage());
      }
    }
    Duration healthTimeout = duration(settings, "healthTimeout", problems);
    if (healthTimeout != null) {
      b.healthTimeout(healthTimeout, Duration.ofSeconds(2));
    }
    SshClientConfig config = null;
    try {
      config = ssh.build();
    } catch (RollbackException e) {
      problems.addAll(e.problems().size() > 1 ? e.problems() : List.of(e.getMessage()));
    }
    if (config != null) {
      b.ssh(config);
    }
    RollingStrategy strategy = null;
    try {
      strategy = b.build();
    } catch (RollbackException e) {
      if (problems.isEmpty()) {
        throw e;
      }
      problems.addAll(e.problems());
    }
    if (!problems.isEmpty()) {
      throw RollbackException.invalid("invalid settings of strategy 'rolling'", problems.stream().distinct().toList());
    }
    return strategy;
  }

  private static SshHost parseHost(String spec, String root) {
    int at = spec.indexOf('@');
    if (at <= 0) {
      throw new IllegalArgumentException("'" + spec + "' must be user@host[:port]");
    }
    String user = spec.substring(0, at);
    String rest = spec.substring(at + 1);
    int port = 22;
    int colon = rest.lastIndexOf(':');
    if (colon > 0 && rest.indexOf(':') == colon) {
      try {
        port = Integer.parseInt(rest.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("port of '" + spec + "' must be a number");
      }
      rest = rest.substring(0, colon);
    }
    return new SshHost(rest, port, user, root);
  }

  private static Duration duration(Map<String, String> settings, String key, List<String> problems) {
    String v = settings.get(key);
    if (v == null) {
      return null;
    }
    try {
      return Duration.parse(v);
    } catch (DateTimeParseException e) {
      problems.add("setting '" + key + "' must be an ISO-8601 duration such as PT30S, but was '" + v + "'");
      return null;
    }
  }

  @Override
  public String toString() {
    return "RollingStrategyProvider" + Arrays.asList(name());
  }
}
