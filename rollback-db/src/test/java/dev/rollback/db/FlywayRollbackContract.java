package dev.rollback.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.Phase;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.Secret;
import dev.rollback.core.Step;
import dev.rollback.core.StepOutcome;
import dev.rollback.core.StepResult;
import dev.rollback.core.TimelineEntry;
import dev.rollback.core.database.AppliedMigration;
import dev.rollback.core.decision.Assessor;
import dev.rollback.core.decision.DatabaseFacts;
import dev.rollback.core.journal.RunJournal;
import dev.rollback.core.report.IncidentReport;
import dev.rollback.core.report.ReportNotes;
import dev.rollback.core.version.GitVersionCatalog;
import dev.rollback.db.internal.FlywayHistory;
import dev.rollback.db.internal.FlywayJdbcEndpoint;
import dev.rollback.db.internal.FlywayTagScripts;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Flyway rollback as specified, run on a real database by each subclass (H2 and PostgreSQL 15),
 * against a real git repository with three tagged releases ({@link MigrationRepo}).
 */
abstract class FlywayRollbackContract {
  @TempDir Path tmp;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final RunJournal journal = RunJournal.inMemory();
  private GitVersionCatalog catalog;

  /** @return the JDBC URL of a fresh, empty database for this test */
  abstract String url();

  abstract String user();

  abstract Secret password();

  /** @return whether the database runs DDL inside transactions (PostgreSQL does, H2 does not) */
  abstract boolean transactionalDdl();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  GitVersionCatalog repo() {
    return catalog;
  }

  GitVersionCatalog repo(MigrationRepo.Variant variant) {
    catalog = GitVersionCatalog.open(MigrationRepo.create(tmp.resolve("repo"), variant));
    toClose.add(catalog);
    return catalog;
  }

  FlywayMigrationTool tool() {
    return FlywayMigrationTool.builder().jdbcUrl(url()).user(user()).password(password()).versions(catalog).build();
  }

  /** Migrates the database release by release, as each was deployed, up to the given one. */
  void migrate(String tag) {
    for (String release : List.of("v1.0.0", "v1.1.0", "v1.2.0")) {
      flyway(release).migrate();
      if (release.equals(tag)) {
        return;
      }
    }
    throw new IllegalArgumentException("no release " + tag);
  }

  Flyway flyway(String tag) {
    return new FlywayHistory(FlywayJdbcEndpoint.of(url(), user(), password()), null, "flyway_schema_history")
        .flyway(FlywayTagScripts.read(catalog, tag, "db/migration"), false);
  }

  Connection connect() throws SQLException {
    return java.sql.DriverManager.getConnection(url(), user(), password().reveal());
  }

  /** @return the history as "version script", by rank (repeatables with their description) */
  List<String> history() throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT \"version\", \"script\" FROM \"flyway_schema_history\" WHERE \"success\" AND \"installed_rank\" > 0 ORDER BY \"installed_rank\"")) {
      while (rs.next()) {
        rows.add(rs.getString(1) + " " + rs.getString(2));
      }
    }
    return rows;
  }

  List<String> tables() throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = connect(); ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        out.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  List<String> columns(String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = connect()) {
      DatabaseMetaData md = c.getMetaData();
      String name = md.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
      try (ResultSet rs = md.getColumns(null, c.getSchema(), name, "%")) {
        while (rs.next()) {
          out.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
        }
      }
    }
    return out;
  }

  RollbackResult run(String from, String to, Step... steps) {
    RollbackPlan.Builder plan = RollbackPlan.builder("shop").currentVersion(from).target(to);
    for (Step s : steps) {
      plan.step(s);
    }
    return RollbackRunner.builder().journal(journal).build().run(plan.build());
  }

  static Step verifiedBackup() {
    return Step.builder("backup", Phase.DATABASE_PREP).execute(ctx -> {
      ctx.put(BackupRecord.KEY, new BackupRecord("pre-rollback-20261128-031500", Path.of("/var/backups/pre-rollback-20261128-031500.dump"),
          4096, Duration.ofSeconds(3), true, Instant.parse("2026-11-28T03:15:00Z"), BackupRecord.DatabaseKind.POSTGRESQL));
      return StepResult.succeeded("backup taken");
    }).build();
  }

  static List<String> messagesOfKind(RollbackResult r, String kind) {
    return r.timeline().stream().filter(t -> kind.equals(t.facts().get("kind"))).map(TimelineEntry::message).toList();
  }

  @Test
  void theDiffListsExactlyTheMigrationsAppliedAfterTheTargetsNewestWithTheirClass() {
    repo(MigrationRepo.Variant.WITH_UNDO);
    migrate("v1.2.0");

    MigrationDiff diff = tool().diff("v1.2.0", "v1.1.0");

    assertThat(diff.targetNewest()).isEqualTo("3");
    assertThat(diff.changes()).extracting(MigrationChange::name, MigrationChange::risk, MigrationChange::undoScript).containsExactly(
        org.assertj.core.groups.Tuple.tuple("V4__drop_legacy_code", MigrationRisk.DESTRUCTIVE, "db/migration/U4__drop_legacy_code.sql"),
        org.assertj.core.groups.Tuple.tuple("V5__create_audit", MigrationRisk.ADDITIVE, "db/migration/U5__create_audit.sql"));
    assertThat(diff.changes().get(0).reasons()).singleElement().asString()
        .contains("DROP COLUMN").contains("line 2").contains("ALTER TABLE orders DROP COLUMN legacy_code");
    assertThat(diff.destructive()).isEqualTo(1);
    assertThat(diff.irreversible()).isZero();
    assertThat(diff.toFacts()).isEqualTo(new DatabaseFacts(2, 0, 1, List.of(
        diff.changes().get(0).summary(), diff.changes().get(1).summary())));
  }

  @Test
  void aDiffOverTwoReleasesIncludesTheChangedRepeatableInHistoryOrder() {
    repo(MigrationRepo.Variant.WITH_UNDO);
    migrate("v1.2.0");

    MigrationDiff diff = tool().diff("v1.2.0", "v1.0.0");

    assertThat(diff.changes()).extracting(MigrationChange::name).containsExactly(
        "V3__add_order_note", "R__order_summary", "V4__drop_legacy_code", "V5__create_audit");
    MigrationChange view = diff.changes().get(1);
    assertThat(view.repeatable()).isTrue();
    assertThat(view.version()).isNull();
    assertThat(view.risk()).isEqualTo(MigrationRisk.ADDITIVE);
    assertThat(view.reasons()).containsExactly("the target ships a different version of this repeatable script");
    assertThat(diff.changes().get(0).risk()).isEqualTo(MigrationRisk.ADDITIVE);
  }

  @Test
  void aDiffBetweenAdditiveReleasesIsAdditiveOnlyAndEqualVersionsHaveNoDiff() {
    repo(MigrationRepo.Variant.WITHOUT_UNDO);
    migrate("v1.1.0");

    MigrationDiff diff = tool().diff("v1.1.0", "v1.0.0");

    assertThat(diff.additiveOnly()).isTrue();
    assertThat(diff.changes()).extracting(MigrationChange::name).containsExactly("V3__add_order_note", "R__order_summary");
    assertThat(diff.toFacts().irreversible()).as("additive migrations may stay, so no undo is missing").isZero();
    assertThat(tool().diff("v1.1.0", "v1.1.0").empty()).isTrue();
  }

  @Test
  void aMigrationAppliedOutOfOrderThatTheTargetLacksIsInTheDiff() throws SQLException {
    repo(MigrationRepo.Variant.WITH_UNDO);
    migrate("v1.1.0");
    // a hotfix V2.5 applied out of order after V3, which no tag ships
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\", \"type\", \"script\","
          + " \"checksum\", \"installed_by\", \"execution_time\", \"success\") VALUES (99, '2.5', 'hotfix', 'SQL', 'V2_5__hotfix.sql', 1, 'ops', 1, TRUE)");
    }

    MigrationDiff diff = tool().diff("v1.1.0", "v1.1.0");

    assertThat(diff.changes()).singleElement().satisfies(c -> {
      assertThat(c.version()).isEqualTo("2.5");
      assertThat(c.outOfOrder()).isTrue();
      assertThat(c.risk()).as("its SQL is at no tag").isEqualTo(MigrationRisk.UNKNOWN);
      assertThat(c.summary()).contains("applied out of order").contains("is not in db/migration at v1.1.0");
    });
  }

  @Test
  void appliedListsTheHistoryOldestFirst() {
    repo(MigrationRepo.Variant.WITH_UNDO);
    migrate("v1.1.0");

    assertThat(tool().applied()).extracting(AppliedMigration::version)
        .containsExactly("1", "2", "order summary", "3", "order summary");
  }

  @Test
  void undoRunsNewestFirstThenValidatePassesAndTheReleaseMigratesAgain() throws SQLException {
    repo(MigrationRepo.Variant.WITH_UNDO);
    migrate("v1.2.0");
    FlywayMigrationTool tool = tool();

    RollbackResult r = run("v1.2.0", "v1.1.0",
        MigrationCheck.builder("db-migrations").tool(tool)
            .policy(DatabasePolicy.custom().allowDataLoss("INC-7: legacy codes are restored from the backup").build()).build(),
        verifiedBackup(),
        MigrationUndo.builder("db-undo").tool(tool).build());

    assertThat(r.outcome()).as(String.valueOf(r.failure())).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(messagesOfKind(r, "migration-undo")).filteredOn(m -> m.startsWith("undid"))
        .containsExactly("undid V5__create_audit with db/migration/U5__create_audit.sql",
            "undid V4__drop_legacy_code with db/migration/U4__drop_legacy_code.sql");
    assertThat(messagesOfKind(r, "migration-undo")).anySatisfy(m -> assertThat(m).startsWith("Flyway validate passed"));
    assertThat(messagesOfKind(r, "data-loss")).anySatisfy(m -> assertThat(m).contains("INC-7").contains("pre-rollback-20261128-031500"));
    assertThat(r.step("db-undo").orElseThrow().facts()).containsEntry("transactional", String.valueOf(transactionalDdl()));
    assertThat(r.warnings()).as("the decision and the backup record are journaled").isEmpty();
    assertThat(journal.read(r.runId()).orElseThrow().entries().toString())
        .contains("\"action\":\"UNDO\"").doesNotContain(password().reveal());
    assertThat(tables()).doesNotContain("audit");
    assertThat(columns("orders")).contains("legacy_code", "note");
    assertThat(history()).containsExactly("1 V1__create_orders.sql", "2 V2__create_customers.sql", "null R__order_summary.sql",
        "3 V3__add_order_note.sql", "null R__order_summary.sql");
    flyway("v1.1.0").validate();

    flyway("v1.2.0").migrate();
    assertThat(tables()).contains("audit");
    assertThat(columns("orders")).doesNotContain("legacy_code");
    assertThat(history()).endsWith("4 V4__drop_legacy_code.sql", "5 V5__create_audit.sql");
  }

  @Test
  void migrateDownToUndoesEveryNewerMigrationThroughTheSpi() throws SQLException {
    repo(MigrationRepo.Variant.WITH_UNDO);
    migrate("v1.2.0");
    FlywayMigrationTool tool = tool();

    RollbackResult r = run("v1.2.0", "v1.1.0", Step.builder("down", Phase.DATABASE_ROLLBACK).execute(ctx -> {
      tool.migrateDownTo("3", ctx);
      return StepResult.succeeded();
    }).build());

    assertThat(r.outcome()).as(String.valueOf(r.failure())).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(tool.applied()).extracting(AppliedMigration::version).containsExactly("1", "2", "order summary", "3", "order summary");
  }

  @Test
  void aFailingUndoScriptStopsTheUndo() throws SQLException {
    repo(MigrationRepo.Variant.BROKEN_UNDO);
    migrate("v1.2.0");
    List<String> historyBefore = history();
    FlywayMigrationTool tool = tool();

    RollbackResult r = run("v1.2.0", "v1.1.0",
        MigrationCheck.builder("db-migrations").tool(tool).policy(DatabasePolicy.custom().allowDataLoss("INC-8").build()).build(),
        verifiedBackup(),
        MigrationUndo.builder("db-undo").tool(tool).build());

    assertThat(r.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(r.failure()).contains("U4__drop_legacy_code.sql failed at line 2").contains("no_such_column");
    if (transactionalDdl()) {
      assertThat(r.failure()).contains("was rolled back: the schema and").contains("are as they were before the undo");
      assertThat(history()).isEqualTo(historyBefore);
      assertThat(tables()).as("U5 ran first, and was rolled back with the rest").contains("audit");
      assertThat(columns("orders")).doesNotContain("legacy_code");
    } else {
      assertThat(r.failure()).contains("commits DDL at once").contains("already undone: V5__create_audit");
      assertThat(history()).isEqualTo(historyBefore.subList(0, historyBefore.size() - 1));
      assertThat(tables()).doesNotContain("audit");
    }
  }

  @Test
  void forwardOnlyVetoesTheDatabaseRollbackAndTheRunEndsAsForwardFix() throws SQLException {
    repo(MigrationRepo.Variant.WITH_UNDO);
    migrate("v1.2.0");
    List<String> historyBefore = history();
    FlywayMigrationTool tool = tool();

    RollbackResult r = run("v1.2.0", "v1.1.0",
        MigrationCheck.builder("db-migrations").tool(tool).policy(DatabasePolicy.forwardOnlyPolicy()).build(),
        verifiedBackup(),
        MigrationUndo.builder("db-undo").tool(tool).build());

    assertThat(r.outcome()).isEqualTo(RunOutcome.FORWARD_FIX);
    assertThat(r.failure()).contains("forward-only").contains("V4__drop_legacy_code (DESTRUCTIVE)");
    assertThat(r.step("db-undo").orElseThrow().outcome()).isEqualTo(StepOutcome.NOT_RUN);
    assertThat(history()).isEqualTo(historyBefore);
  }

  @Test
  void anAdditiveOnlyDiffKeepsTheSchemaAndSaysWhy() throws SQLException {
    repo(MigrationRepo.Variant.WITH_UNDO);
    migrate("v1.1.0");
    List<String> historyBefore = history();
    FlywayMigrationTool tool = tool();

    RollbackResult r = run("v1.1.0", "v1.0.0",
        MigrationCheck.builder("db-migrations").tool(tool).policy(DatabasePolicy.forwardOnlyPolicy()).build(),
        MigrationUndo.builder("db-undo").tool(tool).build());

    assertThat(r.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(r.step("db-undo").orElseThrow().outcome()).isEqualTo(StepOutcome.SKIPPED);
    assertThat(r.step("db-undo").orElseThrow().message()).contains("are additive").contains("expand/contract").contains("the schema stays");
    assertThat(messagesOfKind(r, "database-decision")).singleElement().asString().startsWith("database: KEEP_SCHEMA");
    assertThat(columns("orders")).contains("note");
    assertThat(history()).isEqualTo(historyBefore);
  }

  @Test
  void destructiveUndoWithoutAVerifiedBackupUndoesNothing() throws SQLException {
    repo(MigrationRepo.Variant.WITH_UNDO);
    migrate("v1.2.0");
    List<String> historyBefore = history();
    FlywayMigrationTool tool = tool();

    RollbackResult r = run("v1.2.0", "v1.1.0",
        MigrationCheck.builder("db-migrations").tool(tool).policy(DatabasePolicy.custom().allowDataLoss("INC-9").build()).build(),
        MigrationUndo.builder("db-undo").tool(tool).build());

    assertThat(r.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(r.failure()).contains("needs a verified backup").contains("no step put a BackupRecord under 'db.backup'")
        .contains("nothing was undone");
    assertThat(history()).isEqualTo(historyBefore);
  }

  @Test
  void destructiveUndoWithoutConsentEndsAsForwardFix() {
    repo(MigrationRepo.Variant.WITH_UNDO);
    migrate("v1.2.0");

    RollbackResult r = run("v1.2.0", "v1.1.0", MigrationCheck.builder("db-migrations").tool(tool()).build(), verifiedBackup());

    assertThat(r.outcome()).isEqualTo(RunOutcome.FORWARD_FIX);
    assertThat(r.failure()).contains("loses data and needs the operator's consent").contains("allowDataLoss(reason)");
  }

  @Test
  void theAssessorTurnsForwardFixOnADestructiveDiffWithoutUndoScriptsAndTheReportListsTheMigrations() {
    repo(MigrationRepo.Variant.WITHOUT_UNDO);
    migrate("v1.2.0");
    FlywayMigrationTool tool = tool();
    RollbackPlan plan = RollbackPlan.builder("shop").currentVersion("v1.2.0").target("v1.1.0")
        .assess(Assessor.custom().migrations(tool).build())
        .step(MigrationCheck.builder("db-migrations").tool(tool).build())
        .build();

    RollbackResult r = RollbackRunner.builder().journal(journal).build().run(plan);

    assertThat(r.outcome()).isEqualTo(RunOutcome.FORWARD_FIX);
    assertThat(r.failure()).contains("include 1 irreversible and 1 destructive").contains("V4__drop_legacy_code: DESTRUCTIVE, no undo script")
        .contains("fix forward");
    assertThat(r.step("db-migrations").orElseThrow().outcome()).isEqualTo(StepOutcome.NOT_RUN);
    String report = IncidentReport.fromJournal(journal, r.runId(), ReportNotes.none()).toMarkdown();
    assertThat(report).contains("V4\\_\\_drop\\_legacy\\_code: DESTRUCTIVE, no undo script");
  }

  @Test
  void theMigrationCheckRecordsEachMigrationForTheReport() {
    repo(MigrationRepo.Variant.WITHOUT_UNDO);
    migrate("v1.2.0");

    RollbackResult r = run("v1.2.0", "v1.1.0", MigrationCheck.builder("db-migrations").tool(tool()).build());

    assertThat(r.outcome()).isEqualTo(RunOutcome.FORWARD_FIX);
    assertThat(r.failure()).contains("V4__drop_legacy_code, V5__create_audit").contains("cannot be undone");
    assertThat(messagesOfKind(r, "migrations")).containsExactly(
        "2 migration(s) applied that v1.1.0 does not ship: V4__drop_legacy_code DESTRUCTIVE, V5__create_audit ADDITIVE");
    assertThat(messagesOfKind(r, "migration")).hasSize(2);
    String report = IncidentReport.fromJournal(journal, r.runId(), ReportNotes.none()).toMarkdown();
    assertThat(report).contains("`migration` V4\\_\\_drop\\_legacy\\_code: DESTRUCTIVE, no undo script")
        .contains("`migration` V5\\_\\_create\\_audit: ADDITIVE, no undo script");
  }

  @Test
  void aMissingTagIsNamed() {
    repo(MigrationRepo.Variant.WITH_UNDO);
    assertThatThrownBy(() -> tool().diff("v1.2.0", "v0.9.0")).hasMessageContaining("tag 'v0.9.0' does not exist");
  }

  DatabaseVerification.Builder verification(String id) {
    return DatabaseVerification.builder(id).jdbcUrl(url()).user(user()).password(password());
  }

  void sql(String... statements) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  @Test
  void afterTheUndoTheVerificationFindsTheTargetsSchemaTheRowCountsAndAnswersFast() throws SQLException {
    repo(MigrationRepo.Variant.WITH_UNDO);
    migrate("v1.2.0");
    sql("INSERT INTO orders (id, customer) VALUES (1, 'ada'), (2, 'bob'), (3, 'cy')");
    FlywayMigrationTool tool = tool();
    DatabaseVerification verify = verification("db-verify")
        .expectTable("orders", "id", "customer", "note", "legacy_code")
        .expectTable("customers", "id", "name")
        .rowCount("orders", 0)
        .rowCount("customers", 0)
        .assertion("the seeded customer is there", "SELECT COUNT(*) FROM customers WHERE id = 1")
        .latency(20, Duration.ofSeconds(5))
        .build();

    RollbackResult r = run("v1.2.0", "v1.1.0",
        verify.baseline("db-row-counts"),
        MigrationCheck.builder("db-migrations").tool(tool).policy(DatabasePolicy.custom().allowDataLoss("INC-10").build()).build(),
        verifiedBackup(),
        MigrationUndo.builder("db-undo").tool(tool).build(),
        verify);

    assertThat(r.outcome()).as(String.valueOf(r.failure())).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(r.steps()).extracting(s -> s.stepId()).containsSubsequence("db-row-counts", "db-undo", "db-verify");
    assertThat(messagesOfKind(r, "db-row-counts")).containsExactly("row counts before the rollback: {customers=1, orders=3}");
    assertThat(messagesOfKind(r, "db-verification")).hasSize(6)
        .contains("passed: table orders has [id, customer, note, legacy_code]",
            "passed: orders has 3 rows, 3 before the rollback (tolerance 0)",
            "passed: assertion 'the seeded customer is there' holds")
        .anySatisfy(m -> assertThat(m).matches("passed: SELECT 1 x20: p50 [0-9.]+ ms, p99 [0-9.]+ ms"));
    assertThat(r.step("db-verify").orElseThrow().facts()).containsEntry("checks", "6");
  }

  @Test
  void theVerificationReportsEveryFailedCheckAtOnce() throws SQLException {
    repo(MigrationRepo.Variant.WITH_UNDO);
    migrate("v1.2.0");
    sql("INSERT INTO orders (id, customer) VALUES (1, 'ada'), (2, 'bob'), (3, 'cy'), (4, 'di')");
    DatabaseVerification verify = verification("db-verify")
        .expectTable("orders", "id", "legacy_code")
        .expectTable("gone", "id")
        .rowCount("orders", 0.25)
        .assertion("never true", "SELECT 1 = 0")
        .latency(5, Duration.ofNanos(1))
        .build();

    RollbackResult r = run("v1.2.0", "v1.1.0",
        verify.baseline("db-row-counts"),
        Step.builder("lose-rows", Phase.DATABASE_ROLLBACK).execute(ctx -> {
          sql("DELETE FROM orders WHERE id > 2");
          return StepResult.succeeded();
        }).build(),
        verify);

    assertThat(r.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(r.failure()).contains("failed 5 of 5 check(s)")
        .contains("table orders lacks column(s) [legacy_code]")
        .contains("table gone is missing")
        .contains("orders has 2 rows, 4 before the rollback (tolerance 1)")
        .contains("assertion 'never true' does not hold")
        .contains("is over 0.0");
  }

  @Test
  void theConnectivityCheckIsHealthyWhenTheDatabaseAnswersAndSaysWhyWhenNot() throws Exception {
    repo(MigrationRepo.Variant.WITH_UNDO);
    migrate("v1.0.0");

    var healthy = verification("db-verify").latency(10, Duration.ofSeconds(5)).build().connectivity().check();
    var refused = DatabaseVerification.builder("db-verify").jdbcUrl(url()).user(user()).password(Secret.of("wrong-password"))
        .latency(3, null).build().connectivity().check();

    assertThat(healthy.healthy()).as(healthy.reason()).isTrue();
    assertThat(healthy.reason()).matches("SELECT 1 x10: p50 [0-9.]+ ms, p99 [0-9.]+ ms");
    assertThat(refused.healthy()).isFalse();
    assertThat(refused.reason()).startsWith("no answer: ").doesNotContain("wrong-password");
  }

  @Test
  void aJavaMigrationIsUnknownAndAChangedChecksumIsANote() throws SQLException {
    repo(MigrationRepo.Variant.WITH_UNDO);
    migrate("v1.2.0");
    sql("INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\", \"type\", \"script\","
            + " \"checksum\", \"installed_by\", \"execution_time\", \"success\") VALUES (50, '6', 'backfill', 'JDBC',"
            + " 'db.migration.V6__backfill', NULL, 'ops', 1, TRUE)",
        "UPDATE \"flyway_schema_history\" SET \"checksum\" = 42 WHERE \"version\" = '2'");

    MigrationDiff diff = tool().diff("v1.2.0", "v1.2.0");

    assertThat(diff.changes()).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("db.migration.V6__backfill");
      assertThat(c.risk()).isEqualTo(MigrationRisk.UNKNOWN);
      assertThat(c.reasons()).containsExactly("UNKNOWN: a JDBC (Java) migration: its effect cannot be read from SQL");
      assertThat(c.undoable()).isFalse();
    });
    assertThat(diff.irreversible()).isEqualTo(1);
    assertThat(diff.notes()).singleElement().asString()
        .startsWith("V2__create_customers.sql was applied with checksum 42 but v1.2.0 ships checksum")
        .endsWith("Flyway validate will fail until flyway repair realigns it");
  }

  @Test
  void aDryRunDescribesTheDatabaseStepsAndChangesNothing() throws SQLException {
    repo(MigrationRepo.Variant.WITH_UNDO);
    migrate("v1.2.0");
    List<String> historyBefore = history();
    FlywayMigrationTool tool = tool();
    RollbackPlan plan = RollbackPlan.builder("shop").currentVersion("v1.2.0").target("v1.1.0")
        .step(MigrationCheck.builder("db-migrations").tool(tool).build())
        .step(MigrationUndo.builder("db-undo").tool(tool).build())
        .build();

    var preview = RollbackRunner.builder().journal(journal).build().preview(plan);

    assertThat(preview.steps()).extracting(dev.rollback.core.PreviewEntry::description)
        .anySatisfy(d -> assertThat(d).startsWith("would read the Flyway migrations between v1.1.0 and v1.2.0"))
        .contains("would undo the migrations between v1.1.0 and v1.2.0 if the migration check allows it");
    assertThat(history()).isEqualTo(historyBefore);
  }
}
