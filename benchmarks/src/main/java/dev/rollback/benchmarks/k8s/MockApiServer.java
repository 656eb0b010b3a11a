package dev.rollback.benchmarks.k8s;

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
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * fabric8's CRUD mock server as a separate process for {@link KubernetesUndoBenchmark}, set up so
 * that the real {@code kubectl} can use it too (API-NOTES §8: discovery expectations bare and with
 * {@code ?timeout=32s}, {@code Content-Type: application/json} on every response, typed list
 * kinds), and counting the requests it answers.
 *
 * <p>A separate process so that the benchmark's heap figures are the client's alone. It prints
 * {@code PORT <n>} on its first line and runs until its standard input closes. {@code GET
 * /_bench/requests} answers the counts since the last {@code GET /_bench/reset} as {@code
 * <total> <what>=<n> …} (text; neither is counted). Test code of rollback-k8s has the same set-up as
 * {@code KubectlMockServer}; this copy lives here because benchmarks depend on main code only.
 */
public final class MockApiServer {
  /** The version reported; Google Cloud SDK's kubectl dispatcher picks kubectl 1.32 from it. */
  static final String SERVER_VERSION = "v1.32.4";

  private static final Pattern RESOURCE_PATH = Pattern.compile(
      "^/(?:api/(v1)|apis/([^/]+)/([^/]+))(?:/namespaces/[^/?]+)?/([a-z0-9.-]+)(/[^/?]+)?(/[a-z]+)?(?:\\?.*)?$");

  private static final Map<String, String> KINDS = new LinkedHashMap<>();
  private static final Map<String, Boolean> CORE = new LinkedHashMap<>();
  private static final Map<String, Boolean> APPS = new LinkedHashMap<>();

  static {
    CORE.put("pods:Pod:po", true);
    CORE.put("services:Service:svc", true);
    CORE.put("configmaps:ConfigMap:cm", true);
    CORE.put("secrets:Secret:", true);
    CORE.put("events:Event:ev", true);
    CORE.put("namespaces:Namespace:ns", false);
    APPS.put("deployments:Deployment:deploy", true);
    APPS.put("replicasets:ReplicaSet:rs", true);
    APPS.put("statefulsets:StatefulSet:sts", true);
    APPS.put("daemonsets:DaemonSet:ds", true);
    APPS.put("controllerrevisions:ControllerRevision:", true);
    CORE.keySet().forEach(k -> KINDS.put(k.split(":")[0], k.split(":")[1]));
    APPS.keySet().forEach(k -> KINDS.put(k.split(":")[0], k.split(":")[1]));
  }

  private MockApiServer() {}

  /**
   * Starts the server on a free port of 127.0.0.1, prints {@code PORT <n>}, and stops when standard
   * input closes.
   *
   * @param args none
   * @throws IOException when standard input fails
   */
  public static void main(String[] args) throws IOException {
    // The mock server logs every request at INFO through java.util.logging: quiet, that is time.
    Logger root = Logger.getLogger("");
    root.setLevel(Level.WARNING);
    for (java.util.logging.Handler h : root.getHandlers()) {
      h.setLevel(Level.WARNING);
    }
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    CountingDispatcher dispatcher = new CountingDispatcher(responses);
    KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), responses,
        dispatcher, false, new VersionInfo.Builder().withMajor("1").withMinor("32").withGitVersion(SERVER_VERSION).build());
    server.init(InetAddress.getLoopbackAddress(), 0);
    expectDiscovery(server);
    System.out.println("PORT " + server.getPort());
    System.out.flush();
    try (InputStream in = System.in) {
      while (in.read() >= 0) {
        // until the parent closes our stdin
      }
    } finally {
      server.destroy();
    }
  }

  private static void expectDiscovery(KubernetesMockServer server) {
    String version = "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"" + SERVER_VERSION + "\",\"gitCommit\":\"0\","
        + "\"gitTreeState\":\"clean\",\"buildDate\":\"2025-04-22T16:03:16Z\",\"goVersion\":\"go1.23.8\",\"compiler\":\"gc\","
        + "\"platform\":\"linux/amd64\"}";
    server.expect().get().withPath("/version?timeout=5s").andReturn(200, version).always();
    server.expect().get().withPath("/version?timeout=32s").andReturn(200, version).always();
    Map<String, String> documents = new LinkedHashMap<>();
    documents.put("/api", "{\"kind\":\"APIVersions\",\"apiVersion\":\"v1\",\"versions\":[\"v1\"],"
        + "\"serverAddressByClientCIDRs\":[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1:6443\"}]}");
    documents.put("/apis", "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[{\"name\":\"apps\","
        + "\"versions\":[{\"groupVersion\":\"apps/v1\",\"version\":\"v1\"}],"
        + "\"preferredVersion\":{\"groupVersion\":\"apps/v1\",\"version\":\"v1\"}}]}");
    documents.put("/api/v1", resourceList("v1", CORE));
    documents.put("/apis/apps/v1", resourceList("apps/v1", APPS));
    documents.forEach((path, json) -> {
      server.expect().get().withPath(path).andReturn(200, json).always();
      server.expect().get().withPath(path + "?timeout=32s").andReturn(200, json).always();
    });
  }

  private static String resourceList(String groupVersion, Map<String, Boolean> resources) {
    String items = resources.entrySet().stream().map(e -> {
      String[] r = e.getKey().split(":", -1);
      return "{\"name\":\"" + r[0] + "\",\"singularName\":\"" + r[1].toLowerCase(Locale.ROOT) + "\",\"namespaced\":" + e.getValue()
          + ",\"kind\":\"" + r[1] + "\",\"verbs\":[\"create\",\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]"
          + (r[2].isEmpty() ? "" : ",\"shortNames\":[\"" + r[2] + "\"]") + "}";
    }).collect(Collectors.joining(","));
    return "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"" + groupVersion + "\",\"resources\":[" + items + "]}";
  }

  /** The mixed dispatcher with kubectl's needs met, and a count of what it answered. */
  static final class CountingDispatcher extends KubernetesMixedDispatcher {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    CountingDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses) {
      super(responses);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath();
      if (path.startsWith("/_bench/")) {
        return bench(path);
      }
      counts.computeIfAbsent(classify(request.getMethod(), path), k -> new LongAdder()).increment();
      MockResponse response = super.dispatch(request);
      if (response.getWebSocketListener() != null) {
        return response;
      }
      String contentType = response.header("Content-Type");
      if (contentType == null || !contentType.contains("json")) {
        response.setHeader("Content-Type", "application/json");
      }
      Matcher m = RESOURCE_PATH.matcher(path);
      if ("GET".equals(request.getMethod()) && response.code() == 200 && response.getBody() != null && m.matches()
          && m.group(5) == null && !path.contains("watch=true") && KINDS.containsKey(m.group(4))) {
        String apiVersion = m.group(1) != null ? "v1" : m.group(2) + "/" + m.group(3);
        String body = new String(response.getBody().getBytes(), StandardCharsets.UTF_8);
        String typed = body.replaceFirst("\"apiVersion\"\\s*:\\s*\"v1\"\\s*,\\s*\"kind\"\\s*:\\s*\"List\"",
            Matcher.quoteReplacement("\"apiVersion\":\"" + apiVersion + "\",\"kind\":\"" + KINDS.get(m.group(4)) + "List\""));
        if (!typed.equals(body)) {
          response.setBody(typed);
        }
      }
      return response;
    }

    private MockResponse bench(String path) {
      if (path.startsWith("/_bench/reset")) {
        counts.clear();
        return new MockResponse().setResponseCode(200).setBody("reset");
      }
      Map<String, Long> sorted = new TreeMap<>();
      counts.forEach((k, v) -> sorted.put(k, v.sum()));
      long total = sorted.values().stream().mapToLong(Long::longValue).sum();
      String body = total + " " + sorted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
      return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain").setBody(body);
    }

    /** "GET deployments", "LIST replicasets", "PATCH deployments", "WATCH …", "GET /version"… */
    static String classify(String method, String path) {
      Matcher m = RESOURCE_PATH.matcher(path);
      if (!m.matches() || !KINDS.containsKey(m.group(4))) {
        return method + " " + path.replaceFirst("\\?.*", "");
      }
      String what = m.group(4) + (m.group(6) == null ? "" : m.group(6));
      if ("GET".equals(method)) {
        if (path.contains("watch=true")) {
          return "WATCH " + what;
        }
        return (m.group(5) == null ? "LIST " : "GET ") + what;
      }
      return method + " " + what;
    }
  }
}
