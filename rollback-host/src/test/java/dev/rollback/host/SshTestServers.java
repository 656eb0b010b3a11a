package dev.rollback.host;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The three OpenSSH servers started by {@code scripts/test-services.sh start} (see {@code
 * scripts/services/sshd.sh}), read from {@code target/test-services/sshd.env}. When they are not
 * running, tests fail under {@code CI=true} and are skipped with a message otherwise.
 */
final class SshTestServers {
  final String user;
  final Path clientKey;
  final Path knownHosts;
  final List<Integer> ports;
  final List<Path> folders;

  private SshTestServers(Properties p) {
    user = p.getProperty("SSHD_USER");
    clientKey = Path.of(p.getProperty("SSHD_CLIENT_KEY"));
    knownHosts = Path.of(p.getProperty("SSHD_KNOWN_HOSTS"));
    ports = Stream.of(p.getProperty("SSHD_PORTS").split(",")).map(String::strip).map(Integer::valueOf).toList();
    folders = List.of(Path.of(p.getProperty("SSHD_HOST1")), Path.of(p.getProperty("SSHD_HOST2")), Path.of(p.getProperty("SSHD_HOST3")));
  }

  /** @return the servers, or skips / fails the test when they are not running */
  static SshTestServers require() {
    Path env = locate();
    String why = null;
    SshTestServers servers = null;
    if (env == null) {
      why = "no target/test-services/sshd.env found from " + Path.of("").toAbsolutePath();
    } else {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(env)) {
        p.load(r);
        servers = new SshTestServers(p);
        for (int port : servers.ports) {
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
          }
        }
      } catch (IOException | RuntimeException e) {
        why = "the sshd servers listed in " + env + " do not answer: " + e;
        servers = null;
      }
    }
    if (servers == null) {
      String msg = "three real OpenSSH servers are needed: run `scripts/test-services.sh start` first (" + why + ")";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(msg + " [CI=true: failing instead of skipping]");
      }
      Assumptions.abort(msg);
    }
    return servers;
  }

  private static Path locate() {
    String override = System.getenv("SSHD_ENV");
    if (override != null && Files.isRegularFile(Path.of(override))) {
      return Path.of(override);
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path env = dir.resolve("target/test-services/sshd.env");
      if (Files.isRegularFile(env)) {
        return env;
      }
      dir = dir.getParent();
    }
    return null;
  }

  SshHost host(int index) {
    return new SshHost("127.0.0.1", ports.get(index), user, folders.get(index).toString());
  }

  List<SshHost> hosts() {
    List<SshHost> all = new ArrayList<>();
    for (int i = 0; i < ports.size(); i++) {
      all.add(host(i));
    }
    return all;
  }

  SshClientConfig.Builder config() {
    return SshClientConfig.builder().identityFile(clientKey).knownHosts(knownHosts);
  }

  /**
   * Lays out {@code releases/v1.2.9} and {@code releases/v1.3.0} with {@code current -> releases/v1.3.0}
   * in a host folder; {@code healthy} marks a release whose health command passes.
   */
  static void prepare(Path root, boolean v129Healthy) throws IOException {
    clean(root.resolve("releases"));
    Files.deleteIfExists(root.resolve("current"));
    Files.deleteIfExists(root.resolve("current.tmp"));
    Files.deleteIfExists(root.resolve("restarted"));
    Files.createDirectories(root.resolve("releases/v1.2.9"));
    Files.createDirectories(root.resolve("releases/v1.3.0"));
    Files.writeString(root.resolve("releases/v1.3.0/healthy"), "yes");
    if (v129Healthy) {
      Files.writeString(root.resolve("releases/v1.2.9/healthy"), "yes");
    }
    Files.createSymbolicLink(root.resolve("current"), Path.of("releases/v1.3.0"));
  }

  static String current(Path root) throws IOException {
    return Files.readSymbolicLink(root.resolve("current")).toString();
  }

  private static void clean(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
