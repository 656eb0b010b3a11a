package dev.rollback.host;

import dev.rollback.core.RollbackException;
import dev.rollback.host.internal.RemoteNames;
import java.util.ArrayList;
import java.util.List;

/**
 * One host of a rolling deploy: where to reach it by SSH and where its release layout lives
 * ({@code <releaseRoot>/releases/<version>/} and {@code <releaseRoot>/current -> releases/<version>}).
 *
 * <pre>{@code
 * SshHost web1 = new SshHost("web1.example.com", 22, "deploy", "/srv/checkout");
 * }</pre>
 *
 * @param host the host name or address (letters, digits, '.', '-', ':' for IPv6)
 * @param port the SSH port, 1 to 65535
 * @param user the login user (letters, digits, '.', '_', '-')
 * @param releaseRoot the absolute release root on that host; segments of letters, digits, '.', '_',
 *     '-' only, no {@code .} or {@code ..} segment (it is put on remote command lines)
 * @since 0.1.0
 */
public record SshHost(String host, int port, String user, String releaseRoot) {
  /** Checks every component and reports every problem at once. */
  public SshHost {
    List<String> problems = new ArrayList<>();
    if (host == null || !RemoteNames.isHostName(host)) {
      problems.add("host must be a host name or address (letters, digits, '.', '-', ':'), but was " + RemoteNames.show(host));
    }
    if (port < 1 || port > 65535) {
      problems.add("port must be between 1 and 65535, but was " + port);
    }
    if (user == null || !RemoteNames.isUser(user)) {
      problems.add("user must be 1-32 letters, digits, '.', '_' or '-', not starting with '-', but was " + RemoteNames.show(user));
    }
    String rootProblem = RemoteNames.pathProblem(releaseRoot);
    if (rootProblem != null) {
      problems.add("releaseRoot " + rootProblem);
    }
    if (!problems.isEmpty()) {
      throw RollbackException.invalid("invalid SSH host " + RemoteNames.show(user) + "@" + RemoteNames.show(host) + ":" + port, problems);
    }
  }

  /** @return {@code user@host:port}, the name the status table and the messages use */
  public String address() {
    return user + "@" + host + ":" + port;
  }

  @Override
  public String toString() {
    return address() + releaseRoot;
  }
}
