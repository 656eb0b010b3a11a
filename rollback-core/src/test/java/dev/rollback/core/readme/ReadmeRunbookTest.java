package dev.rollback.core.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.FailureAction;
import dev.rollback.core.Phase;
import dev.rollback.core.RetryPolicy;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.Step;
import dev.rollback.core.StepPolicy;
import dev.rollback.core.StepResult;
import dev.rollback.core.event.ConsoleProgress;
import dev.rollback.core.journal.RunJournal;
import dev.rollback.core.lock.RollbackLock;
import dev.rollback.core.support.TestClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runbook shown in the README, run for real; a second test keeps the README's copy identical. */
class ReadmeRunbookTest {

  /** Stands in for a load balancer: which backends are drained. */
  static final class LoadBalancer {
    final Map<String, Boolean> drained = new ConcurrentHashMap<>();

    void drain(String backend) {
      drained.put(backend, true);
    }

    void undrain(String backend) {
      drained.put(backend, false);
    }
  }

  /** Stands in for the platform: the version it runs. */
  static final class Platform {
    volatile String running = "v1.3.0";
    int healthChecks;

    void deploy(String version) {
      running = version;
    }

    boolean healthy() {
      return ++healthChecks >= 2; // the first check comes too early
    }
  }

  @Test
  void theReadmeRunbookRollsBackAndReportsProgress(@TempDir Path dir) {
    LoadBalancer lb = new LoadBalancer();
    Platform platform = new Platform();
    TestClock clock = TestClock.create();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream console = new PrintStream(out, true, StandardCharsets.UTF_8);

    // README-BEGIN
    RollbackPlan plan = RollbackPlan.builder("checkout-api")
        .currentVersion(() -> platform.running)                  // or an HTTP version probe
        .target("v1.2.9")
        .step(Step.builder("drain-blue", Phase.TRAFFIC_DRAIN)
            .execute(ctx -> { lb.drain("blue"); return StepResult.succeeded("blue drained"); })
            .compensate(ctx -> { lb.undrain("blue"); return StepResult.succeeded("blue back"); })
            .idempotent(true)
            .build())
        .step(Step.builder("deploy-previous", Phase.PLATFORM_ROLLBACK)
            .execute(ctx -> { platform.deploy(ctx.toVersion()); return StepResult.succeeded(); })
            .build())
        .step(Step.builder("health", Phase.VALIDATE)
            .execute(ctx -> {
              if (!platform.healthy()) throw new IOException("GET /health: 503");
              return StepResult.succeeded("healthy on " + ctx.toVersion());
            })
            .build(),
            StepPolicy.custom()
                .retry(RetryPolicy.custom().maxAttempts(5).backoff(Duration.ofSeconds(2), 2, Duration.ofSeconds(30)).build())
                .onFailure(FailureAction.ABORT)                  // undo drain-blue, then stop
                .build())
        .step(Step.builder("undrain-blue", Phase.TRAFFIC_RESTORE)
            .execute(ctx -> { lb.undrain("blue"); return StepResult.succeeded(); })
            .build())
        .step(Step.builder("watch", Phase.MONITOR)
            .execute(ctx -> { ctx.sleep(Duration.ofMinutes(15)); return StepResult.succeeded("quiet"); })
            .build())
        .build();

    RollbackRunner runner = RollbackRunner.builder()
        .journal(RunJournal.directory(dir.resolve("runs")))          // durable: resume after a crash
        .lock(RollbackLock.directory(dir.resolve("locks"), clock))   // one rollback per service
        .clock(clock).sleeper(clock.sleeper())                       // tests compress the 15 minutes
        .listener(new ConsoleProgress(console))
        .build();
    RollbackResult result = runner.run(plan);
    // README-END

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(platform.running).isEqualTo("v1.2.9");
    assertThat(lb.drained).containsEntry("blue", false);
    assertThat(result.step("health")).hasValueSatisfying(s -> assertThat(s.attempts()).isEqualTo(2));
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("checkout-api v1.3.0 -> v1.2.9 (5 steps)")
        .contains("FAIL health attempt 1")
        .contains("SUCCEEDED after 15 min 2 s");
  }

  @Test
  void theReadmeShowsExactlyTheRunbookAbove() throws IOException {
    List<String> test = between(Files.readAllLines(Path.of("src/test/java/dev/rollback/core/readme/ReadmeRunbookTest.java")));
    List<String> readme = javaBlockAfter("## A first runbook", Files.readAllLines(Path.of("../README.md")));
    assertThat(readme).as("README.md runbook block; copy it from ReadmeRunbookTest").isEqualTo(test);
  }

  private static List<String> javaBlockAfter(String heading, List<String> lines) {
    List<String> out = new ArrayList<>();
    int i = lines.indexOf(heading);
    assertThat(i).as("README heading " + heading).isNotNegative();
    while (!lines.get(i).equals("```java")) {
      i++;
    }
    for (i++; !lines.get(i).equals("```"); i++) {
      out.add(lines.get(i).strip());
    }
    return out;
  }

  private static List<String> between(List<String> lines) {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String l : lines) {
      if (l.contains("README-END")) {
        break;
      }
      if (in) {
        out.add(l.strip());
      }
      if (l.contains("README-BEGIN")) {
        in = true;
      }
    }
    assertThat(out).as("marked block").isNotEmpty();
    return out;
  }
}
