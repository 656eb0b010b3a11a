package dev.rollback.examples;

import dev.rollback.core.Sleeper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Starts and stops the demo service as a child JVM, the way an init system would. */
final class DemoProcess {
  private DemoProcess() {}

  /** @return a port nothing listens on now */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** @return the command that runs {@link DemoHttpService} on a release root and port */
  static List<String> command(Path root, int port) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classes;
    try {
      classes = Path.of(DemoHttpService.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the demo's classes", e);
    }
    return List.of(java, "-Xmx64m", "-cp", classes, DemoHttpService.class.getName(), root.toString(), Integer.toString(port));
  }

  /** Starts the service, records its pid, and waits (at most 30 s) until it answers. */
  static void start(List<String> command, Path pidFile, Path logFile, URI version) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .start();
    p.getOutputStream().close();
    Files.writeString(pidFile, Long.toString(p.pid()), StandardCharsets.UTF_8);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException("the demo service exited with " + p.exitValue() + "; see " + logFile);
      }
      try {
        if (http.send(HttpRequest.newBuilder(version).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Sleeper.system().sleep(Duration.ofMillis(100));
    }
    throw new IOException("the demo service did not answer " + version + " within 30 s; see " + logFile);
  }

  /** Stops whatever process the pid file names. */
  static void stop(Path pidFile) throws IOException {
    if (!Files.exists(pidFile)) {
      return;
    }
    Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()));
    h.ifPresent(ProcessHandle::destroyForcibly);
  }
}
