package dev.rollback.host.internal;

import dev.rollback.core.StepContext;
import dev.rollback.core.service.ServiceControl;
import dev.rollback.host.ProcessSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A local process the runner supervises: restart stops the running one (SIGTERM, then SIGKILL after
 * the grace period) and starts a new one; readiness is an HTTP URL answering 2xx or a TCP port
 * accepting connections. With a pid file, a runner in another JVM can stop what this one started.
 */
public final class SupervisedProcessServiceControl implements ServiceControl {
  private static final Duration POLL = Duration.ofMillis(100);

  private final ProcessSpec spec;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private volatile @Nullable ProcessHandle running;

  /** @param spec what to run */
  public SupervisedProcessServiceControl(ProcessSpec spec) {
    this.spec = spec;
  }

  @Override
  public String name() {
    return "process " + spec.command().get(0);
  }

  /** @return the process started last, if it runs */
  public Optional<ProcessHandle> process() {
    return Optional.ofNullable(running).filter(ProcessHandle::isAlive);
  }

  @Override
  public void restart(StepContext ctx) throws Exception {
    stop(ctx);
    ProcessBuilder pb = new ProcessBuilder(spec.command());
    spec.directory().ifPresent(d -> pb.directory(d.toFile()));
    pb.environment().putAll(spec.environment());
    pb.redirectErrorStream(true);
    if (spec.logFile().isPresent()) {
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().get().toFile()));
    } else {
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    Process p = pb.start();
    p.getOutputStream().close();
    running = p.toHandle();
    if (spec.pidFile().isPresent()) {
      Path pid = spec.pidFile().get();
      Path tmp = pid.resolveSibling(pid.getFileName() + ".tmp");
      Files.writeString(tmp, Long.toString(p.pid()), StandardCharsets.UTF_8);
      Files.move(tmp, pid, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    ctx.record("started " + name() + " as pid " + p.pid(), Map.of("command", String.join(" ", spec.command()), "pid", Long.toString(p.pid())));
  }

  @Override
  public void stop(StepContext ctx) throws Exception {
    Optional<ProcessHandle> target = process().or(this::fromPidFile);
    if (target.isEmpty()) {
      return;
    }
    ProcessHandle h = target.get();
    h.destroy();
    boolean stopped = ctx.await("pid " + h.pid() + " to stop after SIGTERM", () -> !h.isAlive(), spec.stopGrace(), POLL);
    if (!stopped) {
      h.descendants().forEach(ProcessHandle::destroyForcibly);
      h.destroyForcibly();
      ctx.await("pid " + h.pid() + " to stop after SIGKILL", () -> !h.isAlive(), Duration.ofSeconds(10), POLL);
    }
    ctx.record("stopped " + name() + " (pid " + h.pid() + ") with " + (stopped ? "SIGTERM" : "SIGKILL after " + spec.stopGrace()),
        Map.of("pid", Long.toString(h.pid()), "signal", stopped ? "SIGTERM" : "SIGKILL"));
    running = null;
  }

  @Override
  public boolean awaitReady(Duration timeout, StepContext ctx) throws Exception {
    boolean[] died = {false};
    boolean ok = ctx.await(name() + " ready", () -> {
      ProcessHandle h = running;
      if (h != null && !h.isAlive()) {
        died[0] = true;
        return true;
      }
      return probe();
    }, timeout, POLL);
    if (died[0]) {
      ctx.record(name() + " exited before it became ready", Map.of("command", String.join(" ", spec.command())));
      return false;
    }
    ctx.record(ok ? name() + " is ready" : name() + " not ready within " + timeout, Map.of("probe", describeProbe()));
    return ok;
  }

  private boolean probe() {
    if (spec.readinessUrl().isPresent()) {
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(spec.readinessUrl().get()).timeout(Duration.ofSeconds(2)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        return r.statusCode() >= 200 && r.statusCode() < 300;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    if (spec.readinessPort().isPresent()) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", spec.readinessPort().getAsInt()), 1000);
        return true;
      } catch (IOException e) {
        return false;
      }
    }
    ProcessHandle h = running;
    return h != null && h.isAlive();
  }

  private String describeProbe() {
    if (spec.readinessUrl().isPresent()) {
      return "GET " + spec.readinessUrl().get() + " answers 2xx";
    }
    if (spec.readinessPort().isPresent()) {
      return "127.0.0.1:" + spec.readinessPort().getAsInt() + " accepts connections";
    }
    return "process alive";
  }

  private Optional<ProcessHandle> fromPidFile() {
    if (spec.pidFile().isEmpty() || !Files.exists(spec.pidFile().get())) {
      return Optional.empty();
    }
    try {
      long pid = Long.parseLong(Files.readString(spec.pidFile().get()).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return name();
  }
}
