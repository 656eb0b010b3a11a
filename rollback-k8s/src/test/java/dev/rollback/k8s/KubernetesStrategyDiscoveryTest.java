package dev.rollback.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.strategy.RollbackStrategy;
import dev.rollback.core.strategy.Strategies;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The "kubernetes" provider is found by name, and names every bad setting. */
class KubernetesStrategyDiscoveryTest {

  @Test
  void theKubernetesStrategyIsFoundByName() {
    assertThat(Strategies.available()).contains("kubernetes");
  }

  @Test
  void settingsMakeATypedStrategy() {
    RollbackStrategy s = Strategies.load("kubernetes", Map.of(
        "deployment", "checkout", "namespace", "prod", "container", "app", "rolloutTimeout", "PT3M"));

    assertThat(s).isInstanceOf(KubernetesRollback.class);
    KubernetesRollback k8s = (KubernetesRollback) s;
    assertThat(k8s.name()).isEqualTo("kubernetes");
    assertThat(k8s.workload()).isEqualTo("deployment/checkout");
    assertThat(k8s.namespace()).isEqualTo("prod");
    assertThat(k8s.convergenceTimeout()).isEqualTo(Duration.ofMinutes(3));
  }

  @Test
  void kindAndNameWorkAsWellAsShortNames() {
    KubernetesRollback sts = (KubernetesRollback) Strategies.load("kubernetes", Map.of("kind", "sts", "name", "ledger", "namespace", "data"));
    KubernetesRollback ds = (KubernetesRollback) Strategies.load("kubernetes", Map.of("daemonset", "agent", "rolloutTimeout", "90"));

    assertThat(sts.kind()).isEqualTo(WorkloadKind.STATEFUL_SET);
    assertThat(sts.workload()).isEqualTo("statefulset/ledger");
    assertThat(ds.workload()).isEqualTo("daemonset/agent");
    assertThat(ds.convergenceTimeout()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void aMissingWorkloadIsNamedWithAnExample() {
    assertThatThrownBy(() -> Strategies.load("kubernetes", Map.of("namespace", "prod")))
        .isInstanceOf(RollbackException.class)
        .hasMessage("invalid settings for strategy 'kubernetes': the workload is missing: set deployment=NAME, statefulset=NAME or "
            + "daemonset=NAME (or kind and name), e.g. deployment=checkout");
  }

  @Test
  void everyBadSettingIsReportedAtOnce() {
    assertThatThrownBy(() -> Strategies.load("kubernetes", Map.of(
            "deployment", "checkout", "statefulset", "ledger", "namespce", "prod", "resumeIfPaused", "yes",
            "rolloutTimeout", "five minutes", "toRevision", "two", "namespace", "Prod")))
        .isInstanceOf(RollbackException.class)
        .satisfies(e -> {
          RollbackException re = (RollbackException) e;
          assertThat(re.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
          assertThat(re.problems()).containsExactlyInAnyOrder(
              "unknown setting 'namespce' (did you mean 'namespace'?): the kubernetes strategy knows [container, context, daemonset, "
                  + "deployment, kind, logLines, name, namespace, pollInterval, resumeIfPaused, resyncInterval, rollbackByImage, "
                  + "rolloutTimeout, statefulset, toRevision, updateLastAppliedConfiguration] and image.<container>",
              "settings [deployment, statefulset] each name a workload: set exactly one of deployment, statefulset, daemonset or name",
              "setting 'toRevision' must be a whole number, but was 'two'",
              "setting 'resumeIfPaused' must be true or false, but was 'yes'",
              "setting 'rolloutTimeout' must be ISO-8601 (PT5M) or seconds (300), but was 'five minutes'",
              "namespace must be a DNS label (lower-case letters, digits and '-'), but was 'Prod': e.g. 'prod'");
        });
  }

  @Test
  void anUnknownKindIsNamed() {
    assertThatThrownBy(() -> Strategies.load("kubernetes", Map.of("kind", "cronjob", "name", "nightly")))
        .hasMessageContaining("setting 'kind' must be deployment, statefulset or daemonset, but was 'cronjob'");
  }

  @Test
  void aContextTheKubeconfigDoesNotHaveIsNamed() {
    assertThatThrownBy(() -> Strategies.load("kubernetes", Map.of("deployment", "checkout", "context", "no-such-context-here")))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("setting 'context' names 'no-such-context-here', which the kubeconfig does not have; contexts: ");
  }
}
