package dev.rollback.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.TimelineEntry;
import dev.rollback.core.command.CommandResult;
import dev.rollback.testkit.ManualClock;
import dev.rollback.testkit.ManualSleeper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rolling v1.3.0 back to v1.2.9 over three real OpenSSH servers, through a real RollbackRunner. */
class RollingStrategyIT {
  SshTestServers servers;
  CountingRunner ssh;
  final List<String> hooks = Collections.synchronizedList(new ArrayList<>());
  final ManualClock clock = ManualClock.create();
  final RollbackRunner runner = RollbackRunner.builder().clock(clock).sleeper(new ManualSleeper(clock)).build();

  @BeforeEach
  void hosts() throws IOException {
    servers = SshTestServers.require();
    for (Path folder : servers.folders) {
      SshTestServers.prepare(folder, true);
    }
    ssh = new CountingRunner(SshCommandRunner.create(servers.config().build()));
  }

  @AfterEach
  void close() {
    if (ssh != null) {
      ssh.close();
    }
  }

  RollingStrategy.Builder rolling() {
    return base().commandRunner(ssh);
  }

  RollingStrategy.Builder base() {
    return RollingStrategy.builder()
        .hosts(servers.hosts())
        .drain(h -> hooks.add("drain " + h.port()))
        .undrain(h -> hooks.add("undrain " + h.port()))
        .restart(h -> SshCommand.of("touch", h.releaseRoot() + "/restarted"))
        .healthCommand(h -> SshCommand.of("test", "-f", h.releaseRoot() + "/current/healthy"))
        .healthTimeout(Duration.ofSeconds(10), Duration.ofSeconds(2));
  }

  RollbackResult run(RollingStrategy strategy, String target) {
    RollbackPlan plan = RollbackPlan.builder("checkout").currentVersion("v1.3.0").target(target).strategy(strategy).build();
    return runner.run(plan);
  }

  static RollingResult table(RollbackResult result) {
    TimelineEntry entry = result.timeline().stream()
        .filter(t -> "rolling".equals(t.facts().get("kind")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no rolling entry in " + result.timeline()));
    return RollingResult.fromJson(entry.facts().get("version"), entry.facts().get("table"));
  }

  String host(int i) {
    return servers.host(i).address();
  }

  @Test
  void batchOfOneSwitchesEveryHostInOrder() throws Exception {
    RollingStrategy strategy = rolling().batchSize(1).build();

    RollbackResult result = run(strategy, "v1.2.9");

    assertThat(result.outcome()).as("%s", result.failure()).isEqualTo(RunOutcome.SUCCEEDED);
    for (Path folder : servers.folders) {
      assertThat(SshTestServers.current(folder)).isEqualTo("releases/v1.2.9");
      assertThat(folder.resolve("restarted")).exists();
      assertThat(folder.resolve("current.tmp")).doesNotExist();
    }
    assertThat(table(result).rows()).extracting(RollingHostRow::host, RollingHostRow::batch, RollingHostRow::status, RollingHostRow::from,
            RollingHostRow::to)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(host(0), 1, RollingStatus.SWITCHED, "v1.3.0", "v1.2.9"),
            org.assertj.core.groups.Tuple.tuple(host(1), 2, RollingStatus.SWITCHED, "v1.3.0", "v1.2.9"),
            org.assertj.core.groups.Tuple.tuple(host(2), 3, RollingStatus.SWITCHED, "v1.3.0", "v1.2.9"));
    assertThat(strategy.lastResult()).contains(table(result));
    int p1 = servers.ports.get(0);
    int p2 = servers.ports.get(1);
    int p3 = servers.ports.get(2);
    assertThat(hooks).containsExactly("drain " + p1, "undrain " + p1, "drain " + p2, "undrain " + p2, "drain " + p3, "undrain " + p3);
    assertThat(strategy.inspect().currentVersion()).isEqualTo("v1.2.9");
  }

  @Test
  void batchOfTwoDrainsTwoHostsTogetherThenTheThird() {
    RollingStrategy strategy = rolling().batchSize(2).build();

    RollbackResult result = run(strategy, "v1.2.9");

    assertThat(result.outcome()).as("%s", result.failure()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(table(result).rows()).extracting(RollingHostRow::batch, RollingHostRow::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, RollingStatus.SWITCHED),
            org.assertj.core.groups.Tuple.tuple(1, RollingStatus.SWITCHED),
            org.assertj.core.groups.Tuple.tuple(2, RollingStatus.SWITCHED));
    int p1 = servers.ports.get(0);
    int p2 = servers.ports.get(1);
    int p3 = servers.ports.get(2);
    assertThat(hooks).containsExactly("drain " + p1, "drain " + p2, "undrain " + p1, "undrain " + p2, "drain " + p3, "undrain " + p3);
    assertThat(servers.folders).allSatisfy(f -> assertThat(SshTestServers.current(f)).isEqualTo("releases/v1.2.9"));
  }

  @Test
  void batchAsAPercentageRoundsUp() {
    RollingStrategy strategy = rolling().batchPercent(50).build();

    RollbackResult result = run(strategy, "v1.2.9");

    assertThat(result.outcome()).as("%s", result.failure()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(table(result).rows()).extracting(RollingHostRow::batch).containsExactly(1, 1, 2);
  }

  @Test
  void secondHostFailingItsHealthCheckStopsTheRunAndLeavesTheThirdUntouched() throws Exception {
    SshTestServers.prepare(servers.folders.get(1), false);
    RollingStrategy strategy = rolling().batchSize(1).build();

    RollbackResult result = run(strategy, "v1.2.9");

    assertThat(result.outcome()).isNotEqualTo(RunOutcome.SUCCEEDED);
    assertThat(result.failure()).contains("rolling to v1.2.9 stopped", host(1), "unhealthy");
    assertThat(SshTestServers.current(servers.folders.get(0))).isEqualTo("releases/v1.2.9");
    assertThat(SshTestServers.current(servers.folders.get(1))).as("failed host is left as it is").isEqualTo("releases/v1.2.9");
    assertThat(SshTestServers.current(servers.folders.get(2))).as("host 3 untouched").isEqualTo("releases/v1.3.0");
    assertThat(servers.folders.get(2).resolve("restarted")).doesNotExist();
    // Host 3 saw only the read-only inspection of the core's platform step (readlink, ls).
    assertThat(ssh.linesTo(servers.ports.get(2))).isNotEmpty().allSatisfy(line -> assertThat(line).matches("'(readlink|ls)' .*"));

    RollingResult table = table(result);
    assertThat(table.rows()).extracting(RollingHostRow::host, RollingHostRow::batch, RollingHostRow::status, RollingHostRow::from)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(host(0), 1, RollingStatus.SWITCHED, "v1.3.0"),
            org.assertj.core.groups.Tuple.tuple(host(1), 2, RollingStatus.FAILED, "v1.3.0"),
            org.assertj.core.groups.Tuple.tuple(host(2), 3, RollingStatus.UNTOUCHED, ""));
    assertThat(table.row(host(1)).orElseThrow().reason()).startsWith("unhealthy after PT10S");
    assertThat(table.row(host(2)).orElseThrow().reason()).contains("not started", "1 failed host");
    int p1 = servers.ports.get(0);
    int p2 = servers.ports.get(1);
    assertThat(hooks).as("the failed host stays drained").containsExactly("drain " + p1, "undrain " + p1, "drain " + p2);
    assertThat(strategy.inspect().currentVersion()).startsWith("mixed(").contains(host(2) + "=v1.3.0");
  }

  @Test
  void failureThresholdOfTwoGoesOnAfterOneFailedHost() throws Exception {
    SshTestServers.prepare(servers.folders.get(1), false);
    RollingStrategy strategy = rolling().batchSize(1).failureThreshold(2).build();

    RollbackResult result = run(strategy, "v1.2.9");

    assertThat(result.outcome()).isNotEqualTo(RunOutcome.SUCCEEDED);
    assertThat(table(result).rows()).extracting(RollingHostRow::status)
        .containsExactly(RollingStatus.SWITCHED, RollingStatus.FAILED, RollingStatus.SWITCHED);
  }

  @Test
  void aMissingReleaseFolderIsRefusedBeforeAnyHookNamingTheReleasesOfEachHost() throws Exception {
    java.nio.file.Files.createDirectories(servers.folders.get(2).resolve("releases/v1.1.0"));
    RollingStrategy strategy = rolling().build();

    RollbackResult result = run(strategy, "v1.1.0");

    assertThat(result.outcome()).isNotEqualTo(RunOutcome.SUCCEEDED);
    assertThat(result.failure()).contains("release 'v1.1.0' does not exist on 2 of 3 hosts", "no host was drained").doesNotContain(host(2));
    for (int i = 0; i < 2; i++) {
      assertThat(result.failure()).containsPattern(java.util.regex.Pattern.quote(host(i)) + " has \\[(v1\\.3\\.0, v1\\.2\\.9|v1\\.2\\.9, v1\\.3\\.0)\\]");
    }
    assertThat(hooks).as("no host is drained for a release it does not have").isEmpty();
    assertThat(result.timeline()).noneMatch(t -> "rolling".equals(t.facts().get("kind")));
    assertThat(servers.folders).allSatisfy(f -> assertThat(SshTestServers.current(f)).isEqualTo("releases/v1.3.0"));
  }

  @Test
  void aTargetThatEveryHostAlreadyRunsIsANoOpThatSaysSo() throws Exception {
    RollingStrategy strategy = rolling().build();

    // The runbook believes v1.3.1 runs, but that deploy never landed: every host still runs v1.3.0.
    RollbackResult result = runner.run(RollbackPlan.builder("checkout").currentVersion("v1.3.1").target("v1.3.0").strategy(strategy).build());

    assertThat(result.outcome()).as("%s", result.failure()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(result.timeline()).extracting(TimelineEntry::message)
        .contains("every host already runs v1.3.0: nothing to roll back, no host was drained, switched or restarted");
    assertThat(hooks).isEmpty();
    assertThat(servers.folders).allSatisfy(f -> assertThat(f.resolve("restarted")).doesNotExist());
    assertThat(strategy.lastResult()).contains(new RollingResult("v1.3.0", List.of()));
  }

  @Test
  void anUnknownHostKeyIsRefusedAndNothingRunsOnThatHost(@TempDir Path dir) throws Exception {
    Path partial = dir.resolve("known_hosts");
    java.nio.file.Files.write(partial, java.nio.file.Files.readAllLines(servers.knownHosts).stream()
        .filter(l -> !l.contains(":" + servers.ports.get(0) + " ")).toList());
    RollingStrategy strategy = base().ssh(servers.config().knownHosts(partial).build()).build();

    RollbackResult result = run(strategy, "v1.2.9");

    assertThat(result.outcome()).isNotEqualTo(RunOutcome.SUCCEEDED);
    assertThat(result.failure()).contains("unknown host [127.0.0.1]:" + servers.ports.get(0), "SHA256:");
    assertThat(servers.folders).allSatisfy(f -> assertThat(SshTestServers.current(f)).isEqualTo("releases/v1.3.0"));
  }

  @Test
  void aHostileVersionIsRejectedBeforeItReachesAnySshCommandOrHook() {
    RollingStrategy strategy = rolling().build();

    for (String hostile : List.of("../../etc", "v1;touch /tmp/pwned", "$(reboot)", "v1 v2", "/abs", "..", "-rf")) {
      RollbackResult result = run(strategy, hostile);

      assertThat(result.outcome()).as(hostile).isNotEqualTo(RunOutcome.SUCCEEDED);
      assertThat(result.failure()).as(hostile).contains("rolling refuses the target", "is not a release folder name");
    }
    // The core's platform step inspects the hosts first (readlink, ls: read-only); nothing else ran,
    // and no command line carried the hostile name.
    assertThat(ssh.lines()).isNotEmpty().allSatisfy(line -> assertThat(line).matches("'(readlink|ls)' .*"));
    assertThat(String.join("\n", ssh.lines())).doesNotContain("etc", "pwned", "reboot", "v1 v2", "-rf");
    assertThat(hooks).isEmpty();
    assertThat(servers.folders).allSatisfy(f -> assertThat(SshTestServers.current(f)).isEqualTo("releases/v1.3.0"));
  }

  /** Counts the commands that reach SSH, and which ports they went to. */
  static final class CountingRunner implements SshCommandRunner {
    private final SshCommandRunner delegate;
    private final AtomicInteger commands = new AtomicInteger();
    private final List<Integer> ports = Collections.synchronizedList(new ArrayList<>());
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    CountingRunner(SshCommandRunner delegate) {
      this.delegate = delegate;
    }

    @Override
    public CommandResult run(SshHost host, SshCommand command, Duration timeout) throws IOException, InterruptedException {
      commands.incrementAndGet();
      synchronized (lines) {
        ports.add(host.port());
        lines.add(command.line());
      }
      return delegate.run(host, command, timeout);
    }

    @Override
    public CommandResult run(SshHost host, SshCommand command) throws IOException, InterruptedException {
      commands.incrementAndGet();
      synchronized (lines) {
        ports.add(host.port());
        lines.add(command.line());
      }
      return delegate.run(host, command);
    }

    int commands() {
      return commands.get();
    }

    List<String> lines() {
      return List.copyOf(lines);
    }

    List<String> linesTo(int port) {
      List<String> to = new ArrayList<>();
      synchronized (lines) {
        for (int i = 0; i < lines.size(); i++) {
          if (ports.get(i) == port) {
            to.add(lines.get(i));
          }
        }
      }
      return to;
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
