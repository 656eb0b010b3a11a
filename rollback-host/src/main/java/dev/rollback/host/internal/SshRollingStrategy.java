package dev.rollback.host.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.StepContext;
import dev.rollback.core.command.CommandResult;
import dev.rollback.core.strategy.Convergence;
import dev.rollback.core.strategy.PlatformState;
import dev.rollback.core.strategy.Revision;
import dev.rollback.core.strategy.RollbackRequest;
import dev.rollback.host.RollingHook;
import dev.rollback.host.RollingHostRow;
import dev.rollback.host.RollingResult;
import dev.rollback.host.RollingStatus;
import dev.rollback.host.RollingStrategy;
import dev.rollback.host.SshClientConfig;
import dev.rollback.host.SshCommand;
import dev.rollback.host.SshCommandRunner;
import dev.rollback.host.SshHost;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** {@link RollingStrategy} over SSH; see its Javadoc for the order of work and the failure rules. */
public final class SshRollingStrategy implements RollingStrategy {

  /**
   * Everything the builder collected, checked.
   *
   * @param hosts hosts in order
   * @param ssh the client config, when the strategy owns its client
   * @param runner a runner given by the caller
   * @param batchSize hosts per batch
   * @param failureThreshold failed hosts that stop the run
   * @param drain drain hook
   * @param undrain undrain hook
   * @param restart restart command per host, or null
   * @param restartTimeout restart bound
   * @param health health per host, or null when healthCommand is set
   * @param healthCommand remote health command per host, or null
   * @param healthTimeout health bound on the run's clock
   * @param healthInterval between health attempts
   * @param convergenceTimeout convergence bound
   */
  public record Settings(
      List<SshHost> hosts,
      @Nullable SshClientConfig ssh,
      @Nullable SshCommandRunner runner,
      int batchSize,
      int failureThreshold,
      RollingHook drain,
      RollingHook undrain,
      @Nullable Function<SshHost, SshCommand> restart,
      Duration restartTimeout,
      @Nullable HostHealth health,
      @Nullable Function<SshHost, SshCommand> healthCommand,
      Duration healthTimeout,
      Duration healthInterval,
      Duration convergenceTimeout) {}

  private final Settings s;
  private final Object lock = new Object();
  private @Nullable SshCommandRunner ownRunner;
  private int depth;
  private volatile @Nullable RollingResult last;

  /** @param settings the checked settings */
  public SshRollingStrategy(Settings settings) {
    this.s = settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<SshHost> hosts() {
    return s.hosts();
  }

  @Override
  public Optional<RollingResult> lastResult() {
    return Optional.ofNullable(last);
  }

  @Override
  public Duration convergenceTimeout() {
    return s.convergenceTimeout();
  }

  private SshCommandRunner ssh() {
    if (s.runner() != null) {
      return s.runner();
    }
    synchronized (lock) {
      if (ownRunner == null) {
        throw new IllegalStateException("no SSH client open: call through withSsh");
      }
      return ownRunner;
    }
  }

  /** Runs {@code body} with an SSH client: the caller's, or one of ours opened for the call and closed after it. */
  private <T> T withSsh(java.util.concurrent.Callable<T> body) throws Exception {
    if (s.runner() != null) {
      return body.call();
    }
    synchronized (lock) {
      if (depth++ == 0) {
        try {
          ownRunner = SshCommandRunner.create(java.util.Objects.requireNonNull(s.ssh()));
        } catch (RuntimeException e) {
          depth--;
          throw e;
        }
      }
    }
    try {
      return body.call();
    } finally {
      synchronized (lock) {
        if (--depth == 0 && ownRunner != null) {
          ownRunner.close();
          ownRunner = null;
        }
      }
    }
  }

  @Override
  public Map<String, String> hostVersions() throws Exception {
    return withSsh(this::readVersions);
  }

  private Map<String, String> readVersions() throws Exception {
    Map<String, String> versions = new LinkedHashMap<>();
    for (SshHost h : s.hosts()) {
      versions.put(h.address(), readCurrent(h));
    }
    return versions;
  }

  @Override
  public PlatformState inspect() throws Exception {
    return withSsh(this::readState);
  }

  private PlatformState readState() throws Exception {
    Map<String, String> versions = readVersions();
    Set<String> distinct = new LinkedHashSet<>(versions.values());
    String current;
    if (distinct.size() == 1) {
      current = distinct.iterator().next();
    } else {
      StringBuilder sb = new StringBuilder("mixed(");
      versions.forEach((h, v) -> sb.append(sb.length() > 6 ? ", " : "").append(h).append('=').append(v));
      current = sb.append(')').toString();
    }
    SshHost first = s.hosts().get(0);
    CommandResult ls = ssh().run(first, SshCommand.of("ls", "-1t", root(first) + "/releases"));
    List<Revision> history = new ArrayList<>();
    if (ls.succeeded()) {
      for (String line : ls.output().split("\n")) {
        String v = line.strip();
        if (!v.isEmpty() && RemoteNames.versionProblem(v) == null && !v.equals(current)) {
          history.add(new Revision(v, v, null, Map.of("host", first.address())));
        }
      }
    }
    return new PlatformState(current, history);
  }

  @Override
  public void rollback(RollbackRequest request, StepContext ctx) throws Exception {
    String version = request.toVersion();
    String problem = RemoteNames.versionProblem(version);
    if (problem != null) {
      // Before any hook or connection: the name would end up in a path on every host.
      throw new RollbackException(ErrorCode.VERSION_REJECTED, "rolling refuses the target: " + problem);
    }
    withSsh(() -> {
      roll(version, ctx);
      return null;
    });
  }

  private void roll(String version, StepContext ctx) throws Exception {
    List<SshHost> hosts = s.hosts();
    if (everyHostAlreadyRuns(version, ctx)) {
      last = new RollingResult(version, List.of());
      return;
    }
    Map<SshHost, RollingHostRow> rows = new LinkedHashMap<>();
    int batches = (hosts.size() + s.batchSize() - 1) / s.batchSize();
    int failed = 0;
    int done = 0;
    boolean stopped = false;
    String stopReason = "";
    for (int b = 0; b < batches; b++) {
      int batch = b + 1;
      List<SshHost> members = hosts.subList(b * s.batchSize(), Math.min(hosts.size(), (b + 1) * s.batchSize()));
      if (stopped) {
        for (SshHost h : members) {
          rows.put(h, new RollingHostRow(h.address(), batch, RollingStatus.UNTOUCHED, "", version, stopReason));
        }
        continue;
      }
      ctx.throwIfCancelled();
      ctx.progress("batch " + batch + "/" + batches + ": " + members.stream().map(SshHost::address).toList(), (double) done / hosts.size());
      for (RollingHostRow row : runBatch(members, batch, version, ctx)) {
        SshHost h = members.stream().filter(m -> m.address().equals(row.host())).findFirst().orElseThrow();
        rows.put(h, row);
        if (row.status() == RollingStatus.FAILED) {
          failed++;
        }
        done++;
      }
      if (failed >= s.failureThreshold()) {
        stopped = true;
        stopReason = "not started: the run stopped after " + failed + " failed host" + (failed == 1 ? "" : "s")
            + " (threshold " + s.failureThreshold() + ")";
      }
    }
    RollingResult result = new RollingResult(version, new ArrayList<>(rows.values()));
    last = result;
    int switched = result.withStatus(RollingStatus.SWITCHED).size();
    int untouched = result.withStatus(RollingStatus.UNTOUCHED).size();
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("kind", "rolling");
    facts.put("version", version);
    facts.put("switched", String.valueOf(switched));
    facts.put("failed", String.valueOf(failed));
    facts.put("untouched", String.valueOf(untouched));
    facts.put("table", result.toJson());
    ctx.record("rolling to " + version + ": " + switched + " switched, " + failed + " failed, " + untouched + " untouched", facts);
    ctx.progress("rolling to " + version + ": " + switched + "/" + hosts.size() + " switched", 1.0);
    if (failed > 0) {
      StringBuilder msg = new StringBuilder("rolling to " + version + " ");
      msg.append(stopped ? "stopped: " : "finished with failures: ")
          .append(failed).append(" failed, ").append(switched).append(" switched, ").append(untouched).append(" untouched");
      for (RollingHostRow r : result.withStatus(RollingStatus.FAILED)) {
        msg.append("; ").append(r.host()).append(": ").append(r.reason());
      }
      msg.append(". Failed hosts are left drained and as they are (no automatic swap back).\n").append(result.table());
      throw new RollbackException(ErrorCode.VALIDATION_FAILED, msg.toString());
    }
  }

  /**
   * Looks at every host before any hook runs (read-only: {@code ls}, {@code readlink}). Refuses a
   * target that is not a release folder on some host, naming the releases each such host has, so
   * that no host is drained (and left drained) for a release it cannot run. Returns true when every
   * host already runs the target, after recording so: there is nothing to drain, switch or restart.
   */
  private boolean everyHostAlreadyRuns(String version, StepContext ctx) throws Exception {
    List<String> missing = new ArrayList<>();
    boolean allOnTarget = true;
    for (SshHost h : s.hosts()) {
      List<String> releases = releaseFolders(h);
      if (!releases.contains(version)) {
        missing.add(h.address() + " has " + releases);
      }
      allOnTarget &= version.equals(currentOrNull(h));
    }
    if (!missing.isEmpty()) {
      throw new RollbackException(ErrorCode.VERSION_REJECTED, "rolling refuses the target: release '" + version + "' does not exist on "
          + missing.size() + " of " + s.hosts().size() + " hosts (no folder releases/" + version + "): " + String.join("; ", missing)
          + ". Nothing was changed: no host was drained, switched or restarted");
    }
    if (allOnTarget) {
      ctx.record("every host already runs " + version + ": nothing to roll back, no host was drained, switched or restarted",
          Map.of("version", version, "hosts", String.valueOf(s.hosts().size())));
    }
    return allOnTarget;
  }

  /** The release folders under {@code <root>/releases} of a host, newest first; empty when it cannot be listed. */
  private List<String> releaseFolders(SshHost h) throws IOException, InterruptedException {
    CommandResult ls = ssh().run(h, SshCommand.of("ls", "-1tp", root(h) + "/releases"));
    List<String> folders = new ArrayList<>();
    if (ls.succeeded()) {
      for (String line : ls.output().split("\n")) {
        String v = line.strip();
        if (v.endsWith("/") && RemoteNames.versionProblem(v.substring(0, v.length() - 1)) == null) {
          folders.add(v.substring(0, v.length() - 1));
        }
      }
    }
    return folders;
  }

  private @Nullable String currentOrNull(SshHost h) throws InterruptedException {
    try {
      return readCurrent(h);
    } catch (IOException e) {
      return null;
    }
  }

  /** One host's progress through the batch; reason set once it failed. */
  private static final class HostRun {
    final SshHost host;
    String from = "";
    @Nullable String failure;

    HostRun(SshHost host) {
      this.host = host;
    }
  }

  private List<RollingHostRow> runBatch(List<SshHost> members, int batch, String version, StepContext ctx) throws InterruptedException {
    List<HostRun> runs = members.stream().map(HostRun::new).toList();
    // 1. drain every host of the batch
    for (HostRun r : runs) {
      try {
        s.drain().run(r.host);
      } catch (Exception e) {
        rethrowInterrupt(e);
        r.failure = "drain failed: " + message(e);
      }
    }
    // 2. switch
    for (HostRun r : live(runs)) {
      try {
        r.from = readCurrent(r.host);
        switchTo(r.host, version);
      } catch (Exception e) {
        rethrowInterrupt(e);
        r.failure = "switch failed: " + message(e);
      }
    }
    // 3. restart
    if (s.restart() != null) {
      for (HostRun r : live(runs)) {
        try {
          SshCommand cmd = s.restart().apply(r.host);
          CommandResult res = ssh().run(r.host, cmd, s.restartTimeout());
          if (!res.succeeded()) {
            r.failure = "restart failed: " + summary(res);
          }
        } catch (Exception e) {
          rethrowInterrupt(e);
          r.failure = "restart failed: " + message(e);
        }
      }
    }
    // 4. health, each host bounded by the health timeout on the run's clock
    for (HostRun r : live(runs)) {
      String[] lastProblem = {"no answer"};
      boolean healthy = ctx.await("health of " + r.host.address(), () -> {
        try {
          String p = healthProblem(r.host);
          if (p != null) {
            lastProblem[0] = p;
          }
          return p == null;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          lastProblem[0] = "interrupted";
          return false;
        } catch (Exception e) {
          lastProblem[0] = message(e);
          return false;
        }
      }, s.healthTimeout(), s.healthInterval());
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("interrupted while checking the health of " + r.host.address());
      }
      if (!healthy) {
        r.failure = "unhealthy after " + s.healthTimeout() + ": " + lastProblem[0];
      }
    }
    // 5. undrain the healthy ones; failed hosts stay drained
    for (HostRun r : live(runs)) {
      try {
        s.undrain().run(r.host);
      } catch (Exception e) {
        rethrowInterrupt(e);
        r.failure = "undrain failed: " + message(e);
      }
    }
    List<RollingHostRow> rows = new ArrayList<>();
    for (HostRun r : runs) {
      rows.add(r.failure == null
          ? new RollingHostRow(r.host.address(), batch, RollingStatus.SWITCHED, r.from, version, "switched, restarted, healthy")
          : new RollingHostRow(r.host.address(), batch, RollingStatus.FAILED, r.from, version, r.failure));
    }
    return rows;
  }

  private @Nullable String healthProblem(SshHost h) throws Exception {
    if (s.health() != null) {
      return s.health().problem(h);
    }
    SshCommand cmd = java.util.Objects.requireNonNull(s.healthCommand()).apply(h);
    CommandResult res = ssh().run(h, cmd);
    return res.succeeded() ? null : summary(res);
  }

  private static List<HostRun> live(List<HostRun> runs) {
    return runs.stream().filter(r -> r.failure == null).toList();
  }

  private static void rethrowInterrupt(Exception e) throws InterruptedException {
    if (e instanceof InterruptedException ie) {
      throw ie;
    }
  }

  private static String message(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  private static String summary(CommandResult r) {
    String out = r.output().strip();
    if (out.length() > 300) {
      out = out.substring(0, 300) + "…";
    }
    String how = r.timedOut() ? "timed out after " + r.took() : "exit " + r.exitCode();
    return how + (out.isEmpty() ? "" : ": " + out.replace('\n', ' '));
  }

  private static String root(SshHost h) {
    return RemoteNames.normalize(h.releaseRoot());
  }

  private String readCurrent(SshHost h) throws IOException, InterruptedException {
    CommandResult r = ssh().run(h, SshCommand.of("readlink", root(h) + "/current"));
    if (!r.succeeded()) {
      throw new IOException("cannot read " + root(h) + "/current on " + h.address() + " (is it a symlink?): " + summary(r));
    }
    String target = r.output().strip();
    int slash = target.lastIndexOf('/');
    return slash >= 0 ? target.substring(slash + 1) : target;
  }

  private void switchTo(SshHost h, String version) throws IOException, InterruptedException {
    String root = root(h);
    String folder = root + "/releases/" + version;
    CommandResult exists = ssh().run(h, SshCommand.of("test", "-d", folder));
    if (!exists.succeeded()) {
      throw new IOException("release folder " + folder + " does not exist on " + h.address() + ": nothing was changed on this host");
    }
    SshCommand swap = SshCommand.of("ln", "-sfn", "releases/" + version, root + "/current.tmp")
        .and(SshCommand.of("mv", "-T", root + "/current.tmp", root + "/current"));
    CommandResult r = ssh().run(h, swap);
    if (!r.succeeded()) {
      throw new IOException("swapping " + root + "/current to releases/" + version + " failed: " + summary(r));
    }
  }

  @Override
  public Convergence awaitConvergence(Duration timeout, StepContext ctx) throws Exception {
    return withSsh(() -> converge(timeout, ctx));
  }

  private Convergence converge(Duration timeout, StepContext ctx) throws Exception {
    RollingResult result = last;
    String target = result != null ? result.version() : ctx.toVersion();
    java.util.concurrent.atomic.AtomicReference<Map<String, String>> seen = new java.util.concurrent.atomic.AtomicReference<>(Map.of());
    String[] error = {""};
    boolean ok = ctx.await("every host on " + target, () -> {
      try {
        Map<String, String> now = readVersions();
        seen.set(now);
        return now.values().stream().allMatch(target::equals);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (Exception e) {
        error[0] = message(e);
        return false;
      }
    }, timeout, s.healthInterval());
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("hosts", String.valueOf(s.hosts().size()));
    if (result != null) {
      facts.put("rolling.table", result.toJson());
    }
    long on = seen.get().values().stream().filter(target::equals).count();
    String msg = on + "/" + s.hosts().size() + " hosts on " + target + (ok ? "" : ": " + seen.get() + (error[0].isEmpty() ? "" : " (" + error[0] + ")"));
    return new Convergence(ok, msg, facts);
  }

  @Override
  public String toString() {
    return "RollingStrategy" + s.hosts().stream().map(SshHost::address).toList() + ", batch " + s.batchSize();
  }
}
