package dev.rollback.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Key;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.Step;
import dev.rollback.core.StepOutcome;
import dev.rollback.core.StepResult;
import dev.rollback.core.journal.JournalEntry;
import dev.rollback.core.journal.JournalEntryType;
import dev.rollback.core.journal.JournalReplay;
import dev.rollback.core.journal.JournalWriter;
import dev.rollback.core.journal.RunJournal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code JdbcRunJournal} held to the semantics of core's directory journal: entries round-trip in
 * order, nothing is visible before a flush, a flush is all or nothing, damage is reported naming
 * the row, and a runner resumes a run from it. Run on H2 and on the real PostgreSQL.
 */
abstract class JdbcRunJournalContract {
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static final Key<String> BACKUP = Key.of("db.backup", String.class);

  /** @return the database every test of the class uses (each test has its own table prefix) */
  abstract ConnectionSource database();

  String prefix;
  RunJournal journal;

  @BeforeEach
  void newTables() {
    prefix = "j" + PREFIXES.incrementAndGet() + "_";
    journal = stores();
  }

  /** @return a new store on the same tables, as another process would open it */
  RunJournal stores() {
    return JdbcStores.builder(database()).tablePrefix(prefix).build().runJournal();
  }

  private static JournalEntry entry(String run, long seq, JournalEntryType type, String step, Map<String, String> data) {
    return new JournalEntry(seq, Instant.parse("2026-11-28T03:00:00.123456Z").plusSeconds(seq), run, type, step, step == null ? 0 : 1,
        data, Map.of(), Map.of());
  }

  private static JournalEntry started(String run) {
    return entry(run, 1, JournalEntryType.RUN_STARTED, null,
        Map.of("service", "orders", "from", "v5", "to", "v4", "steps", "[\"backup\",\"drain\",\"migrate-down\"]"));
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = database().open(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Test
  void writesARowPerEntryAndReadsEveryFieldBackInOrder() {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("status", "SUCCEEDED");
    data.put("message", "drained blue — 3 backends, \"quoted\"\nsecond line");
    JournalEntry completed = new JournalEntry(3, Instant.parse("2026-11-28T03:00:03.000001Z"), "r1", JournalEntryType.STEP_COMPLETED, "drain", 2,
        data, Map.of("backends", "3"), Map.of("db.backup", "\"pre-rollback-20261128-030000\""));
    try (JournalWriter w = journal.open("r1")) {
      w.append(started("r1"));
      w.append(entry("r1", 2, JournalEntryType.STEP_STARTED, "drain", Map.of()));
      w.append(completed);
    }
    try (JournalWriter w = journal.open("r0")) {
      w.append(started("r0"));
    }

    JournalReplay replay = stores().read("r1").orElseThrow();

    assertThat(replay.entries()).extracting(JournalEntry::seq).containsExactly(1L, 2L, 3L);
    assertThat(replay.entries().get(0)).isEqualTo(started("r1"));
    assertThat(replay.entries().get(0).stepId()).isNull();
    assertThat(replay.entries().get(2)).isEqualTo(completed);
    assertThat(replay.entries().get(2).data().keySet()).containsExactly("status", "message");
    assertThat(replay.problems()).isEmpty();
    assertThat(journal.runIds()).containsExactly("r0", "r1");
    assertThat(journal.read("other")).isEmpty();
  }

  @Test
  void appendedEntriesReachTheDatabaseOnlyWhenFlushedAndAFlushIsOneTransaction() {
    AtomicInteger connections = new AtomicInteger();
    ConnectionSource counting = () -> {
      connections.incrementAndGet();
      return database().open();
    };
    RunJournal counted = JdbcStores.builder(counting).tablePrefix(prefix).build().runJournal();
    try (JournalWriter w = counted.open("r1")) {
      w.append(started("r1"));
      w.append(entry("r1", 2, JournalEntryType.STEP_STARTED, "backup", Map.of()));
      assertThat(stores().read("r1")).as("visible before flush").isEmpty();
      int before = connections.get();

      w.flush();

      assertThat(connections.get() - before).as("connections for one flush of two entries").isEqualTo(1);
      assertThat(stores().read("r1").orElseThrow().entries()).hasSize(2);
      w.flush();
      assertThat(connections.get() - before).as("an empty flush does not touch the database").isEqualTo(1);
    }
  }

  @Test
  void aFlushThatFailsWritesNoneOfItsEntriesAndNamesThem() {
    JournalWriter w = journal.open("r1");
    w.append(started("r1"));
    w.append(entry("r1", 2, JournalEntryType.STEP_STARTED, "backup", Map.of()));
    w.flush();
    w.append(entry("r1", 3, JournalEntryType.STEP_COMPLETED, "backup", Map.of("status", "SUCCEEDED")));
    w.append(entry("r1", 2, JournalEntryType.STEP_STARTED, "drain", Map.of())); // seq 2 again: the row exists

    assertThatThrownBy(w::flush)
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.JOURNAL_FAILURE))
        .hasMessageContaining("cannot write journal of run r1 durably to table " + prefix + "journal (entries 3 to 2, none written)");
    assertThat(stores().read("r1").orElseThrow().entries()).extracting(JournalEntry::seq).containsExactly(1L, 2L);
  }

  @Test
  void aWriterRefusesAnotherRunsEntryAndUseAfterClose() {
    JournalWriter w = journal.open("r1");
    assertThatThrownBy(() -> w.append(started("r2")))
        .hasMessage("journal writer of run r1 was given an entry of run r2 (seq 1)");
    w.close();
    w.close();
    assertThatThrownBy(() -> w.append(started("r1"))).hasMessageContaining("is closed");
  }

  @Test
  void aChangedRowIsAnErrorNamingTheRunAndSequence() throws Exception {
    try (JournalWriter w = journal.open("r1")) {
      w.append(started("r1"));
      w.append(entry("r1", 2, JournalEntryType.STEP_STARTED, "backup", Map.of()));
    }
    execute("UPDATE " + prefix + "journal SET data_json = '{garbage' WHERE seq = 2");

    assertThatThrownBy(() -> journal.read("r1"))
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.JOURNAL_FAILURE))
        .hasMessageContaining("journal of run r1 in table " + prefix + "journal is corrupt at seq 2")
        .hasMessageContaining("inspect the rows before resuming");
  }

  private RollbackPlan plan(List<String> log) {
    return RollbackPlan.builder("orders").currentVersion("v5").target("v4")
        .step(Step.builder("backup", Phase.DATABASE_PREP).execute(ctx -> {
          log.add("execute:backup");
          ctx.put(BACKUP, "pre-rollback-20261128-030000");
          return StepResult.succeeded();
        }).compensate(ctx -> {
          log.add("compensate:backup");
          return StepResult.succeeded();
        }).build())
        .step(Step.builder("drain", Phase.TRAFFIC_DRAIN).idempotent(true).execute(ctx -> {
          log.add("execute:drain");
          return StepResult.succeeded();
        }).compensate(ctx -> {
          log.add("compensate:drain");
          return StepResult.succeeded();
        }).build())
        .step(Step.builder("migrate-down", Phase.DATABASE_ROLLBACK).execute(ctx -> {
          log.add("execute:migrate-down with " + ctx.require(BACKUP));
          return StepResult.succeeded();
        }).build())
        .build();
  }

  @Test
  void aNewProcessResumesACrashedRunFromTheTableSkippingCompletedStepsAndRepeatingTheInterruptedIdempotentOne() {
    // What the crashed process had committed: backup done (with its shared fact), drain started.
    try (JournalWriter w = journal.open("r1")) {
      w.append(started("r1"));
      w.append(entry("r1", 2, JournalEntryType.STEP_STARTED, "backup", Map.of()));
      w.append(new JournalEntry(3, Instant.parse("2026-11-28T03:00:03Z"), "r1", JournalEntryType.STEP_COMPLETED, "backup", 1,
          Map.of("status", "SUCCEEDED", "message", ""), Map.of(), Map.of("db.backup", "\"pre-rollback-20261128-020000\"")));
      w.append(entry("r1", 4, JournalEntryType.STEP_STARTED, "drain", Map.of()));
    }
    List<String> log = new CopyOnWriteArrayList<>();

    RollbackResult result = RollbackRunner.builder().journal(stores()).build().resume(plan(log), "r1");

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(log).containsExactly("execute:drain", "execute:migrate-down with pre-rollback-20261128-020000");
    assertThat(result.step("backup")).hasValueSatisfying(s -> assertThat(s.outcome()).isEqualTo(StepOutcome.COMPLETED_EARLIER));
    assertThat(result.step("drain")).hasValueSatisfying(s -> assertThat(s.attempts()).isEqualTo(2));
    List<JournalEntryType> types = stores().read("r1").orElseThrow().entries().stream().map(JournalEntry::type).toList();
    assertThat(types).startsWith(JournalEntryType.RUN_STARTED).contains(JournalEntryType.RUN_RESUMED).endsWith(JournalEntryType.RUN_FINISHED);
  }

  @Test
  void anInterruptedNonIdempotentStepWaitsForAnOperatorAndAFinishedRunIsNotResumed() {
    try (JournalWriter w = journal.open("r2")) {
      w.append(started("r2"));
      w.append(entry("r2", 2, JournalEntryType.STEP_STARTED, "backup", Map.of()));
    }
    List<String> log = new CopyOnWriteArrayList<>();
    RollbackRunner runner = RollbackRunner.builder().journal(stores()).build();

    RollbackResult waiting = runner.resume(plan(log), "r2");
    assertThat(waiting.outcome()).isEqualTo(RunOutcome.AWAITING_OPERATOR);
    assertThat(waiting.failure()).contains("step 'backup' was interrupted (attempt 1) and is not idempotent");
    assertThat(log).isEmpty();

    RollbackResult done = runner.run(plan(log));
    assertThat(done.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThatThrownBy(() -> runner.resume(plan(log), done.runId()))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("already finished with SUCCEEDED");
  }

  @Test
  void aStepStartIsCommittedBeforeTheStepTouchesAnything() {
    RunJournal reader = stores();
    List<List<JournalEntryType>> seenByTheStep = new CopyOnWriteArrayList<>();
    RollbackPlan plan = RollbackPlan.builder("orders").currentVersion("v5").target("v4")
        .step(Step.builder("deploy", Phase.PLATFORM_ROLLBACK).execute(ctx -> {
          seenByTheStep.add(reader.read(ctx.runId()).orElseThrow().entries().stream().map(JournalEntry::type).toList());
          return StepResult.succeeded();
        }).build())
        .build();

    RollbackResult result = RollbackRunner.builder().journal(journal).build().run(plan);

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(seenByTheStep).singleElement().asList().endsWith(JournalEntryType.STEP_STARTED);
  }

  @Test
  void aDatabaseThatFailsMidRunAbortsCompensatesAndTheJournalIsCompletedAfterwards() {
    AtomicBoolean down = new AtomicBoolean();
    ConnectionSource flaky = () -> {
      if (down.get()) {
        throw new SQLException("Connection refused: the database is restarting", "08001");
      }
      return database().open();
    };
    RunJournal flakyJournal = JdbcStores.builder(flaky).tablePrefix(prefix).build().runJournal();
    List<String> log = new CopyOnWriteArrayList<>();
    RollbackPlan plan = RollbackPlan.builder("checkout").currentVersion("v2").target("v1")
        .step(Step.builder("drain", Phase.TRAFFIC_DRAIN).execute(ctx -> {
          log.add("execute:drain");
          down.set(true); // the flush after this step fails
          return StepResult.succeeded();
        }).compensate(ctx -> {
          log.add("compensate:drain");
          down.set(false); // the database is back before the run ends
          return StepResult.succeeded();
        }).build())
        .step(Step.builder("deploy", Phase.PLATFORM_ROLLBACK).execute(ctx -> {
          log.add("execute:deploy");
          return StepResult.succeeded();
        }).build())
        .build();
    RollbackRunner runner = RollbackRunner.builder().journal(flakyJournal).build();

    RollbackResult result = runner.run(plan);

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.failure()).contains("cannot flush the journal").contains("the database is restarting");
    assertThat(log).containsExactly("execute:drain", "compensate:drain");
    assertThat(result.warnings()).anySatisfy(w -> assertThat(w).contains("was completed afterwards"));
    List<JournalEntryType> types = stores().read(result.runId()).orElseThrow().entries().stream().map(JournalEntry::type).toList();
    assertThat(types).contains(JournalEntryType.STEP_COMPENSATED).endsWith(JournalEntryType.RUN_FINISHED);
    assertThatThrownBy(() -> runner.resume(plan, result.runId())).hasMessageContaining("already finished with FAILED");
  }

  @Test
  void aDatabaseThatStaysDownMakesTheResultSayNotToResume() {
    AtomicBoolean down = new AtomicBoolean();
    ConnectionSource flaky = () -> {
      if (down.get()) {
        throw new SQLException("Connection refused", "08001");
      }
      return database().open();
    };
    List<String> log = new CopyOnWriteArrayList<>();
    RollbackPlan plan = RollbackPlan.builder("checkout").currentVersion("v2").target("v1")
        .step(Step.builder("drain", Phase.TRAFFIC_DRAIN).execute(ctx -> {
          log.add("execute:drain");
          down.set(true);
          return StepResult.succeeded();
        }).compensate(ctx -> {
          log.add("compensate:drain");
          return StepResult.succeeded();
        }).build())
        .step(Step.builder("deploy", Phase.PLATFORM_ROLLBACK).execute(ctx -> StepResult.succeeded()).build())
        .build();

    RollbackResult result = RollbackRunner.builder().journal(JdbcStores.builder(flaky).tablePrefix(prefix).build().runJournal()).build().run(plan);

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(log).containsExactly("execute:drain", "compensate:drain");
    assertThat(result.warnings()).anySatisfy(w -> assertThat(w).contains("stays incomplete").contains("do not resume this run"));
  }
}
