package dev.rollback.k8s;

import dev.rollback.core.command.CommandLine;
import dev.rollback.core.command.CommandResult;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * fabric8's CRUD mock server, set up so that the real {@code kubectl} can talk to it: a peer to
 * compare this module's results with (API-NOTES §8).
 *
 * <p>What it takes, and what this fixture does:
 *
 * <ul>
 *   <li>a {@link KubernetesMixedDispatcher} (expectations beside CRUD) over plain http, and a
 *       kubeconfig in a temporary folder whose cluster is the mock's URL (any token);
 *   <li>discovery: {@code /api}, {@code /apis}, {@code /api/v1} and {@code /apis/apps/v1} as
 *       expectations, each both bare and with {@code ?timeout=32s}, because kubectl adds that query
 *       and an expectation matches the path exactly;
 *   <li>{@code Content-Type: application/json} on every response (without it kubectl's typed
 *       client assumes protobuf: "provided data does not appear to be a protobuf message");
 *   <li>the CRUD lists' {@code "apiVersion":"v1","kind":"List"} rewritten to the typed list kind
 *       ({@code apps/v1 ReplicaSetList}…): otherwise client-go decodes an empty list and kubectl
 *       says "no rollout history found".
 * </ul>
 *
 * <p>Objects must look as a controller would leave them; see {@code ControllerLikeObjects}.
 *
 * <pre>{@code
 * try (KubectlMockServer k = KubectlMockServer.startOrSkip()) {
 *   k.client().apps().deployments().inNamespace("a").resource(d).create();
 *   CommandResult r = k.kubectl("-n", "a", "rollout", "undo", "deployment/web");
 * }
 * }</pre>
 *
 * <p>{@code kubectl} is looked up on the PATH ({@code KUBECTL} may name another binary). It is not
 * a service CI installs, so tests that need it are skipped, with a message, when it is missing.
 */
final class KubectlMockServer implements AutoCloseable {
  /** How long one kubectl process may run. */
  static final Duration KUBECTL_TIMEOUT = Duration.ofSeconds(60);

  /**
   * The version the server reports. Google Cloud SDK's {@code kubectl} is a dispatcher that runs the
   * kubectl release matching the server's version, so this also picks kubectl 1.32 there.
   */
  static final String SERVER_VERSION = "v1.32.4";

  private static final Pattern LIST_PATH =
      Pattern.compile("^/(?:api/(v1)|apis/([^/]+)/([^/]+))(?:/namespaces/[^/]+)?/([a-z0-9.-]+)(?:\\?.*)?$");

  private final KubernetesMockServer server;
  private final JsonDispatcher dispatcher;
  private final KubernetesClient client;
  private final Path home;
  private final Path kubeconfig;
  private final Path kubectl;

  private KubectlMockServer(Path kubectl) throws IOException {
    this.kubectl = kubectl;
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    this.dispatcher = new JsonDispatcher(responses);
    this.server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), responses, dispatcher, false,
        new VersionInfo.Builder().withMajor("1").withMinor("32").withGitVersion(SERVER_VERSION).withPlatform("linux/amd64").build());
    server.init();
    boolean started = false;
    try {
      Discovery.expect(server, SERVER_VERSION);
      this.client = server.createClient();
      this.home = Files.createTempDirectory("kubectl-mock-");
      this.kubeconfig = home.resolve("kubeconfig");
      Files.writeString(kubeconfig, kubeconfigYaml(server.url("/").replaceAll("/$", "")), StandardCharsets.UTF_8);
      started = true;
    } finally {
      if (!started) {
        server.destroy();
      }
    }
  }

  /**
   * Starts a server when {@code kubectl} is found, and skips the calling test otherwise.
   *
   * @return a started server; close it
   */
  static KubectlMockServer startOrSkip() {
    assumeKubectl();
    try {
      return new KubectlMockServer(findKubectl().orElseThrow());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Skips the calling test, saying why, when {@code kubectl} cannot be found. Call it per test
   * (surefire reports a skip from {@code @BeforeAll} as "Tests run: 0", without the reason).
   */
  static void assumeKubectl() {
    Assumptions.assumeTrue(findKubectl().isPresent(),
        "kubectl is not on the PATH (nor named by KUBECTL): skipping the comparison with the real kubectl");
  }

  /**
   * @return the {@code kubectl} binary: {@code $KUBECTL} when set and executable, else the first
   *     executable {@code kubectl} on the PATH
   */
  static Optional<Path> findKubectl() {
    String explicit = System.getenv("KUBECTL");
    if (explicit != null && !explicit.isBlank()) {
      Path p = Path.of(explicit);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Arrays.stream(path.split(File.pathSeparator))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, "kubectl"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** @return a client of the mock server (default namespace {@code test}) */
  KubernetesClient client() {
    return client;
  }

  /** @return the mock server (expectations, request count) */
  KubernetesMockServer server() {
    return server;
  }

  /** @return the kubeconfig kubectl is given */
  Path kubeconfig() {
    return kubeconfig;
  }

  /** @return the kubectl binary in use */
  Path kubectlBinary() {
    return kubectl;
  }

  /** @return every request the server has answered so far, oldest first ("GET /apis/apps/v1/…") */
  List<String> requests() {
    return List.copyOf(dispatcher.seen);
  }

  /** Forgets the requests seen so far. */
  void clearRequests() {
    dispatcher.seen.clear();
  }

  /**
   * Runs {@code kubectl --kubeconfig <file> <args…>} without a shell, with an isolated {@code HOME}
   * and discovery cache, at most {@link #KUBECTL_TIMEOUT}. No {@code --request-timeout}: kubectl then
   * asks for discovery with {@code ?timeout=32s}, the query the expectations are registered with.
   *
   * @param args kubectl's arguments, one each
   * @return how it ended, stdout and stderr together
   */
  CommandResult kubectl(String... args) {
    return kubectl(KUBECTL_TIMEOUT, List.of(args));
  }

  /**
   * @param timeout the longest the process may run
   * @param args kubectl's arguments, one each
   * @return how it ended, stdout and stderr together
   */
  CommandResult kubectl(Duration timeout, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(kubectl.toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.add("--cache-dir=" + home.resolve("cache"));
    command.addAll(args);
    try {
      return CommandLine.of(command)
          .timeout(timeout)
          .env("HOME", home.toString())
          .env("KUBECONFIG", kubeconfig.toString())
          .outputLimit(4 * 1024 * 1024)
          .run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      server.destroy();
      deleteRecursively(home);
    }
  }

  private static String kubeconfigYaml(String url) {
    return String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: mock",
        "  cluster:",
        "    server: " + url,
        "contexts:",
        "- name: mock",
        "  context:",
        "    cluster: mock",
        "    user: mock",
        "    namespace: test",
        "current-context: mock",
        "users:",
        "- name: mock",
        "  user:",
        "    token: not-a-secret",
        "");
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind is not worth failing a test for
    }
  }

  /**
   * The mixed dispatcher with what kubectl needs: JSON content type everywhere, typed list kinds,
   * and a record of the requests.
   */
  static final class JsonDispatcher extends KubernetesMixedDispatcher {
    final Queue<String> seen = new ConcurrentLinkedQueue<>();

    JsonDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses) {
      super(responses);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      seen.add(request.getMethod() + " " + request.getPath());
      MockResponse response = super.dispatch(request);
      if (response.getWebSocketListener() != null) {
        return response;
      }
      String contentType = response.header("Content-Type");
      if (contentType == null || !contentType.contains("json")) {
        response.setHeader("Content-Type", "application/json");
      }
      if ("GET".equals(request.getMethod()) && response.code() == 200 && response.getBody() != null) {
        String listKind = listKind(request.getPath());
        if (listKind != null) {
          String body = new String(response.getBody().getBytes(), StandardCharsets.UTF_8);
          String typed = body.replaceFirst("\"apiVersion\"\\s*:\\s*\"v1\"\\s*,\\s*\"kind\"\\s*:\\s*\"List\"",
              Matcher.quoteReplacement("\"apiVersion\":\"" + apiVersion(request.getPath()) + "\",\"kind\":\"" + listKind + "\""));
          if (!typed.equals(body)) {
            response.setBody(typed);
          }
        }
      }
      return response;
    }

    /** @return the typed list kind when the path lists a known resource, else null */
    static @Nullable String listKind(String path) {
      Matcher m = LIST_PATH.matcher(path);
      if (!m.matches() || path.contains("watch=true")) {
        return null;
      }
      String kind = Discovery.KINDS.get(m.group(4));
      return kind == null ? null : kind + "List";
    }

    private static String apiVersion(String path) {
      Matcher m = LIST_PATH.matcher(path);
      if (!m.matches()) {
        return "v1";
      }
      return m.group(1) != null ? "v1" : m.group(2) + "/" + m.group(3);
    }
  }
}
