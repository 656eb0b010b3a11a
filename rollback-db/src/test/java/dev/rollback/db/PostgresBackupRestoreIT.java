package dev.rollback.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.rollback.core.CompensationOutcome;
import dev.rollback.core.CompensationRecord;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackExecution;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.Secret;
import dev.rollback.core.Step;
import dev.rollback.core.StepOutcome;
import dev.rollback.core.StepResult;
import dev.rollback.core.internal.JournalCodec;
import dev.rollback.core.journal.JournalEntry;
import dev.rollback.testkit.FakeRollbackLock;
import dev.rollback.testkit.ManualClock;
import dev.rollback.testkit.ManualSleeper;
import dev.rollback.testkit.RecordingJournal;
import dev.rollback.testkit.RecordingListener;
import dev.rollback.testkit.RecordingStep;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup and restore against the real PostgreSQL 15 of {@code scripts/test-services.sh}, with the
 * real {@code pg_dump} and {@code pg_restore}, through a real {@link RollbackRunner}.
 */
class PostgresBackupRestoreIT {
  private static final String STAMP = "20261128-110000";
  private static final String NAME = "pre-rollback-checkout-" + STAMP;

  private static PostgresTestDatabase pg;

  @TempDir Path tmp;

  private final ManualClock clock = ManualClock.startingAt(Instant.parse("2026-11-28T11:00:00Z"));
  private final RecordingJournal journal = new RecordingJournal();
  private final RecordingListener listener = new RecordingListener();
  private RollbackRunner runner;
  private Path backups;

  @BeforeAll
  static void database() {
    pg = PostgresTestDatabase.create();
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    if (pg != null) {
      pg.close();
    }
  }

  @BeforeEach
  void shopWithFourTablesAViewAndSequences() throws SQLException {
    try (Connection c = pg.connect(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA public CASCADE");
      s.execute("CREATE SCHEMA public");
      s.execute("CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, email text, "
          + "balance numeric(12,2), created timestamptz, photo bytea, prefs jsonb, active boolean)");
      s.execute("INSERT INTO customers (name, email, balance, created, photo, prefs, active) "
          + "SELECT 'Kundin ' || g || ' «ü» O''Brien' || E'\\n' || E'tab\\there', CASE WHEN g % 7 = 0 THEN NULL ELSE 'c' || g || '@example.com' END, "
          + "g * 1.25, timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute', decode(md5(g::text), 'hex'), "
          + "jsonb_build_object('lang', CASE WHEN g % 2 = 0 THEN 'de' ELSE 'en' END, 'n', g), g % 2 = 0 FROM generate_series(1, 5000) g");
      s.execute("CREATE TABLE orders (id serial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers(id), total numeric(10,2), note text)");
      s.execute("INSERT INTO orders (customer_id, total, note) SELECT (g % 5000) + 1, g / 3.0, "
          + "CASE WHEN g % 5 = 0 THEN NULL ELSE 'note|' || g END FROM generate_series(1, 20000) g");
      s.execute("CREATE TABLE order_lines (order_id int REFERENCES orders(id), line int, sku text, qty int, PRIMARY KEY (order_id, line))");
      s.execute("INSERT INTO order_lines SELECT (g % 20000) + 1, g, 'SKU-' || (g % 97), g % 9 FROM generate_series(1, 40000) g");
      s.execute("CREATE TABLE audit_log (id bigserial PRIMARY KEY, at timestamptz NOT NULL, entry text)");
      s.execute("INSERT INTO audit_log (at, entry) SELECT timestamptz '2026-02-01 00:00:00+00' + g * interval '1 second', 'event ' || g "
          + "FROM generate_series(1, 1000) g");
      s.execute("CREATE INDEX orders_customer ON orders (customer_id)");
      s.execute("CREATE VIEW big_spenders AS SELECT customer_id, sum(total) AS spent FROM orders GROUP BY customer_id");
    }
    backups = tmp.resolve("backups");
    runner = RollbackRunner.builder().clock(clock).sleeper(new ManualSleeper(clock)).journal(journal).listener(listener)
        .lock(new FakeRollbackLock(clock)).build();
  }

  private BackupTarget.PostgresBuilder target() {
    return BackupTarget.postgres().host(pg.host).port(pg.port).database(pg.database).user(pg.user).binaries(pg.bin);
  }

  private BackupTarget goodTarget() {
    return target().password(Secret.of(pg.password)).build();
  }

  private DatabaseBackup.Builder backup(BackupTarget target) {
    return DatabaseBackup.builder("backup-checkout-db").target(target).folder(backups).timeout(Duration.ofMinutes(2));
  }

  private static RollbackPlan.Builder plan() {
    return RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9");
  }

  private Map<String, String> checksums() throws SQLException {
    try (Connection c = pg.connect()) {
      return TableChecksums.postgres(c);
    }
  }

  private void destroy() throws SQLException {
    try (Connection c = pg.connect(); Statement s = c.createStatement()) {
      s.execute("ALTER TABLE customers DROP COLUMN email");
      s.execute("DELETE FROM order_lines WHERE order_id % 3 = 0");
      s.execute("DELETE FROM orders WHERE id % 3 = 0");
      s.execute("DROP TABLE audit_log");
      s.execute("UPDATE customers SET balance = 0 WHERE id < 100");
      s.execute("SELECT nextval('orders_id_seq') FROM generate_series(1, 5)");
    }
  }

  private BackupRecord backUp(DatabaseBackup step) {
    AtomicReference<BackupRecord> seen = new AtomicReference<>();
    Step reader = Step.builder("read-backup", Phase.DATABASE_ROLLBACK).execute(ctx -> {
      seen.set(ctx.require(BackupRecord.KEY));
      return StepResult.succeeded();
    }).build();
    RollbackResult result = runner.run(plan().step(step).step(reader).build());
    assertThat(result.outcome()).as(result.failureMessage().orElse("")).isEqualTo(RunOutcome.SUCCEEDED);
    return seen.get();
  }

  @Test
  void backupThenDropColumnDeleteRowsAndDropTableThenRestoreBringsBackEveryTableIdentically() throws Exception {
    Map<String, String> before = checksums();
    assertThat(before).containsKeys("\"public\".\"customers\"", "\"public\".\"orders\"", "\"public\".\"order_lines\"", "\"public\".\"audit_log\"",
        "sequence public.orders_id_seq");

    BackupRecord record = backUp(backup(goodTarget()).build());

    assertThat(record.name()).isEqualTo(NAME);
    assertThat(record.location()).isEqualTo(backups.resolve(NAME + ".dump")).isRegularFile();
    assertThat(record.sizeBytes()).isEqualTo(Files.size(record.location())).isGreaterThan(100_000);
    assertThat(record.verified()).isTrue();
    assertThat(record.duration()).isPositive();
    assertThat(record.createdAt()).isEqualTo(clock.instant());
    assertThat(record.databaseKind()).isEqualTo(BackupRecord.DatabaseKind.POSTGRESQL);
    assertThat(Files.readAllBytes(record.location())).startsWith("PGDMP".getBytes(StandardCharsets.US_ASCII));
    RollbackResult backupRun = runner.run(plan().step(backup(goodTarget()).build()).build());
    assertThat(backupRun.step("backup-checkout-db").orElseThrow().facts()).containsEntry("verified", "true").containsEntry("tableData", "4")
        .containsKeys("sizeBytes", "durationMs", "databaseBytes", "freeBytes").containsEntry("serverVersion", serverVersion());

    destroy();
    assertThat(checksums()).isNotEqualTo(before).doesNotContainKey("\"public\".\"audit_log\"");

    RollbackResult restored = runner.run(plan().step(DatabaseRestore.builder("restore-checkout-db").target(goodTarget()).from(record).build()).build());

    assertThat(restored.outcome()).as(restored.failureMessage().orElse("")).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(restored.step("restore-checkout-db").orElseThrow().facts()).containsEntry("backup", NAME).containsEntry("mode", "single-transaction");
    assertThat(checksums()).isEqualTo(before);
  }

  @Test
  void aRestoreWithParallelJobsBringsBackTheSameData() throws Exception {
    Map<String, String> before = checksums();
    BackupRecord record = backUp(backup(goodTarget()).build());
    destroy();

    Map<String, String> facts = DatabaseRestore.builder("restore").target(goodTarget()).jobs(2).build().restoreNow(record);

    assertThat(facts).containsEntry("mode", "2 jobs");
    assertThat(checksums()).isEqualTo(before);
  }

  @Test
  void aLaterDatabaseStepThatFailsHalfwayIsCompensatedByRestoringTheBackup() throws Exception {
    Map<String, String> before = checksums();
    Step undo = Step.builder("undo-migrations", Phase.DATABASE_ROLLBACK).execute(ctx -> {
      assertThat(ctx.require(BackupRecord.KEY).verified()).isTrue();
      DatabaseBackup.markChanging(ctx);
      destroy();
      throw new IllegalStateException("undo script V7 failed after dropping audit_log");
    }).build();

    RollbackResult result = runner.run(plan().step(backup(goodTarget()).build()).step(undo).build());

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.step("undo-migrations").orElseThrow().outcome()).isEqualTo(StepOutcome.FAILED);
    assertThat(result.compensations()).extracting(CompensationRecord::stepId, CompensationRecord::outcome)
        .containsExactly(tuple("backup-checkout-db", CompensationOutcome.COMPENSATED));
    assertThat(checksums()).isEqualTo(before);
  }

  @Test
  void aMissingPgDumpStopsTheRunBeforeAnyChange() throws Exception {
    Path empty = Files.createDirectory(tmp.resolve("no-binaries"));

    String message = assertStoppedBeforeAnyChange(backup(target().binaries(empty).password(Secret.of(pg.password)).build()).build());

    assertThat(message).contains("cannot start " + empty.resolve("pg_dump"), "postgresql-client");
  }

  @Test
  void aWrongPasswordStopsTheRunBeforeAnyChange() throws Exception {
    String message = assertStoppedBeforeAnyChange(backup(target().password(Secret.of("not-" + pg.password)).build()).build());

    assertThat(message).contains("password authentication failed for user \"" + pg.user + "\"");
  }

  @Test
  void anUnwritableFolderStopsTheRunBeforeAnyChange() throws Exception {
    Path aFile = Files.writeString(tmp.resolve("not-a-folder"), "x");
    backups = aFile.resolve("backups");

    String message = assertStoppedBeforeAnyChange(backup(goodTarget()).build());

    assertThat(message).contains("backup folder " + backups + " is not writable");
  }

  @Test
  void aDiskSmallerThanTheDatabaseStopsTheRunBeforeAnyChange() throws Exception {
    long size;
    try (Connection c = pg.connect(); Statement s = c.createStatement(); var r = s.executeQuery("SELECT pg_database_size(current_database())")) {
      r.next();
      size = r.getLong(1);
    }
    AtomicReference<Path> probed = new AtomicReference<>();

    String message = assertStoppedBeforeAnyChange(backup(goodTarget()).sizeFactor(0.5).freeSpace(folder -> {
      probed.set(folder);
      return size / 4;
    }).build());

    assertThat(probed.get()).isEqualTo(backups.toAbsolutePath());
    assertThat(message).contains("not enough disk", (size / 4) + " bytes free");
  }

  @Test
  void aPgDumpThatRunsPastItsTimeoutIsKilledAndStopsTheRunBeforeAnyChange() throws Exception {
    // pg_dump waits for its share lock on orders, held exclusively by another transaction, past its 3 s timeout.
    String message = assertStoppedBeforeAnyChange(backup(goodTarget()).timeout(Duration.ofSeconds(3)).build(), () -> {
      Connection locker = pg.connect();
      locker.setAutoCommit(false);
      try (Statement s = locker.createStatement()) {
        s.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
      }
      return () -> {
        locker.rollback();
        locker.close();
      };
    });

    assertThat(message).contains("pg_dump of " + goodTarget() + " timed out after", "no backup was kept");
  }

  /** Runs the backup and a later DATABASE_ROLLBACK step; the backup must fail, and nothing may change. */
  private String assertStoppedBeforeAnyChange(DatabaseBackup step) throws Exception {
    return assertStoppedBeforeAnyChange(step, () -> () -> {});
  }

  /** Something held while the run runs (a lock), released before the database is compared. */
  private interface Hold {
    AutoCloseable start() throws Exception;
  }

  private String assertStoppedBeforeAnyChange(DatabaseBackup step, Hold hold) throws Exception {
    Map<String, String> before = checksums();
    RecordingStep undo = RecordingStep.named("undo-migrations", Phase.DATABASE_ROLLBACK).build();

    RollbackResult result;
    try (AutoCloseable held = hold.start()) {
      result = runner.run(plan().step(step).step(undo).build());
    }

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(undo.executions()).as("the DATABASE_ROLLBACK step must not run").isZero();
    assertThat(listener.stepIdsStarted()).doesNotContain("undo-migrations");
    assertThat(result.step("backup-checkout-db").orElseThrow().outcome()).isEqualTo(StepOutcome.FAILED);
    assertThat(checksums()).isEqualTo(before);
    if (Files.isDirectory(backups)) {
      try (Stream<Path> left = Files.list(backups)) {
        assertThat(left).as("no backup or partial file is left").isEmpty();
      }
    }
    return result.step("backup-checkout-db").orElseThrow().message();
  }

  @Test
  void thePasswordReachesPgDumpAndPgRestoreOnlyThroughATemporaryPassFileAndNeverShowsInArgumentsLogsEventsOrJournal() throws Exception {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    ChildProcess dump;
    ChildProcess restore;
    RollbackResult backupRun;
    RollbackResult restoreRun;
    try {
      try (Connection locker = pg.connect(); Statement s = locker.createStatement()) {
        // pg_dump waits for its share lock on customers, so its arguments and environment can be read while it runs.
        locker.setAutoCommit(false);
        s.execute("LOCK TABLE customers IN ACCESS EXCLUSIVE MODE");
        RollbackExecution exec = runner.start(plan().step(backup(goodTarget()).build()).build());
        dump = ChildProcess.await("pg_dump", Duration.ofSeconds(60));
        locker.commit();
        backupRun = exec.result().get(2, TimeUnit.MINUTES);
      }
      Path file = backups.resolve(NAME + ".dump");
      BackupRecord record = new BackupRecord(NAME, file, Files.size(file), Duration.ofSeconds(1), true, clock.instant(),
          BackupRecord.DatabaseKind.POSTGRESQL);
      try (Connection reader = pg.connect(); Statement s = reader.createStatement()) {
        // pg_restore --clean waits to drop customers while this transaction has read it.
        reader.setAutoCommit(false);
        s.executeQuery("SELECT count(*) FROM customers").close();
        RollbackExecution exec = runner.start(plan().step(DatabaseRestore.builder("restore-checkout-db").target(goodTarget()).from(record).build()).build());
        restore = ChildProcess.await("pg_restore", Duration.ofSeconds(60));
        reader.commit();
        restoreRun = exec.result().get(2, TimeUnit.MINUTES);
      }
    } finally {
      System.setErr(originalErr);
    }
    assertThat(backupRun.outcome()).as(backupRun.failureMessage().orElse("")).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(restoreRun.outcome()).as(restoreRun.failureMessage().orElse("")).isEqualTo(RunOutcome.SUCCEEDED);
    String password = pg.password;

    for (ChildProcess child : List.of(dump, restore)) {
      assertThat(child.arguments()).as(child.program() + " arguments").contains("--host", pg.host, "--username", pg.user, "--no-password")
          .noneMatch(a -> a.contains(password));
      assertThat(child.environment()).as(child.program() + " environment").containsEntry("PGPASSWORD", "")
          .allSatisfy((k, v) -> assertThat(v).doesNotContain(password));
      Path passFile = Path.of(child.environment().get("PGPASSFILE"));
      assertThat(child.passFileMode()).as("the pass file is readable by its owner only").isEqualTo("rw-------");
      assertThat(child.passFileContent()).isEqualTo("*:*:*:" + pg.user + ":" + password.replace("\\", "\\\\").replace(":", "\\:") + "\n");
      assertThat(passFile).as("the pass file is deleted when " + child.program() + " ends").doesNotExist();
    }
    assertThat(dump.arguments()).startsWith(pg.bin.resolve("pg_dump").toString(), "-Fc").endsWith("--dbname", pg.database);
    assertThat(restore.arguments()).startsWith(pg.bin.resolve("pg_restore").toString(), "--clean", "--if-exists", "--no-owner")
        .contains("--single-transaction").endsWith(backups.resolve(NAME + ".dump").toString());

    List<String> journalLines = new ArrayList<>();
    for (String runId : journal.runIds()) {
      for (JournalEntry e : journal.entries(runId)) {
        journalLines.add(JournalCodec.write(e));
      }
    }
    assertThat(journalLines).isNotEmpty().noneMatch(l -> l.contains(password));
    assertThat(String.join("\n", journalLines)).contains(NAME);
    assertThat(listener.events()).isNotEmpty().noneMatch(e -> e.toString().contains(password));
    assertThat(List.of(backupRun.toString(), restoreRun.toString())).noneMatch(t -> t.contains(password));
    String logText = logs.toString(StandardCharsets.UTF_8);
    assertThat(logText).as("the step logged through SLF4J").contains("database backup " + NAME + " of " + goodTarget());
    assertThat(logText).doesNotContain(password);
  }

  @Test
  void theBackupRecordSurvivesTheJournalSoAResumedRunStillFindsIt() throws Exception {
    BackupRecord record = backUp(backup(goodTarget()).build());

    String json = JournalCodec.MAPPER.writeValueAsString(record);
    BackupRecord back = JournalCodec.MAPPER.readValue(json, BackupRecord.class);

    assertThat(back).isEqualTo(record);
  }

  private static String serverVersion() throws SQLException {
    try (Connection c = pg.connect(); Statement s = c.createStatement(); var r = s.executeQuery("SHOW server_version")) {
      r.next();
      return r.getString(1);
    }
  }

  /** A child process of this JVM, read from /proc while it runs. */
  private record ChildProcess(String program, List<String> arguments, Map<String, String> environment, String passFileMode,
      String passFileContent) {

    static ChildProcess await(String program, Duration timeout) throws IOException, InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        Optional<ProcessHandle> child = ProcessHandle.current().descendants()
            .filter(p -> p.info().command().map(c -> c.endsWith("/" + program)).orElse(false)).findFirst();
        if (child.isPresent()) {
          long pid = child.get().pid();
          List<String> args = split(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")));
          Map<String, String> env = new LinkedHashMap<>();
          for (String kv : split(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")))) {
            int eq = kv.indexOf('=');
            env.put(kv.substring(0, eq), kv.substring(eq + 1));
          }
          Path pass = Path.of(env.getOrDefault("PGPASSFILE", "/nonexistent"));
          String mode = Files.exists(pass) ? PosixFilePermissions.toString(Files.getPosixFilePermissions(pass)) : "missing";
          String content = Files.exists(pass) ? Files.readString(pass) : "missing";
          return new ChildProcess(program, args, env, mode, content);
        }
        Thread.sleep(2);
      }
      throw new AssertionError("no " + program + " child process appeared within " + timeout);
    }

    private static List<String> split(byte[] nulSeparated) {
      String s = new String(nulSeparated, StandardCharsets.UTF_8);
      return Arrays.asList(s.endsWith("\0") ? s.substring(0, s.length() - 1).split("\0", -1) : s.split("\0", -1));
    }
  }
}
