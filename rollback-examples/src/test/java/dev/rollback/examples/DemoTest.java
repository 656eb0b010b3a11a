package dev.rollback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.RollbackResult;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.StepOutcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {

  @Test
  void theDemoRollsTheBadReleaseBackOverHttpAndWritesJournalAndSummary(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    Demo.Outcome outcome = Demo.run(dir, 3, 600, new PrintStream(out, true, StandardCharsets.UTF_8));
    RollbackResult result = outcome.result();

    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(outcome.healthyOnTarget()).as("the service answers healthy on v1.2.9 afterwards").isTrue();
    // The host layout: current swapped to v1.2.9, the failed release kept for forensics, one rollback in the log.
    assertThat(Files.readSymbolicLink(dir.resolve("host/current")).toString()).isEqualTo("releases/v1.2.9");
    assertThat(Files.list(dir.resolve("host/releases")).map(p -> p.getFileName().toString()))
        .anySatisfy(n -> assertThat(n).startsWith("v1.3.0.failed-"));
    assertThat(Files.readString(dir.resolve("host/revisions.log"))).contains("rollback");
    // Config restored from the v1.2.9 tag, with a backup of what was there.
    assertThat(Files.readString(dir.resolve("etc/app.yaml"))).startsWith("version: v1.2.9");
    assertThat(Files.list(dir.resolve("etc")).map(p -> p.getFileName().toString()))
        .anySatisfy(n -> assertThat(n).startsWith("app.yaml.pre-rollback-"));
    // The child JVM was restarted by the supervised-process service control and stopped at the end.
    long pid = Long.parseLong(Files.readString(dir.resolve("service.pid")).strip());
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(result.fromVersion()).isEqualTo("v1.3.0");
    assertThat(result.toVersion()).isEqualTo("v1.2.9");
    assertThat(result.steps()).extracting(s -> s.outcome()).containsOnly(StepOutcome.SUCCEEDED);
    assertThat(result.steps()).extracting(s -> s.stepId()).startsWith("assess", "open-incident", "verify-current-version", "verify-target")
        .contains("symlink-swap", "symlink-restart", "symlink-ready", "restore-config")
        .endsWith("status-update", "incident-report", "symlink-clean-up");
    assertThat(result.timeline().get(0).message()).startsWith("target v1.2.9: v1.2.9 is the newest version older than v1.3.0")
        .contains("skipped v1.2.10").contains("ended FAILED");
    assertThat(result.timeline()).anySatisfy(t -> {
      assertThat(t.message()).isEqualTo("decision: ROLLBACK");
      assertThat(t.facts().get("rationale")).contains("error rate of 50.00% is above the threshold of 5.00%");
    });
    assertThat(result.timeline()).anySatisfy(t -> assertThat(t.message()).isEqualTo("severity SEV1: 38% of checkouts fail"));
    assertThat(Files.readString(dir.resolve("releases.json"))).contains("\"ROLLED_BACK\"");
    assertThat(printed)
        .contains("runs releases/v1.3.0; /version says v1.3.0")
        .contains("Service now runs v1.2.9 (current -> releases/v1.2.9); /health answers 200")
        .contains("monitor-window")
        .contains("Incident report: ");
    assertThat(Files.readString(dir.resolve("runs").resolve(result.runId() + ".jsonl"))).contains("\"type\":\"RUN_FINISHED\"");
    String md = Files.readString(dir.resolve("report").resolve(result.runId() + ".md"));
    assertThat(md).contains("checkout-api").contains("v1.3.0").contains("v1.2.9").contains("SUCCEEDED").contains("SEV1");
    assertThat(Files.readString(dir.resolve("report").resolve(result.runId() + ".html")))
        .contains("<svg").contains("error-rate").contains("rollback").contains("<circle");
    assertThat(Files.readString(dir.resolve("report").resolve(result.runId() + ".json"))).contains("\"schemaVersion\"");
    assertThat(printed).contains("OPENED [INC-").contains("RESOLVED [INC-");
  }
}
