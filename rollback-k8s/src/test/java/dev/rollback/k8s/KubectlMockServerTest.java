package dev.rollback.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.command.CommandResult;
import org.junit.jupiter.api.Test;

/** The fixture itself: what kubectl needs from the mock server, one piece at a time. */
class KubectlMockServerTest {

  @Test
  void listsOfKnownResourcesGetTheirTypedKind() {
    assertThat(KubectlMockServer.JsonDispatcher.listKind("/apis/apps/v1/namespaces/a/replicasets?labelSelector=app%3Dweb"))
        .isEqualTo("ReplicaSetList");
    assertThat(KubectlMockServer.JsonDispatcher.listKind("/apis/apps/v1/deployments")).isEqualTo("DeploymentList");
    assertThat(KubectlMockServer.JsonDispatcher.listKind("/api/v1/namespaces")).isEqualTo("NamespaceList");
    assertThat(KubectlMockServer.JsonDispatcher.listKind("/api/v1/namespaces/a/pods?limit=500")).isEqualTo("PodList");
  }

  @Test
  void objectsWatchesAndUnknownResourcesKeepTheirBody() {
    assertThat(KubectlMockServer.JsonDispatcher.listKind("/apis/apps/v1/namespaces/a/deployments/web")).isNull();
    assertThat(KubectlMockServer.JsonDispatcher.listKind("/api/v1/namespaces/a")).isNull();
    assertThat(KubectlMockServer.JsonDispatcher.listKind("/apis/apps/v1/namespaces/a/deployments?watch=true")).isNull();
    assertThat(KubectlMockServer.JsonDispatcher.listKind("/apis/batch/v1/namespaces/a/jobs")).isNull();
  }

  @Test
  void kubectlDiscoversTheServerAndReadsTypedLists() {
    try (KubectlMockServer k = KubectlMockServer.startOrSkip()) {
      ControllerLikeObjects.create(k.client(), "fixture");

      CommandResult version = k.kubectl("version");
      CommandResult names = k.kubectl("-n", "fixture", "get", "deployments,replicasets", "-o", "name");

      assertThat(version.succeeded()).as(version.summary()).isTrue();
      assertThat(version.output()).contains("Server Version: " + KubectlMockServer.SERVER_VERSION);
      assertThat(names.succeeded()).as(names.summary()).isTrue();
      assertThat(names.output().lines()).contains("deployment.apps/web", "replicaset.apps/web-" + ControllerLikeObjects.HASHES[1],
          "replicaset.apps/web-orphan");
      assertThat(k.requests()).contains("GET /apis/apps/v1" + Discovery.KUBECTL_QUERY, "GET /api" + Discovery.KUBECTL_QUERY);
    }
  }
}
