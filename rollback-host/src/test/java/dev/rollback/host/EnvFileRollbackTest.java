package dev.rollback.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.rollback.core.CompensationOutcome;
import dev.rollback.core.CompensationRecord;
import dev.rollback.core.ErrorCode;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.Step;
import dev.rollback.core.journal.RunJournal;
import dev.rollback.testkit.FakeRollbackLock;
import dev.rollback.testkit.ManualClock;
import dev.rollback.testkit.ManualSleeper;
import dev.rollback.testkit.RecordingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Env-file rollback on a real file system: the saved copy comes back, and no value leaks anywhere. */
class EnvFileRollbackTest {
  private static final String LIVE_130 = "# v1.3.0\nDB_PASSWORD=n3w-s3cret-130\nexport API_TOKEN=\"tok-130-abcdef\"\nFEATURE_X=on\n";
  private static final String SAVED_129 = "# v1.2.9\nDB_PASSWORD=old-s3cret-129\nAPI_TOKEN=tok-129-zyxwvu\n";
  private static final String SAVED_OLDER = "DB_PASSWORD=ancient-pass-0001\n";
  private static final List<String> LONG_VALUES =
      List.of("n3w-s3cret-130", "tok-130-abcdef", "old-s3cret-129", "tok-129-zyxwvu", "ancient-pass-0001");
  private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

  @TempDir Path tmp;

  private final ManualClock clock = ManualClock.startingAt(Instant.parse("2026-11-28T11:00:00Z"));
  private final RecordingListener events = new RecordingListener();
  private Path env;
  private Path journalDir;
  private RollbackRunner runner;

  @BeforeEach
  void liveEnvFileOfV130WithSavedCopiesOfEarlierVersions() throws IOException {
    env = tmp.resolve("etc/checkout/app.env");
    Files.createDirectories(env.getParent());
    Files.writeString(env, LIVE_130);
    Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(env.resolveSibling("app.env.pre-rollback-20261120-090000"), SAVED_129);
    Files.writeString(env.resolveSibling("app.env.pre-rollback-20261001-090000"), SAVED_OLDER);
    journalDir = tmp.resolve("journal");
    runner = RollbackRunner.builder().clock(clock).sleeper(new ManualSleeper(clock)).journal(RunJournal.directory(journalDir))
        .lock(new FakeRollbackLock(clock)).listener(events).build();
  }

  private RollbackPlan.Builder plan() {
    return RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9");
  }

  @Test
  void restoresTheNewestSavedCopyKeepsTheModeAndRecordsOnlyKeyNames() throws Exception {
    RollbackResult result = runner.run(plan().step(EnvFileRollback.builder("restore-env").envFile(env).build()).build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(env).hasContent(SAVED_129);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(env))).isEqualTo("rw-------");
    assertThat(env.resolveSibling("app.env.pre-rollback-20261128-110000")).hasContent(LIVE_130);
    assertThat(result.timeline()).filteredOn(e -> "env".equals(e.facts().get("kind"))).singleElement().satisfies(e -> {
      assertThat(e.facts()).containsEntry("keys", "DB_PASSWORD,API_TOKEN").containsEntry("keyCount", "2")
          .containsEntry("changedKeys", "API_TOKEN,DB_PASSWORD,FEATURE_X").containsEntry("action", "replaced");
    });
    // The step itself never writes a value, even without the values declared as secrets.
    assertNoValueIn(everythingRecorded(result));
  }

  @Test
  void compensationPutsTheEnvFileBackAndValuesStayOutOfResultEventsAndJournal() throws Exception {
    RollbackPlan.Builder plan = plan();
    assertThat(EnvFileRollback.declareValuesAsSecrets(plan, env)).isEqualTo(5);
    Step failing = Step.builder("db-check", Phase.VALIDATE).execute(ctx -> {
      throw new IllegalStateException("login refused for password old-s3cret-129");
    }).build();

    RollbackResult result = runner.run(plan.step(EnvFileRollback.builder("restore-env").envFile(env).build()).step(failing).build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.compensations()).extracting(CompensationRecord::stepId, CompensationRecord::outcome)
        .contains(tuple("restore-env", CompensationOutcome.COMPENSATED));
    assertThat(env).hasContent(LIVE_130);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(env))).isEqualTo("rw-------");
    assertThat(result.failure()).contains("login refused for password ****");
    assertNoValueIn(everythingRecorded(result));
  }

  @Test
  void anExplicitSavedCopyWinsAndAMissingOneFailsNamingThePath() throws Exception {
    Path explicit = tmp.resolve("saved/app.env.v1.2.8");
    Files.createDirectories(explicit.getParent());
    Files.writeString(explicit, SAVED_OLDER);
    assertThat(runner.run(plan().step(EnvFileRollback.builder("restore-env").envFile(env).restoreFrom(explicit).build()).build())
        .outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(env).hasContent(SAVED_OLDER);

    Path lonely = tmp.resolve("other/app.env");
    Files.createDirectories(lonely.getParent());
    Files.writeString(lonely, LIVE_130);
    RollbackResult failed = runner.run(plan().step(EnvFileRollback.builder("restore-env").envFile(lonely).build()).build());
    assertThat(failed.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(failed.failure()).contains("no saved copy of " + lonely).contains("restoreFrom(path)");
    assertThat(lonely).hasContent(LIVE_130);
  }

  @Test
  void theBuilderReportsEveryProblemAtOnce() {
    assertThatThrownBy(() -> EnvFileRollback.builder("").build())
        .isInstanceOfSatisfying(RollbackException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
          assertThat(e.problems()).hasSize(2);
          assertThat(e.getMessage()).contains("id must not be blank").contains("envFile must be set");
        });
  }

  private String everythingRecorded(RollbackResult result) throws IOException {
    StringBuilder all = new StringBuilder(JSON.writeValueAsString(result)).append(result);
    for (Object e : events.events()) {
      all.append(JSON.writeValueAsString(e)).append(e);
    }
    try (Stream<Path> files = Files.walk(journalDir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f)) {
          all.append(Files.readString(f));
        }
      }
    }
    return all.toString();
  }

  private static void assertNoValueIn(String recorded) {
    assertThat(recorded).contains("DB_PASSWORD");
    for (String v : LONG_VALUES) {
      assertThat(recorded).doesNotContain(v);
    }
  }
}
