package dev.rollback.host;

import dev.rollback.core.strategy.RollbackStrategy;
import dev.rollback.testkit.strategy.RollbackStrategyContract;
import dev.rollback.testkit.strategy.StrategyCapability;
import dev.rollback.testkit.strategy.StrategyFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link RollingStrategy} against the strategy contract, over the three real OpenSSH servers of
 * {@link SshTestServers}, one host at a time. Each host's restart writes the release its {@code
 * current} points to into {@code running} (what the host runs); its health command fails with the
 * text of {@code BROKEN} when that file exists. The fixture reads the host folders directly.
 */
class RollingStrategyContractIT extends RollbackStrategyContract {
  /** $1 = the host's release root. */
  static final String RESTART = "link=$(readlink \"$1/current\") && echo \"${link##*/}\" > \"$1/running\" && echo restarted >> \"$1/restarts\"";

  /** $1 = the host's release root. */
  static final String HEALTH = "if [ -e \"$1/BROKEN\" ]; then cat \"$1/BROKEN\"; exit 1; fi; test -f \"$1/running\"";

  @Override
  protected StrategyFixture createFixture() {
    return new RollingFixture(SshTestServers.require());
  }

  /** The three host folders, the drain hooks seen, and an SSH client the fixture closes. */
  static final class RollingFixture implements StrategyFixture {
    private static final Instant RELEASED = Instant.parse("2025-12-01T09:00:00Z");
    private final SshTestServers servers;
    private final List<String> hooks = Collections.synchronizedList(new ArrayList<>());
    private final SshCommandRunner ssh;

    RollingFixture(SshTestServers servers) {
      this.servers = servers;
      this.ssh = SshCommandRunner.create(servers.config().build());
    }

    @Override
    public void release(List<String> versions) throws Exception {
      String last = versions.get(versions.size() - 1);
      for (Path host : servers.folders) {
        ReleaseFolderSnapshot.empty(host);
        for (int i = 0; i < versions.size(); i++) {
          Path dir = Files.createDirectories(host.resolve("releases").resolve(versions.get(i)));
          Files.writeString(dir.resolve("REVISION"), versions.get(i) + "\n");
          Files.setLastModifiedTime(dir, FileTime.from(RELEASED.plus(Duration.ofDays(i))));
        }
        Files.createSymbolicLink(host.resolve("current"), Path.of("releases", last));
        Files.writeString(host.resolve("running"), last + "\n");
      }
    }

    @Override
    public RollbackStrategy strategy() {
      return RollingStrategy.builder()
          .hosts(servers.hosts())
          .commandRunner(ssh)
          .batchSize(1)
          .drain(h -> hooks.add("drain " + h.port()))
          .undrain(h -> hooks.add("undrain " + h.port()))
          .restart(h -> SshCommand.of("sh", "-c", RESTART, "restart", h.releaseRoot()))
          .healthCommand(h -> SshCommand.of("sh", "-c", HEALTH, "health", h.releaseRoot()))
          .healthTimeout(Duration.ofSeconds(10), Duration.ofSeconds(5))
          .convergenceTimeout(Duration.ofSeconds(30))
          .build();
    }

    @Override
    public List<String> runningVersions() throws Exception {
      List<String> running = new ArrayList<>();
      for (Path host : servers.folders) {
        running.addAll(ReleaseFolderSnapshot.bothOf(host));
      }
      return running;
    }

    @Override
    public Object snapshot() throws Exception {
      Map<String, Object> all = new LinkedHashMap<>();
      for (Path host : servers.folders) {
        all.put(host.getFileName().toString(), ReleaseFolderSnapshot.of(host));
      }
      all.put("hooks", List.copyOf(hooks));
      return all;
    }

    @Override
    public String failNextRollout() throws Exception {
      for (Path host : servers.folders) {
        Files.writeString(host.resolve("BROKEN"), "GET /health: 503 Service Unavailable (database pool exhausted)\n");
      }
      return "503 Service Unavailable (database pool exhausted)";
    }

    @Override
    public void remove(String version) throws Exception {
      for (Path host : servers.folders) {
        ReleaseFolderSnapshot.deleteTree(host.resolve("releases").resolve(version));
      }
    }

    /** A folder listing has no creation times: the strategy reports none. */
    @Override
    public Set<StrategyCapability> capabilities() {
      return EnumSet.complementOf(EnumSet.of(StrategyCapability.CREATION_TIMES));
    }

    @Override
    public void close() {
      ssh.close();
    }
  }
}
