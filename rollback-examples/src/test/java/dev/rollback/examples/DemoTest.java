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

    RollbackResult result = Demo.run(dir, new PrintStream(out, true, StandardCharsets.UTF_8));

    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(result.fromVersion()).isEqualTo("v1.3.0");
    assertThat(result.toVersion()).isEqualTo("v1.2.9");
    assertThat(result.steps()).extracting(s -> s.outcome()).containsOnly(StepOutcome.SUCCEEDED);
    assertThat(result.steps()).extracting(s -> s.stepId()).startsWith("assess", "open-incident", "verify-current-version", "verify-target")
        .endsWith("status-update", "incident-report");
    assertThat(result.timeline().get(0).message()).startsWith("target v1.2.9: v1.2.9 is the newest version older than v1.3.0")
        .contains("skipped v1.2.10").contains("ended FAILED");
    assertThat(result.timeline()).anySatisfy(t -> {
      assertThat(t.message()).isEqualTo("decision: ROLLBACK");
      assertThat(t.facts().get("rationale")).contains("error rate of 38.00% is above the threshold of 5.00%");
    });
    assertThat(result.timeline()).anySatisfy(t -> assertThat(t.message()).isEqualTo("severity SEV1: 38% of checkouts fail"));
    assertThat(Files.readString(dir.resolve("releases.json"))).contains("\"ROLLED_BACK\"");
    assertThat(printed)
        .contains("runs v1.3.0; /health says: unhealthy")
        .contains("Service now runs v1.2.9; /health says: ok")
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
