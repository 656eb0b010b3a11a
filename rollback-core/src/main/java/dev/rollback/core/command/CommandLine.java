package dev.rollback.core.command;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * An external command: an argument list run without a shell (so no value is ever parsed as shell
 * syntax), in a working folder, with extra environment, a timeout after which the process tree is
 * killed, and output captured up to a limit.
 *
 * <pre>{@code
 * CommandResult r = CommandLine.of("systemctl", "restart", "checkout.service")
 *     .timeout(Duration.ofSeconds(60))
 *     .run();
 * if (!r.succeeded()) throw new IllegalStateException(r.summary());
 * }</pre>
 *
 * <p>The timeout is wall-clock time: a process runs in real time whatever the run's clock says.
 * An interrupted thread (a cancelled run) kills the process and gets {@link InterruptedException}.
 *
 * @since 0.1.0
 */
public final class CommandLine {
  private final List<String> args;
  private @Nullable Path directory;
  private final Map<String, String> environment = new LinkedHashMap<>();
  private Duration timeout = Duration.ofMinutes(1);
  private int outputLimit = 64 * 1024;

  private CommandLine(List<String> args) {
    this.args = args;
  }

  /**
   * @param args the program and its arguments, each one argument (no shell quoting)
   * @return the command
   * @throws RollbackException when the list is empty or holds a null or empty program
   */
  public static CommandLine of(String... args) {
    return of(args == null ? null : java.util.Arrays.asList(args));
  }

  /**
   * @param args the program and its arguments
   * @return the command
   * @throws RollbackException when the list is empty or holds a null or empty program
   */
  public static CommandLine of(@Nullable List<String> args) {
    if (args == null || args.isEmpty() || args.get(0) == null || args.get(0).isBlank()) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "a command needs a program as its first argument, but was " + args);
    }
    if (args.stream().anyMatch(java.util.Objects::isNull)) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "command arguments must not be null, but were " + args);
    }
    return new CommandLine(List.copyOf(args));
  }

  /**
   * @param dir the working folder
   * @return this command
   */
  public CommandLine directory(Path dir) {
    this.directory = dir;
    return this;
  }

  /**
   * @param name a variable
   * @param value its value
   * @return this command
   */
  public CommandLine env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /**
   * @param timeout the longest it may run; positive
   * @return this command
   */
  public CommandLine timeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "command timeout must be positive, but was " + timeout);
    }
    this.timeout = timeout;
    return this;
  }

  /**
   * @param bytes how much output to keep (the rest is dropped and {@link CommandResult#truncated()}
   *     is true); default 64 KiB
   * @return this command
   */
  public CommandLine outputLimit(int bytes) {
    if (bytes < 0) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "outputLimit must not be negative, but was " + bytes);
    }
    this.outputLimit = bytes;
    return this;
  }

  /** @return the argument list */
  public List<String> args() {
    return args;
  }

  /**
   * Runs the command and waits for it, at most the timeout.
   *
   * @return how it ended (a non-zero exit is a result, not an exception)
   * @throws IOException when the program cannot be started
   * @throws InterruptedException when the thread is interrupted; the process is killed first
   */
  public CommandResult run() throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(args)).redirectErrorStream(true);
    if (directory != null) {
      pb.directory(directory.toFile());
    }
    pb.environment().putAll(environment);
    long t0 = System.nanoTime();
    Process p = pb.start();
    Capture capture = new Capture(p.getInputStream(), outputLimit);
    Thread reader = new Thread(capture, "command-output-" + p.pid());
    reader.setDaemon(true);
    reader.start();
    boolean finished;
    try {
      p.getOutputStream().close();
      finished = p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      kill(p);
      throw e;
    }
    if (!finished) {
      kill(p);
    }
    reader.join(TimeUnit.SECONDS.toMillis(5));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    return new CommandResult(args, finished ? p.exitValue() : -1, !finished, capture.text(), capture.truncated(), took);
  }

  private static void kill(Process p) throws InterruptedException {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    p.waitFor(5, TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return "CommandLine" + args;
  }

  /** Reads a process's output into a bounded buffer until the stream ends. */
  private static final class Capture implements Runnable {
    private final InputStream in;
    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private volatile boolean truncated;

    Capture(InputStream in, int limit) {
      this.in = in;
      this.limit = limit;
    }

    @Override
    public void run() {
      byte[] buf = new byte[8192];
      try (InputStream s = in) {
        int n;
        while ((n = s.read(buf)) >= 0) {
          synchronized (kept) {
            int room = limit - kept.size();
            if (room > 0) {
              kept.write(buf, 0, Math.min(room, n));
            }
            if (n > room) {
              truncated = true;
            }
          }
        }
      } catch (IOException e) {
        truncated = true;
      }
    }

    String text() {
      synchronized (kept) {
        return kept.toString(StandardCharsets.UTF_8);
      }
    }

    boolean truncated() {
      return truncated;
    }
  }
}
