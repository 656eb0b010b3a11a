package dev.rollback.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollback.core.command.CommandResult;
import dev.rollback.testkit.DetachedStepContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The issue's must-show: the Deployment this module's undo leaves is the one the real
 * {@code kubectl rollout undo} leaves for the same objects.
 *
 * <p>Each case builds the same three-revision Deployment with its ReplicaSets
 * ({@link ControllerLikeObjects}) in two namespaces of one mock server, runs kubectl on one and the
 * library on the other, and compares the results field by field: the whole {@code spec} (so
 * {@code spec.template}: labels without {@code pod-template-hash}, annotations, containers), the
 * Deployment's labels and its annotations (kubectl keeps some keys from the Deployment, takes the
 * rest from the ReplicaSet, drops the others). kubectl's result is also checked against the
 * revision's template as built, so a fixture that kubectl silently misread cannot pass.
 *
 * <p>Needs {@code kubectl} on the PATH; skipped with a message otherwise.
 */
@DisplayName("undo and history equal kubectl's for the same objects")
class KubectlUndoEquivalenceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger CASES = new AtomicInteger();
  private static KubectlMockServer kubectl;

  @BeforeAll
  static void startServer() {
    if (KubectlMockServer.findKubectl().isPresent()) {
      kubectl = KubectlMockServer.startOrSkip();
    }
  }

  @BeforeEach
  void needsKubectl() {
    KubectlMockServer.assumeKubectl();
  }

  @AfterAll
  static void stopServer() {
    if (kubectl != null) {
      kubectl.close();
    }
  }

  @Test
  void undoToThePreviousRevisionLeavesTheDeploymentKubectlLeaves() throws Exception {
    Pair pair = pair();

    kubectl.clearRequests();
    CommandResult byKubectl = kubectl.kubectl("-n", pair.kubectlSide, "rollout", "undo", "deployment/" + ControllerLikeObjects.NAME);
    assertThat(byKubectl.succeeded()).as(byKubectl.summary()).isTrue();
    assertThat(byKubectl.output()).contains("deployment.apps/web rolled back");
    List<String> kubectlRequests = apiRequests();
    UndoResult result = LibraryUndo.undo(kubectl.client(), pair.librarySide, OptionalLong.empty());
    List<String> libraryRequests = apiRequests();
    assertThat(result.changed()).isTrue();
    assertThat(result.fromRevision()).isEqualTo(3);
    assertThat(result.toRevision()).isEqualTo(2);
    // kubectl: GET (resource builder), GET (rollbacker), LIST ReplicaSets by selector, PATCH.
    assertThat(kubectlRequests).hasSize(4);
    assertThat(libraryRequests)
        .as("the library's requests, at most kubectl's")
        .hasSizeLessThanOrEqualTo(kubectlRequests.size())
        .allSatisfy(r -> assertThat(r).matches("(GET|PATCH) /apis/apps/v1/namespaces/library-\\d+/deployments/web"
            + "|GET /apis/apps/v1/namespaces/library-\\d+/replicasets\\?labelSelector=app%3Dweb"));

    Deployment expected = deployment(pair.kubectlSide);
    Deployment actual = deployment(pair.librarySide);
    assertKubectlRestored(expected, 2);
    assertSameResult(actual, expected);
    assertThat(actual.getMetadata().getAnnotations())
        .containsEntry("kubernetes.io/change-cause", "deploy web 1.2.0")
        .containsEntry("example.com/audit", "ticket-42");
  }

  @Test
  void undoToRevisionOneLeavesTheDeploymentKubectlLeaves() throws Exception {
    Pair pair = pair();

    CommandResult byKubectl = kubectl.kubectl("-n", pair.kubectlSide, "rollout", "undo", "deployment/" + ControllerLikeObjects.NAME,
        "--to-revision=1");
    assertThat(byKubectl.succeeded()).as(byKubectl.summary()).isTrue();
    UndoResult result = LibraryUndo.undo(kubectl.client(), pair.librarySide, OptionalLong.of(1));
    assertThat(result.toRevision()).isEqualTo(1);

    Deployment expected = deployment(pair.kubectlSide);
    Deployment actual = deployment(pair.librarySide);
    assertKubectlRestored(expected, 1);
    assertSameResult(actual, expected);
    // Revision 1 has no change cause: kubectl's replace leaves the Deployment without one.
    assertThat(actual.getMetadata().getAnnotations()).doesNotContainKey("kubernetes.io/change-cause");
  }

  @Test
  void undoingAgainIsSkippedByBothWhenTheTemplateAlreadyMatches() throws Exception {
    Pair pair = pair();
    assertThat(kubectl.kubectl("-n", pair.kubectlSide, "rollout", "undo", "deployment/web").succeeded()).isTrue();
    LibraryUndo.undo(kubectl.client(), pair.librarySide, OptionalLong.empty());
    Deployment kubectlBefore = deployment(pair.kubectlSide);
    Deployment libraryBefore = deployment(pair.librarySide);

    // No controller bumped the revision, so "previous" is revision 2 again: the template it runs.
    CommandResult byKubectl = kubectl.kubectl("-n", pair.kubectlSide, "rollout", "undo", "deployment/web");
    UndoResult result = LibraryUndo.undo(kubectl.client(), pair.librarySide, OptionalLong.empty());

    assertThat(byKubectl.succeeded()).as(byKubectl.summary()).isTrue();
    // kubectl names the revision asked for, and "previous" is 0 to it.
    assertThat(byKubectl.output()).contains("deployment.apps/web skipped rollback (current template already matches revision 0)");
    assertThat(result.changed()).isFalse();
    assertThat(result.message()).contains("skipped rollback").contains("current template already matches revision 2");
    assertThat(deployment(pair.kubectlSide).getMetadata().getResourceVersion()).isEqualTo(kubectlBefore.getMetadata().getResourceVersion());
    assertThat(deployment(pair.librarySide).getMetadata().getResourceVersion()).isEqualTo(libraryBefore.getMetadata().getResourceVersion());
    assertSameResult(deployment(pair.librarySide), deployment(pair.kubectlSide));
  }

  @Test
  void bothRefuseAPausedDeploymentAndLeaveItAlone() throws Exception {
    Pair pair = pair();
    for (String ns : List.of(pair.kubectlSide, pair.librarySide)) {
      kubectl.client().apps().deployments().inNamespace(ns).withName("web").edit(d -> {
        d.getSpec().setPaused(true);
        return d;
      });
    }
    Deployment kubectlBefore = deployment(pair.kubectlSide);

    CommandResult byKubectl = kubectl.kubectl("-n", pair.kubectlSide, "rollout", "undo", "deployment/web");

    assertThat(byKubectl.succeeded()).isFalse();
    assertThat(byKubectl.output()).contains("you cannot rollback a paused deployment");
    assertThatThrownBy(() -> LibraryUndo.undo(kubectl.client(), pair.librarySide, OptionalLong.empty()))
        .hasMessageContaining("paused");
    assertThat(deployment(pair.kubectlSide).getMetadata().getResourceVersion()).isEqualTo(kubectlBefore.getMetadata().getResourceVersion());
    assertThat(tree(deployment(pair.librarySide).getSpec().getTemplate())).isEqualTo(tree(ControllerLikeObjects.template(3, null)));
  }

  @Test
  void bothRefuseARevisionThatIsNotInTheHistory() throws Exception {
    Pair pair = pair();

    // 7 and 8 exist only on ReplicaSets this Deployment does not control.
    CommandResult byKubectl = kubectl.kubectl("-n", pair.kubectlSide, "rollout", "undo", "deployment/web", "--to-revision=7");

    assertThat(byKubectl.succeeded()).isFalse();
    assertThat(byKubectl.output()).contains("unable to find specified revision 7 in history");
    assertThatThrownBy(() -> LibraryUndo.undo(kubectl.client(), pair.librarySide, OptionalLong.of(7)))
        .hasMessageContaining("7");
    assertThat(tree(deployment(pair.kubectlSide).getSpec().getTemplate())).isEqualTo(tree(ControllerLikeObjects.template(3, null)));
    assertThat(tree(deployment(pair.librarySide).getSpec().getTemplate())).isEqualTo(tree(ControllerLikeObjects.template(3, null)));
  }

  @Test
  void historyListsTheRevisionsAndChangeCausesKubectlLists() throws Exception {
    Pair pair = pair();

    CommandResult byKubectl = kubectl.kubectl("-n", pair.kubectlSide, "rollout", "history", "deployment/" + ControllerLikeObjects.NAME);
    assertThat(byKubectl.succeeded()).as(byKubectl.summary()).isTrue();
    Map<Long, String> kubectlHistory = parseHistory(byKubectl.output());
    assertThat(kubectlHistory).containsExactly(Map.entry(1L, "<none>"), Map.entry(2L, "deploy web 1.2.0"), Map.entry(3L, "deploy web 1.3.0"));

    assertThat(LibraryUndo.history(kubectl.client(), pair.librarySide)).isEqualTo(kubectlHistory);
  }

  /** kubectl's result against the fixture itself: the revision's template, the expected annotations. */
  private static void assertKubectlRestored(Deployment byKubectl, int revision) throws Exception {
    assertThat(tree(byKubectl.getSpec().getTemplate()))
        .as("kubectl restored revision %d's template", revision)
        .isEqualTo(tree(ControllerLikeObjects.template(revision, null)));
    Map<String, String> annotations = byKubectl.getMetadata().getAnnotations();
    assertThat(annotations)
        .as("kubectl kept the Deployment's revision and last-applied configuration")
        .containsEntry("deployment.kubernetes.io/revision", "3")
        .containsEntry("kubectl.kubernetes.io/last-applied-configuration", ControllerLikeObjects.LAST_APPLIED_OF_DEPLOYMENT)
        .as("kubectl dropped the controller's bookkeeping and what only the Deployment had")
        .doesNotContainKeys("deployment.kubernetes.io/desired-replicas", "deployment.kubernetes.io/max-replicas",
            "deployment.kubernetes.io/revision-history", "example.com/deployment-only");
  }

  /** Field by field, with the JSON tree of each part: a difference names its path. */
  private static void assertSameResult(Deployment byLibrary, Deployment byKubectl) throws Exception {
    assertThat(byLibrary.getSpec().getTemplate().getMetadata().getLabels())
        .as("spec.template.metadata.labels")
        .doesNotContainKey("pod-template-hash")
        .isEqualTo(byKubectl.getSpec().getTemplate().getMetadata().getLabels());
    assertThat(byLibrary.getSpec().getTemplate().getMetadata().getAnnotations())
        .as("spec.template.metadata.annotations")
        .isEqualTo(byKubectl.getSpec().getTemplate().getMetadata().getAnnotations());
    assertThat(tree(byLibrary.getSpec().getTemplate().getSpec().getContainers()))
        .as("spec.template.spec.containers")
        .isEqualTo(tree(byKubectl.getSpec().getTemplate().getSpec().getContainers()));
    assertThat(tree(byLibrary.getSpec().getTemplate()))
        .as("spec.template")
        .isEqualTo(tree(byKubectl.getSpec().getTemplate()));
    assertThat(tree(byLibrary.getSpec())).as("spec").isEqualTo(tree(byKubectl.getSpec()));
    assertThat(byLibrary.getMetadata().getAnnotations())
        .as("metadata.annotations")
        .isEqualTo(byKubectl.getMetadata().getAnnotations());
    assertThat(byLibrary.getMetadata().getLabels()).as("metadata.labels").isEqualTo(byKubectl.getMetadata().getLabels());
  }

  /** kubectl's table: "REVISION  CHANGE-CAUSE", then one line per revision. */
  static Map<Long, String> parseHistory(String output) {
    Map<Long, String> revisions = new LinkedHashMap<>();
    Pattern row = Pattern.compile("^(\\d+)\\s+(.*?)\\s*$");
    boolean inTable = false;
    for (String line : output.split("\\R")) {
      if (line.startsWith("REVISION")) {
        inTable = true;
        continue;
      }
      Matcher m = row.matcher(line);
      if (inTable && m.matches()) {
        revisions.put(Long.parseLong(m.group(1)), m.group(2));
      }
    }
    return revisions;
  }

  /** @return the API requests since the last call (discovery and kubectl's /version excluded) */
  private static List<String> apiRequests() {
    List<String> all = kubectl.requests().stream().filter(r -> r.contains("/namespaces/")).toList();
    kubectl.clearRequests();
    return all;
  }

  private static Pair pair() {
    int n = CASES.incrementAndGet();
    Pair pair = new Pair("kubectl-" + n, "library-" + n);
    ControllerLikeObjects.create(kubectl.client(), pair.kubectlSide);
    ControllerLikeObjects.create(kubectl.client(), pair.librarySide);
    return pair;
  }

  private static Deployment deployment(String namespace) {
    KubernetesClient client = kubectl.client();
    return client.apps().deployments().inNamespace(namespace).withName(ControllerLikeObjects.NAME).get();
  }

  private static JsonNode tree(Object fabric8Model) throws Exception {
    return JSON.readTree(kubectl.client().getKubernetesSerialization().asJson(fabric8Model));
  }

  private record Pair(String kubectlSide, String librarySide) {}

  /** The library's side, in one place: the public API a runbook uses. */
  static final class LibraryUndo {
    private LibraryUndo() {}

    static UndoResult undo(KubernetesClient client, String namespace, OptionalLong toRevision) {
      return rollback(client, namespace).undo(toRevision.orElse(0), DetachedStepContext.builder().runId("kubectl-equivalence").service(ControllerLikeObjects.NAME).build());
    }

    /** @return revision to change cause, {@code <none>} when there is none: kubectl's table */
    static Map<Long, String> history(KubernetesClient client, String namespace) {
      Map<Long, String> revisions = new LinkedHashMap<>();
      for (WorkloadRevision r : rollback(client, namespace).history()) {
        revisions.put(r.revision(), r.changeCauseText().orElse("<none>"));
      }
      return revisions;
    }

    private static KubernetesRollback rollback(KubernetesClient client, String namespace) {
      return KubernetesRollback.deployment(ControllerLikeObjects.NAME).namespace(namespace).client(client).build();
    }
  }

}
