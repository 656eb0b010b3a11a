package dev.rollback.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.rollback.core.CompensationOutcome;
import dev.rollback.core.CompensationRecord;
import dev.rollback.core.ErrorCode;
import dev.rollback.core.Phase;
import dev.rollback.core.ResumeDecision;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.Step;
import dev.rollback.core.StepOutcome;
import dev.rollback.core.StepResult;
import dev.rollback.core.TimelineEntry;
import dev.rollback.core.journal.JournalEntry;
import dev.rollback.core.journal.JournalEntryType;
import dev.rollback.core.journal.JournalWriter;
import dev.rollback.core.journal.RunJournal;
import dev.rollback.core.version.GitVersionCatalog;
import dev.rollback.testkit.FakeRollbackLock;
import dev.rollback.testkit.ManualClock;
import dev.rollback.testkit.ManualSleeper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config rollback against a real git repository (tags v1.2.9 and v1.3.0 made with the git CLI), a
 * real config folder, real validation and reload commands, through a real {@link RollbackRunner}.
 */
class ConfigRollbackTest {
  private static final String APP_129 = "version=1.2.9\nvalid=true\nworkers=4\n";
  private static final String APP_130 = "version=1.3.0\nvalid=true\nworkers=8\nnew_feature=on\n";
  private static final String UPSTREAM_129 = "upstream app { server 10.0.0.1:8080; }\n";
  private static final String UPSTREAM_130 = "upstream app { server 10.0.0.2:9090; }\n";
  private static final String SAME = "log_level=info\n";
  private static final String EXTRA_130 = "cache=on\n";
  private static final String STAMP = "20261128-110000";

  @TempDir Path tmp;

  private final ManualClock clock = ManualClock.startingAt(Instant.parse("2026-11-28T11:00:00Z"));
  private GitVersionCatalog catalog;
  private Path live;
  private Path marker;
  private RunJournal journal;
  private RollbackRunner runner;

  @BeforeEach
  void repositoryWithTwoReleasesAndALiveFolderOnTheNewerOne() throws IOException {
    ConfigGitRepo repo = ConfigGitRepo.init(tmp.resolve("repo"));
    repo.write("README.md", "service\n")
        .write("deploy/config/app.conf", APP_129)
        .write("deploy/config/conf.d/upstream.conf", UPSTREAM_129)
        .write("deploy/config/same.conf", SAME)
        .commitAndTag("v1.2.9");
    repo.write("deploy/config/app.conf", APP_130)
        .write("deploy/config/conf.d/upstream.conf", UPSTREAM_130)
        .write("deploy/config/extra.conf", EXTRA_130)
        .commitAndTag("v1.3.0");
    catalog = GitVersionCatalog.open(repo.dir());

    live = tmp.resolve("etc/app");
    write(live.resolve("app.conf"), APP_130);
    Files.setPosixFilePermissions(live.resolve("app.conf"), PosixFilePermissions.fromString("rw-r-----"));
    write(live.resolve("conf.d/upstream.conf"), UPSTREAM_130);
    write(live.resolve("same.conf"), SAME);
    write(live.resolve("extra.conf"), EXTRA_130);
    write(live.resolve("local-only.conf"), "hand-made\n");
    marker = tmp.resolve("reload.marker");

    journal = RunJournal.directory(tmp.resolve("journal"));
    runner = RollbackRunner.builder().clock(clock).sleeper(new ManualSleeper(clock)).journal(journal)
        .lock(new FakeRollbackLock(clock)).build();
  }

  @AfterEach
  void closeCatalogue() {
    catalog.close();
  }

  private ConfigRollback.Builder step() {
    return ConfigRollback.builder("restore-config").versions(catalog).configFolder(live).folder("deploy/config")
        .commandTimeout(Duration.ofSeconds(30));
  }

  /** A reload command that appends the first line of the live app.conf to the marker file. */
  private String[] reloadWritingMarker() {
    return new String[] {"sh", "-c", "echo \"reloaded $(head -n 1 \"$1\"/app.conf)\" >> \"$2\"", "sh", "{config}", marker.toString()};
  }

  private RollbackPlan.Builder plan() {
    return RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9");
  }

  @Test
  void restoresTheTagsFilesWithTimestampedBackupsAndCompensationPutsThemBackWhenALaterStepFails() throws Exception {
    AtomicReference<Map<String, String>> seenByLaterStep = new AtomicReference<>();
    Step healthCheck = Step.builder("health-check", Phase.VALIDATE).execute(ctx -> {
      seenByLaterStep.set(liveFiles());
      throw new IllegalStateException("health check returned 503");
    }).build();
    ConfigRollback config = step().reload(reloadWritingMarker()).build();

    RollbackResult result = runner.run(plan().step(config).step(healthCheck).build());

    // While the later step ran, the live folder held v1.2.9's files; extra.conf is kept by default.
    assertThat(seenByLaterStep.get()).containsEntry("app.conf", APP_129).containsEntry("conf.d/upstream.conf", UPSTREAM_129)
        .containsEntry("same.conf", SAME).containsEntry("extra.conf", EXTRA_130).containsEntry("local-only.conf", "hand-made\n");
    // The later step failed, so the run compensated: the live folder is back on v1.3.0's files.
    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.step("restore-config")).hasValueSatisfying(s -> assertThat(s.outcome()).isEqualTo(StepOutcome.SUCCEEDED));
    assertThat(result.compensations()).extracting(CompensationRecord::stepId, CompensationRecord::outcome)
        .containsExactly(tuple("restore-config", CompensationOutcome.COMPENSATED));
    assertThat(liveFiles()).containsEntry("app.conf", APP_130).containsEntry("conf.d/upstream.conf", UPSTREAM_130)
        .containsEntry("same.conf", SAME).containsEntry("extra.conf", EXTRA_130);
    // Backups of the replaced files, named with the run clock's time, hold v1.3.0's content; none for the unchanged file.
    assertThat(backups()).containsExactlyInAnyOrder("app.conf.pre-rollback-" + STAMP, "conf.d/upstream.conf.pre-rollback-" + STAMP);
    assertThat(live.resolve("app.conf.pre-rollback-" + STAMP)).hasContent(APP_130);
    assertThat(live.resolve("conf.d/upstream.conf.pre-rollback-" + STAMP)).hasContent(UPSTREAM_130);
    // The file mode survived the replacement and the restore, and the backup has it too.
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(live.resolve("app.conf")))).isEqualTo("rw-r-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(live.resolve("app.conf.pre-rollback-" + STAMP))))
        .isEqualTo("rw-r-----");
    // Reloaded after the files were in place, and again after the compensation.
    assertThat(marker).hasContent("reloaded version=1.2.9\nreloaded version=1.3.0");
    // Each file is on the timeline.
    assertThat(result.timeline()).filteredOn(e -> "config".equals(e.facts().get("kind")) && "replaced".equals(e.facts().get("action")))
        .extracting(e -> e.facts().get("path"), e -> e.facts().get("backup"), e -> e.facts().get("bytes"))
        .containsExactly(
            tuple(live.resolve("app.conf").toString(), live.resolve("app.conf.pre-rollback-" + STAMP).toString(), String.valueOf(APP_129.length())),
            tuple(live.resolve("conf.d/upstream.conf").toString(), live.resolve("conf.d/upstream.conf.pre-rollback-" + STAMP).toString(),
                String.valueOf(UPSTREAM_129.length())));
    assertThat(result.timeline()).extracting(TimelineEntry::message).contains("config file same.conf already matches v1.2.9");
    // The backups are journaled with the step, so a resumed run can still compensate.
    assertThat(journal.read(result.runId()).orElseThrow().entries())
        .filteredOn(e -> "restore-config".equals(e.stepId()))
        .flatExtracting(e -> List.copyOf(e.attributes().keySet()))
        .contains(config.backupsKey().name());
    assertThat(journal.read(result.runId()).orElseThrow().entries()).map(JournalEntry::attributes)
        .anySatisfy(a -> assertThat(a.get(config.backupsKey().name())).contains("app.conf.pre-rollback-" + STAMP));
  }

  @Test
  void aResumedRunInAnotherProcessStillCompensatesFromTheJournaledBackups() throws Exception {
    ConfigRollback config = step().reload(reloadWritingMarker()).build();
    Step restart = Step.builder("restart", Phase.VALIDATE).execute(ctx -> StepResult.succeeded()).build();
    RollbackResult first = runner.run(plan().step(config).step(restart).build());
    assertThat(liveFiles()).containsEntry("app.conf", APP_129);
    // The process "crashed" while 'restart' ran: a new runner, with nothing in memory, gets the journal up to that point.
    List<JournalEntry> entries = journal.read(first.runId()).orElseThrow().entries();
    int restartStarted = 0;
    while (!("restart".equals(entries.get(restartStarted).stepId())
        && entries.get(restartStarted).type() == JournalEntryType.STEP_STARTED)) {
      restartStarted++;
    }
    RunJournal crashed = RunJournal.directory(tmp.resolve("crashed-journal"));
    try (JournalWriter w = crashed.open(first.runId())) {
      entries.subList(0, restartStarted + 1).forEach(w::append);
    }
    RollbackRunner another = RollbackRunner.builder().clock(clock).sleeper(new ManualSleeper(clock)).journal(crashed)
        .lock(new FakeRollbackLock(clock)).build();
    ConfigRollback sameStep = step().reload(reloadWritingMarker()).build();

    RollbackResult resumed = another.resume(plan().step(sameStep).step(restart).build(), first.runId(),
        ResumeDecision.abort("restart", "oncall", "service did not come back"));

    assertThat(resumed.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(resumed.compensations()).extracting(CompensationRecord::stepId, CompensationRecord::outcome)
        .containsExactly(tuple("restore-config", CompensationOutcome.COMPENSATED));
    assertThat(liveFiles()).containsEntry("app.conf", APP_130).containsEntry("conf.d/upstream.conf", UPSTREAM_130);
    assertThat(marker).hasContent("reloaded version=1.2.9\nreloaded version=1.3.0");
  }

  @Test
  void aSuccessfulRunLeavesTheTagsFilesRemovesFilesTheTagLacksWithABackupAndReloads() throws Exception {
    ConfigRollback config = step().missingFiles(ConfigMissingFiles.REMOVE).reload(reloadWritingMarker()).build();

    RollbackResult result = runner.run(plan().step(config).build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(liveFiles()).containsOnly(
        Map.entry("app.conf", APP_129), Map.entry("conf.d/upstream.conf", UPSTREAM_129), Map.entry("same.conf", SAME),
        Map.entry("local-only.conf", "hand-made\n"));
    assertThat(live.resolve("extra.conf.pre-rollback-" + STAMP)).hasContent(EXTRA_130);
    assertThat(marker).hasContent("reloaded version=1.2.9");
    assertThat(result.step("restore-config")).hasValueSatisfying(s -> assertThat(s.outcome()).isEqualTo(StepOutcome.SUCCEEDED));
    assertThat(result.timeline()).filteredOn(e -> "removed".equals(e.facts().get("action")))
        .singleElement().satisfies(e -> assertThat(e.facts()).containsEntry("path", live.resolve("extra.conf").toString()));
  }

  @Test
  void aFailingValidationCommandStopsTheStepBeforeAnythingIsReplaced() throws Exception {
    ConfigRollback config = step()
        .validate("sh", "-c", "grep -q new_feature {staging}/app.conf || { echo 'app.conf: new_feature is required'; exit 3; }")
        .reload(reloadWritingMarker())
        .build();

    RollbackResult result = runner.run(plan().step(config).build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.failure())
        .contains("validation command 'sh -c grep -q new_feature {staging}/app.conf")
        .contains("exited 3")
        .contains("app.conf: new_feature is required")
        .contains("nothing was replaced");
    assertThat(liveFiles()).containsEntry("app.conf", APP_130).containsEntry("conf.d/upstream.conf", UPSTREAM_130);
    assertThat(backups()).isEmpty();
    assertThat(marker).doesNotExist();
    assertThat(result.timeline()).filteredOn(e -> e.message().startsWith("config validation failed"))
        .singleElement().satisfies(e -> assertThat(e.facts()).containsEntry("exitCode", "3"));
  }

  @Test
  void theValidationCommandSeesTheCandidateFilesInAStagingFolderThatIsDeletedAfterwards() throws Exception {
    Path stagingSeen = tmp.resolve("staging-seen");
    ConfigRollback config = step()
        .validate("sh", "-c", "echo \"$1\" > \"$2\" && grep -qx version=1.2.9 \"$1\"/app.conf && test -f \"$1\"/conf.d/upstream.conf"
            + " && test -f \"$1\"/local-only.conf && ! grep -q 10.0.0.2 \"$1\"/conf.d/upstream.conf", "sh", "{staging}", stagingSeen.toString())
        .build();

    RollbackResult result = runner.run(plan().step(config).build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(liveFiles()).containsEntry("app.conf", APP_129);
    Path staging = Path.of(Files.readString(stagingSeen).strip());
    assertThat(staging).isNotEqualTo(live).doesNotExist();
  }

  @Test
  void aSecondRunFindsEveryFileAlreadyRestoredAndChangesNothing() throws Exception {
    ConfigRollback config = step().reload(reloadWritingMarker()).build();
    assertThat(runner.run(plan().step(config).build()).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    List<String> backupsAfterFirst = backups();
    clock.advance(Duration.ofHours(1));

    RollbackResult again = runner.run(plan().step(config).build());

    assertThat(again.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(again.step("restore-config")).hasValueSatisfying(s -> assertThat(s.outcome()).isEqualTo(StepOutcome.SKIPPED));
    assertThat(backups()).isEqualTo(backupsAfterFirst);
    assertThat(marker).hasContent("reloaded version=1.2.9");
  }

  @Test
  void aReloadThatFailsPutsTheReplacedFilesBackAndFailsTheStep() throws Exception {
    ConfigRollback config = step().reload("sh", "-c", "echo 'nginx: [emerg] unknown directive'; exit 1").build();

    RollbackResult result = runner.run(plan().step(config).build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.failure()).contains("reload command").contains("exited 1").contains("unknown directive")
        .contains("put back from their backups");
    assertThat(liveFiles()).containsEntry("app.conf", APP_130).containsEntry("conf.d/upstream.conf", UPSTREAM_130);
  }

  @Test
  void theBuilderReportsEveryProblemAtOnce() {
    assertThatThrownBy(() -> ConfigRollback.builder(" ").validate("nginx", "-t").commandTimeout(Duration.ZERO)
        .file("/etc/passwd", "../outside").build())
        .isInstanceOfSatisfying(RollbackException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
          assertThat(e.problems()).hasSize(7);
          assertThat(e.getMessage())
              .contains("id must not be blank")
              .contains("commandTimeout must be positive, but was PT0S")
              .contains("'/etc/passwd'").contains("'../outside'")
              .contains("versions must be set")
              .contains("configFolder must be set")
              .contains("validate command [nginx, -t] does not name the staging folder {staging}");
        });
  }

  private Map<String, String> liveFiles() throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(live)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String rel = live.relativize(p).toString();
        if (Files.isRegularFile(p) && !rel.contains(".pre-rollback-")) {
          files.put(rel, Files.readString(p));
        }
      }
    }
    return files;
  }

  private List<String> backups() throws IOException {
    try (Stream<Path> s = Files.walk(live)) {
      return s.map(p -> live.relativize(p).toString()).filter(n -> n.contains(".pre-rollback-")).sorted().toList();
    }
  }

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
