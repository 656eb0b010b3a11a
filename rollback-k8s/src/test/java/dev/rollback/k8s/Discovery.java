package dev.rollback.k8s;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The discovery documents kubectl reads before anything else ({@code /api}, {@code /apis},
 * {@code /api/v1}, {@code /apis/apps/v1}, and {@code /version} with a query), for the mock
 * server, where nothing serves them.
 */
final class Discovery {
  /** The query kubectl adds to discovery requests; expectations match the path exactly. */
  static final String KUBECTL_QUERY = "?timeout=32s";

  /** Resource (plural) to kind, for the resources served here. */
  static final Map<String, String> KINDS;

  private static final List<Resource> CORE = List.of(
      new Resource("pods", "Pod", true, "po"),
      new Resource("services", "Service", true, "svc"),
      new Resource("configmaps", "ConfigMap", true, "cm"),
      new Resource("secrets", "Secret", true, null),
      new Resource("events", "Event", true, "ev"),
      new Resource("namespaces", "Namespace", false, "ns"));

  private static final List<Resource> APPS = List.of(
      new Resource("deployments", "Deployment", true, "deploy"),
      new Resource("replicasets", "ReplicaSet", true, "rs"),
      new Resource("statefulsets", "StatefulSet", true, "sts"),
      new Resource("daemonsets", "DaemonSet", true, "ds"),
      new Resource("controllerrevisions", "ControllerRevision", true, null));

  static {
    Map<String, String> kinds = new LinkedHashMap<>();
    CORE.forEach(r -> kinds.put(r.plural, r.kind));
    APPS.forEach(r -> kinds.put(r.plural, r.kind));
    KINDS = Map.copyOf(kinds);
  }

  private Discovery() {}

  /**
   * Registers the discovery documents as expectations, each path bare and with kubectl's query,
   * and {@code /version} with the queries kubectl and its Google Cloud SDK dispatcher add.
   *
   * @param server a mock server with a mixed dispatcher
   * @param gitVersion the server version to report, such as {@code v1.32.4}
   */
  static void expect(KubernetesMockServer server, String gitVersion) {
    String[] v = gitVersion.replaceFirst("^v", "").split("\\.");
    String version = "{\"major\":\"" + v[0] + "\",\"minor\":\"" + v[1] + "\",\"gitVersion\":\"" + gitVersion
        + "\",\"gitCommit\":\"0000000000000000000000000000000000000000\",\"gitTreeState\":\"clean\","
        + "\"buildDate\":\"2025-04-22T16:03:16Z\",\"goVersion\":\"go1.23.8\",\"compiler\":\"gc\",\"platform\":\"linux/amd64\"}";
    // The mock answers the bare /version itself; Google Cloud SDK's kubectl dispatcher asks with ?timeout=5s.
    server.expect().get().withPath("/version?timeout=5s").andReturn(200, version).always();
    server.expect().get().withPath("/version" + KUBECTL_QUERY).andReturn(200, version).always();
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
      server.expect().get().withPath(path + KUBECTL_QUERY).andReturn(200, json).always();
    });
  }

  private static String resourceList(String groupVersion, List<Resource> resources) {
    String items = resources.stream().map(Resource::json).collect(Collectors.joining(","));
    return "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"" + groupVersion
        + "\",\"resources\":[" + items + "]}";
  }

  private record Resource(String plural, String kind, boolean namespaced, @Nullable String shortName) {
    String json() {
      String singular = kind.toLowerCase(java.util.Locale.ROOT);
      return "{\"name\":\"" + plural + "\",\"singularName\":\"" + singular + "\",\"namespaced\":" + namespaced
          + ",\"kind\":\"" + kind + "\",\"verbs\":[\"create\",\"delete\",\"deletecollection\",\"get\",\"list\","
          + "\"patch\",\"update\",\"watch\"]"
          + (shortName == null ? "" : ",\"shortNames\":[\"" + shortName + "\"]") + "}";
    }
  }
}
