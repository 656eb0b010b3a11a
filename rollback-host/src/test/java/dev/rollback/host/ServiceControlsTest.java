package dev.rollback.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.Step;
import dev.rollback.core.StepResult;
import dev.rollback.core.TimelineEntry;
import dev.rollback.core.service.ServiceControl;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Service controls with real commands and real local processes. */
class ServiceControlsTest {
  @TempDir Path dir;

  private static RollbackResult inAStep(Step.Action action) {
    return RollbackRunner.create().run(RollbackPlan.builder("checkout").currentVersion("v2").target("v1")
        .step(Step.builder("service", Phase.PLATFORM_ROLLBACK).execute(action).build()).build());
  }

  @Test
  void aCommandRestartRunsWithoutAShellAndRecordsItsOutputTruncated() {
    ServiceControl c = ServiceControls.commands(List.of("seq", "1", "3000"), List.of("true"));

    RollbackResult r = inAStep(ctx -> {
      c.restart(ctx);
      return StepResult.succeeded(String.valueOf(c.awaitReady(Duration.ofSeconds(5), ctx)));
    });

    assertThat(r.outcome()).as(r.failureMessage().orElse("")).isEqualTo(RunOutcome.SUCCEEDED);
    TimelineEntry restart = r.timeline().stream().filter(e -> e.message().startsWith("restart command seq")).findFirst().orElseThrow();
    assertThat(restart.message()).contains("seq 1 3000 exited 0").endsWith(": 3000");
    assertThat(restart.facts()).containsEntry("command", "seq 1 3000").containsEntry("exitCode", "0").containsEntry("outputTruncated", "true");
    assertThat(restart.facts().get("output")).hasSize(2_000).endsWith("2999\n3000\n");
    assertThat(r.timeline()).extracting(TimelineEntry::message).anySatisfy(m -> assertThat(m).startsWith("command seq is ready"));
  }

  @Test
  void anArgumentIsNeverParsedAsShellSyntax() throws Exception {
    Path marker = dir.resolve("pwned");
    ServiceControl c = ServiceControls.commands(List.of("echo", "x; touch " + marker), List.of());

    RollbackResult r = inAStep(ctx -> {
      c.restart(ctx);
      return StepResult.succeeded();
    });

    assertThat(r.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(marker).doesNotExist();
  }

  @Test
  void aFailingRestartFailsWithTheCommandAndItsExitCode() {
    ServiceControl c = ServiceControls.commands(List.of("false"), List.of());

    RollbackResult r = inAStep(ctx -> {
      c.restart(ctx);
      return StepResult.succeeded();
    });

    assertThat(r.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(r.failureMessage()).hasValueSatisfying(m -> assertThat(m).contains("could not restart command false: false exited 1"));
  }

  @Test
  void readinessIsPolledUntilTheCommandSucceedsWithinTheTimeout() throws Exception {
    Path ready = dir.resolve("ready");
    ServiceControl c = ServiceControls.commands(List.of("true"), List.of("test", "-f", ready.toString()));

    RollbackResult r = inAStep(ctx -> {
      boolean before = c.awaitReady(Duration.ofMillis(200), ctx);
      Files.createFile(ready);
      boolean after = c.awaitReady(Duration.ofSeconds(5), ctx);
      return StepResult.succeeded(before + "/" + after);
    });

    assertThat(r.step("service").orElseThrow().message()).isEqualTo("false/true");
  }

  @Test
  void factoriesRejectBadArgumentsNamingThem() {
    assertThatThrownBy(() -> ServiceControls.systemd("-H evil", Duration.ZERO))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("unit must be a systemd unit name without whitespace that does not start with '-', but was '-H evil'")
        .hasMessageContaining("commandTimeout must be positive, but was PT0S");
    assertThatThrownBy(() -> ServiceControls.commands(List.of(), List.of()))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("restart command must name a program");
    assertThatThrownBy(() -> ProcessSpec.builder().readinessPort(0).stopGrace(Duration.ZERO).readinessUrl(URI.create("ftp://x")).build())
        .isInstanceOf(RollbackException.class)
        .satisfies(e -> assertThat(((RollbackException) e).problems()).hasSize(4));
    assertThat(ServiceControls.systemd("checkout.service").name()).isEqualTo("systemd checkout.service");
  }

  @Test
  void aSupervisedProcessIsRestartedStoppingTheOldOneWithSigterm() throws Exception {
    Path pidFile = dir.resolve("app.pid");
    ServiceControl c = ServiceControls.process(ProcessSpec.builder("sleep", "60").pidFile(pidFile).stopGrace(Duration.ofSeconds(5)).build());
    AtomicLong first = new AtomicLong();
    AtomicLong second = new AtomicLong();

    RollbackResult r = inAStep(ctx -> {
      c.restart(ctx);
      first.set(Long.parseLong(Files.readString(pidFile)));
      c.restart(ctx);
      second.set(Long.parseLong(Files.readString(pidFile)));
      boolean ready = c.awaitReady(Duration.ofSeconds(5), ctx);
      c.stop(ctx);
      return StepResult.succeeded(String.valueOf(ready));
    });

    assertThat(r.outcome()).as(r.failureMessage().orElse("")).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(r.step("service").orElseThrow().message()).isEqualTo("true");
    assertThat(first.get()).isNotEqualTo(second.get());
    assertThat(ProcessHandle.of(first.get()).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
    assertThat(ProcessHandle.of(second.get()).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
    assertThat(r.timeline()).extracting(TimelineEntry::message).anySatisfy(m -> assertThat(m).contains("with SIGTERM"));
  }

  @Test
  void aProcessThatIgnoresSigtermIsKilledAfterTheGracePeriod() throws Exception {
    // the supervised program is a shell here only because a shell can ignore SIGTERM in one line
    ServiceControl c = ServiceControls.process(ProcessSpec.builder("sh", "-c", "trap '' TERM; while :; do sleep 0.05; done")
        .stopGrace(Duration.ofMillis(500)).build());

    RollbackResult r = inAStep(ctx -> {
      c.restart(ctx);
      ctx.sleep(Duration.ofMillis(200));
      c.stop(ctx);
      return StepResult.succeeded();
    });

    assertThat(r.outcome()).as(r.failureMessage().orElse("")).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(r.timeline()).extracting(TimelineEntry::message).anySatisfy(m -> assertThat(m).contains("with SIGKILL after PT0.5S"));
  }

  @Test
  void aSupervisedProcessIsReadyWhenItsUrlAnswers2xxOrItsPortAcceptsConnections() throws Exception {
    AtomicBoolean healthy = new AtomicBoolean(false);
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/health", ex -> {
      ex.sendResponseHeaders(healthy.get() ? 200 : 503, -1);
      ex.close();
    });
    http.start();
    try (ServerSocket port = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      URI url = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/health");
      ServiceControl byUrl = ServiceControls.process(ProcessSpec.builder("sleep", "60").readinessUrl(url).build());
      ServiceControl byPort = ServiceControls.process(ProcessSpec.builder("sleep", "60").readinessPort(port.getLocalPort()).build());

      RollbackResult r = inAStep(ctx -> {
        byUrl.restart(ctx);
        byPort.restart(ctx);
        boolean unhealthy = byUrl.awaitReady(Duration.ofMillis(300), ctx);
        healthy.set(true);
        boolean nowHealthy = byUrl.awaitReady(Duration.ofSeconds(5), ctx);
        boolean portOpen = byPort.awaitReady(Duration.ofSeconds(5), ctx);
        byUrl.stop(ctx);
        byPort.stop(ctx);
        return StepResult.succeeded(unhealthy + "/" + nowHealthy + "/" + portOpen);
      });

      assertThat(r.step("service").orElseThrow().message()).as(r.failureMessage().orElse("")).isEqualTo("false/true/true");
    } finally {
      http.stop(0);
    }
  }

  @Test
  void aProcessThatExitsBeforeItIsReadyIsNotReady() {
    ServiceControl c = ServiceControls.process(ProcessSpec.builder("false").readinessPort(1).build());

    RollbackResult r = inAStep(ctx -> {
      c.restart(ctx);
      return StepResult.succeeded(String.valueOf(c.awaitReady(Duration.ofSeconds(10), ctx)));
    });

    assertThat(r.step("service").orElseThrow().message()).isEqualTo("false");
    assertThat(r.timeline()).extracting(TimelineEntry::message).anySatisfy(m -> assertThat(m).contains("exited before it became ready"));
  }
}
