package dev.rollback.host;

import dev.rollback.core.RollbackException;
import dev.rollback.core.health.HealthCheck;
import dev.rollback.core.strategy.RollbackStrategy;
import dev.rollback.host.internal.SshRollingStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Rolls a release back over a list of hosts by SSH, batch by batch (strategy name {@code rolling}).
 *
 * <p>For each batch, every host of the batch goes through: drain hook → switch its {@code current}
 * symlink to {@code releases/<version>} → restart command → health check (retried until the
 * health timeout, through the run's clock) → undrain hook. The switch is atomic on the host:
 * {@code ln -sfn releases/<v> <root>/current.tmp && mv -T <root>/current.tmp <root>/current}, after
 * checking that {@code <root>/releases/<v>} is a folder.
 *
 * <p>Before any hook runs, it lists {@code <root>/releases} and reads {@code current} on every host
 * (read-only). A target that is not a release folder on some host is refused, naming the releases
 * each such host has, and no host is drained or touched. When every host already runs the target,
 * it records so in the timeline and does nothing: no drain, switch or restart.
 *
 * <p>When a host fails, the hosts already in flight in the same batch finish their own steps, then
 * the run stops once the number of failed hosts reaches the failure threshold (default 1): later
 * batches are UNTOUCHED (no connection is even made). A failed host is left as the failure left
 * it — its symlink is not swapped back automatically, and it is <b>not undrained</b>, so a host
 * that failed its health check takes no traffic until an operator looks at it. The step then fails
 * with the status table in its message and in the timeline.
 *
 * <p>Every value on a remote command line is validated first (the version must be a plain folder
 * name, release roots plain absolute paths) and single-quoted (see {@link SshCommand}); a hostile
 * version is refused before any hook runs or any connection is made.
 *
 * <pre>{@code
 * RollingStrategy rolling = RollingStrategy.builder()
 *     .hosts(List.of(new SshHost("web1", 22, "deploy", "/srv/app"), new SshHost("web2", 22, "deploy", "/srv/app")))
 *     .ssh(SshClientConfig.builder().identityFile(key).knownHosts(knownHosts).build())
 *     .batchPercent(50)
 *     .drain(host -> lb.drain(host.host()))
 *     .undrain(host -> lb.undrain(host.host()))
 *     .restart("sudo", "systemctl", "restart", "app.service")
 *     .healthCheck(host -> HealthCheck.http(URI.create("http://" + host.host() + ":8080/health")))
 *     .build();
 * RollbackPlan plan = RollbackPlan.builder("app").currentVersion("v1.3.0").target("v1.2.9").strategy(rolling).build();
 * }</pre>
 *
 * @since 0.1.0
 */
public interface RollingStrategy extends RollbackStrategy {

  /** The name runbooks use. */
  String NAME = "rolling";

  /** @return a builder */
  static Builder builder() {
    return new Builder();
  }

  /** @return the hosts, in rolling order */
  List<SshHost> hosts();

  /**
   * Reads {@code current} on every host ({@code readlink}).
   *
   * @return the version per host ({@code user@host:port} to version), in host order
   * @throws Exception when a host cannot be read
   */
  Map<String, String> hostVersions() throws Exception;

  /** @return the status table of the last {@link #rollback} call on this instance, if any */
  Optional<RollingResult> lastResult();

  /**
   * Checks the health of one host.
   *
   * @since 0.1.0
   */
  @FunctionalInterface
  interface HostHealth {
    /**
     * @param host the host
     * @return null when healthy, else why not
     * @throws Exception when the check could not run (counts as unhealthy)
     */
    @Nullable String problem(SshHost host) throws Exception;
  }

  /** Builds a {@link RollingStrategy}; {@link #build()} reports every problem at once. */
  final class Builder {
    private final List<String> problems = new ArrayList<>();
    private final List<SshHost> hosts = new ArrayList<>();
    private @Nullable SshClientConfig ssh;
    private @Nullable SshCommandRunner runner;
    private int batchCount = 1;
    private int batchPercent;
    private int failureThreshold = 1;
    private RollingHook drain = RollingHook.NONE;
    private RollingHook undrain = RollingHook.NONE;
    private @Nullable Function<SshHost, SshCommand> restart;
    private @Nullable Function<SshHost, HealthCheck> healthCheck;
    private @Nullable Function<SshHost, SshCommand> healthCommand;
    private Duration healthTimeout = Duration.ofMinutes(1);
    private Duration healthInterval = Duration.ofSeconds(2);
    private Duration restartTimeout = Duration.ofMinutes(2);
    private Duration convergenceTimeout = Duration.ofMinutes(1);

    private Builder() {}

    /**
     * @param host a host, added after those given before
     * @return this builder
     */
    public Builder host(SshHost host) {
      if (host == null) {
        problems.add("host must not be null");
      } else {
        hosts.add(host);
      }
      return this;
    }

    /**
     * @param hosts hosts, in rolling order, added after those given before
     * @return this builder
     */
    public Builder hosts(List<SshHost> hosts) {
      if (hosts == null) {
        problems.add("hosts must not be null");
      } else {
        hosts.forEach(this::host);
      }
      return this;
    }

    /**
     * @param config how to reach the hosts; the strategy creates (and owns) its SSH client
     * @return this builder
     */
    public Builder ssh(SshClientConfig config) {
      if (config == null) {
        problems.add("ssh config must not be null: build one with SshClientConfig.builder()");
      }
      this.ssh = config;
      return this;
    }

    /**
     * @param runner a runner of your own (shared, or decorated in tests); the caller closes it
     * @return this builder
     */
    public Builder commandRunner(SshCommandRunner runner) {
      if (runner == null) {
        problems.add("commandRunner must not be null");
      }
      this.runner = runner;
      return this;
    }

    /**
     * @param hosts how many hosts per batch; at least 1; default 1
     * @return this builder
     */
    public Builder batchSize(int hosts) {
      if (hosts < 1) {
        problems.add("batchSize must be at least 1, but was " + hosts);
      } else {
        this.batchCount = hosts;
        this.batchPercent = 0;
      }
      return this;
    }

    /**
     * @param percent the share of the hosts per batch, 1 to 100, rounded up to at least one host
     * @return this builder
     */
    public Builder batchPercent(int percent) {
      if (percent < 1 || percent > 100) {
        problems.add("batchPercent must be between 1 and 100, but was " + percent);
      } else {
        this.batchPercent = percent;
      }
      return this;
    }

    /**
     * @param failedHosts how many failed hosts stop the run; at least 1; default 1 (stop on the
     *     first failure)
     * @return this builder
     */
    public Builder failureThreshold(int failedHosts) {
      if (failedHosts < 1) {
        problems.add("failureThreshold must be at least 1, but was " + failedHosts);
      } else {
        this.failureThreshold = failedHosts;
      }
      return this;
    }

    /**
     * @param hook run first for each host (take it out of the load balancer)
     * @return this builder
     */
    public Builder drain(RollingHook hook) {
      if (hook == null) {
        problems.add("drain hook must not be null: leave it out for none");
      } else {
        this.drain = hook;
      }
      return this;
    }

    /**
     * @param hook run last for each healthy host (put it back)
     * @return this builder
     */
    public Builder undrain(RollingHook hook) {
      if (hook == null) {
        problems.add("undrain hook must not be null: leave it out for none");
      } else {
        this.undrain = hook;
      }
      return this;
    }

    /**
     * @param args the restart command run on each host after its switch, e.g. {@code sudo systemctl
     *     restart app}; each argument is quoted
     * @return this builder
     */
    public Builder restart(String... args) {
      try {
        SshCommand cmd = SshCommand.of(args);
        this.restart = h -> cmd;
      } catch (RollbackException e) {
        problems.add("restart: " + e.getMessage());
      }
      return this;
    }

    /**
     * @param command the restart command per host (it may name the host's release root)
     * @return this builder
     */
    public Builder restart(Function<SshHost, SshCommand> command) {
      if (command == null) {
        problems.add("restart command must not be null");
      }
      this.restart = command;
      return this;
    }

    /**
     * @param timeout the longest the restart command may run; positive; default 2 min
     * @return this builder
     */
    public Builder restartTimeout(Duration timeout) {
      if (!positive(timeout)) {
        problems.add("restartTimeout must be positive, but was " + timeout);
      } else {
        this.restartTimeout = timeout;
      }
      return this;
    }

    /**
     * @param check the health check of each host, e.g. its {@code /health} URL; healthy when it
     *     reports healthy
     * @return this builder
     */
    public Builder healthCheck(Function<SshHost, HealthCheck> check) {
      if (check == null) {
        problems.add("healthCheck must not be null");
      }
      this.healthCheck = check;
      return this;
    }

    /**
     * @param command a remote command per host; healthy when it exits 0
     * @return this builder
     */
    public Builder healthCommand(Function<SshHost, SshCommand> command) {
      if (command == null) {
        problems.add("healthCommand must not be null");
      }
      this.healthCommand = command;
      return this;
    }

    /**
     * @param timeout how long a host may take to become healthy (on the run's clock); default 1 min
     * @param interval the time between attempts; default 2 s
     * @return this builder
     */
    public Builder healthTimeout(Duration timeout, Duration interval) {
      if (!positive(timeout)) {
        problems.add("healthTimeout must be positive, but was " + timeout);
      } else {
        this.healthTimeout = timeout;
      }
      if (!positive(interval)) {
        problems.add("health interval must be positive, but was " + interval);
      } else {
        this.healthInterval = interval;
      }
      return this;
    }

    /**
     * @param timeout how long {@code awaitConvergence} reads the hosts' versions; default 1 min
     * @return this builder
     */
    public Builder convergenceTimeout(Duration timeout) {
      if (!positive(timeout)) {
        problems.add("convergenceTimeout must be positive, but was " + timeout);
      } else {
        this.convergenceTimeout = timeout;
      }
      return this;
    }

    /**
     * @return the strategy
     * @throws RollbackException listing every problem (no hosts, duplicates, no SSH, both health
     *     checks, bad sizes)
     */
    public RollingStrategy build() {
      List<String> all = new ArrayList<>(problems);
      if (hosts.isEmpty() && all.stream().noneMatch(p -> p.startsWith("host"))) {
        all.add("no hosts: add at least one with host(new SshHost(...))");
      }
      Set<String> seen = new HashSet<>();
      for (SshHost h : hosts) {
        if (!seen.add(h.address())) {
          all.add("host " + h.address() + " is listed twice");
        }
      }
      if (ssh == null && runner == null && all.stream().noneMatch(p -> p.startsWith("ssh") || p.startsWith("commandRunner"))) {
        all.add("no SSH client: call ssh(SshClientConfig) or commandRunner(runner)");
      }
      if (ssh != null && runner != null) {
        all.add("give ssh(config) or commandRunner(runner), not both");
      }
      if (healthCheck != null && healthCommand != null) {
        all.add("give healthCheck(...) or healthCommand(...), not both");
      }
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid rolling strategy", all);
      }
      int size = batchPercent > 0 ? Math.max(1, (int) Math.ceil(hosts.size() * batchPercent / 100.0)) : batchCount;
      HostHealth health;
      if (healthCheck != null) {
        Function<SshHost, HealthCheck> checks = healthCheck;
        health = h -> {
          var o = checks.apply(h).check();
          return o.healthy() ? null : o.check() + ": " + o.reason();
        };
      } else if (healthCommand != null) {
        health = null;
      } else {
        health = h -> null;
      }
      return new SshRollingStrategy(new SshRollingStrategy.Settings(List.copyOf(hosts), ssh, runner, size, failureThreshold, drain,
          undrain, restart, restartTimeout, health, healthCommand, healthTimeout, healthInterval, convergenceTimeout));
    }

    private static boolean positive(@Nullable Duration d) {
      return d != null && !d.isNegative() && !d.isZero();
    }
  }
}
