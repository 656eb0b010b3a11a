package dev.rollback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.RunOutcome;
import dev.rollback.core.StepOutcome;
import dev.rollback.k8s.PodDiagnosis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KubernetesRollbackExampleTest {

  @Test
  void theExampleUndoesTheCrashLoopingV130ToV129AndWaitsUntilEveryReplicaIsReady() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    KubernetesRollbackExample.Outcome outcome = KubernetesRollbackExample.run(new PrintStream(out, true, StandardCharsets.UTF_8));

    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(outcome.result().outcome()).as(outcome.result().failureMessage().orElse("")).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(outcome.readyOnTarget()).as("the Deployment runs v1.2.9 with 3/3 ready afterwards").isTrue();
    assertThat(outcome.runningAfter()).isEqualTo("v1.2.9");
    assertThat(outcome.result().fromVersion()).isEqualTo("v1.3.0");
    assertThat(outcome.result().toVersion()).isEqualTo("v1.2.9");
    assertThat(outcome.result().step("platform-rollback-kubernetes")).hasValueSatisfying(s -> {
      assertThat(s.outcome()).isEqualTo(StepOutcome.SUCCEEDED);
      assertThat(s.facts()).containsEntry("from", "v1.3.0").containsEntry("to", "v1.2.9").containsEntry("pods", "3");
    });
    // Before the rollback, v1.3.0's rollout hung on its first new pod, seen crash-looping with its log.
    assertThat(outcome.diagnosedBefore()).hasSize(1).allSatisfy(d -> {
      assertThat(d.ready()).isFalse();
      assertThat(d.reason()).isEqualTo("CrashLoopBackOff");
      assertThat(d.logTail()).contains(KubernetesRollbackExample.CRASH_LOG);
    });
    assertThat(printed)
        .contains("kubectl rollout history deployment/checkout:")
        .contains("Progressing=False ProgressDeadlineExceeded")
        .contains("not ready: CrashLoopBackOff")
        .contains("log: " + KubernetesRollbackExample.CRASH_LOG)
        .contains("platform-rollback-kubernetes")                        // ConsoleProgress lines of the run
        .contains("deployment/checkout: 3/3 updated, 3/3 available")
        .contains("Result: SUCCEEDED v1.3.0 -> v1.2.9")
        .contains("checkout now runs v1.2.9: 3/3 ready");
    assertThat(outcome.diagnosedBefore()).extracting(PodDiagnosis::summary).allSatisfy(s -> assertThat(printed).contains(s));
  }
}
