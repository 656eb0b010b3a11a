package dev.rollback.benchmarks;

import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.Secret;
import dev.rollback.core.journal.RunJournal;
import dev.rollback.db.BackupRecord;
import dev.rollback.db.BackupTarget;
import dev.rollback.db.DatabaseBackup;
import dev.rollback.db.DatabaseRestore;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Backup and restore of a one-million-row table through rollback-db ({@link DatabaseBackup}, {@link
 * DatabaseRestore}, each run as a plan by a {@link RollbackRunner}) against running {@code pg_dump}
 * and {@code pg_restore} directly with the same flags, in the same run, alternately.
 *
 * <p>The library's backup does more than {@code pg_dump}: it reads the database's size and tables
 * over JDBC, checks the free space, writes the password file, runs {@code pg_dump -Fc} and then
 * {@code pg_restore --list} to verify the archive, and renames it. Its restore checks the record
 * and runs {@code pg_restore --clean --if-exists --no-owner --exit-on-error --single-transaction}.
 * The direct side runs the same {@code pg_dump} and {@code pg_restore} command lines with {@code
 * PGPASSWORD} in the environment. Each restore is checked to bring back all rows, and the table's
 * checksum is compared at the end with the one before.
 *
 * <p>Run (needs the PostgreSQL of {@code scripts/test-services.sh start}): {@code java -cp
 * benchmarks/target/benchmarks.jar dev.rollback.benchmarks.DatabaseBackupBenchmark [rows] [rounds]};
 * default 1,000,000 rows and 7 measured rounds after 1 warm-up round. The postgres.env file is found
 * from {@code POSTGRES_ENV} or {@code target/test-services/postgres.env} above the working folder.
 */
public final class DatabaseBackupBenchmark {
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private final Properties env;
  private final String database;
  private final Path bin;
  private final Path folder;
  private final RollbackRunner runner = RollbackRunner.builder().journal(RunJournal.inMemory()).build();
  private final BackupTarget target;

  private DatabaseBackupBenchmark(Properties env, String database, Path folder) {
    this.env = env;
    this.database = database;
    this.bin = Path.of(env.getProperty("PG_BIN"));
    this.folder = folder;
    this.target = BackupTarget.postgres().host(env.getProperty("PG_HOST")).port(Integer.parseInt(env.getProperty("PG_PORT")))
        .database(database).user(env.getProperty("PG_USER")).password(Secret.of(env.getProperty("PG_PASSWORD"))).binaries(bin).build();
  }

  /**
   * @param args optional: rows (default 1,000,000) and measured rounds (default 7)
   * @throws Exception when PostgreSQL is missing or a backup or restore fails
   */
  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    int warmups = 1;
    Properties env = loadEnv();
    String database = "rb_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    Path folder = Files.createTempDirectory("rollback-db-bench-");
    try (Connection admin = connect(env, env.getProperty("PG_DATABASE")); Statement s = admin.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
    DatabaseBackupBenchmark bench = new DatabaseBackupBenchmark(env, database, folder);
    try {
      bench.run(rows, rounds, warmups);
    } finally {
      try (Connection admin = connect(env, env.getProperty("PG_DATABASE")); Statement s = admin.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
      try (Stream<Path> files = Files.walk(folder)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private void run(int rows, int rounds, int warmups) throws Exception {
    long t0 = System.nanoTime();
    try (Connection c = connect(env, database); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE events (id bigint PRIMARY KEY, at timestamptz NOT NULL, kind text NOT NULL, payload text, amount numeric(12,2))");
      s.execute("INSERT INTO events SELECT g, timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second', 'kind-' || (g % 17), "
          + "CASE WHEN g % 10 = 0 THEN NULL ELSE md5(g::text) || ' payload ' || g END, g / 7.0 FROM generate_series(1, " + rows + ") g");
      s.execute("VACUUM ANALYZE events");
    }
    String before = checksum();
    System.out.printf(Locale.ROOT, "PostgreSQL %s, %s; JVM %s %s; %d CPUs%n", query("SHOW server_version"), version("pg_dump"),
        System.getProperty("java.vm.name"), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "table events: %,d rows, database %,d bytes, made in %.1f s%n", rows,
        Long.parseLong(query("SELECT pg_database_size(current_database())")), (System.nanoTime() - t0) / 1e9);
    System.out.printf(Locale.ROOT, "%d warm-up and %d measured rounds; each round: backup and restore by both sides, the side that "
        + "goes first alternating%n%n", warmups, rounds);

    List<Double> libBackup = new ArrayList<>();
    List<Double> dirBackup = new ArrayList<>();
    List<Double> libRestore = new ArrayList<>();
    List<Double> dirRestore = new ArrayList<>();
    long archiveBytes = 0;
    for (int round = 0; round < warmups + rounds; round++) {
      boolean measured = round >= warmups;
      Path libDir = Files.createDirectories(folder.resolve("lib-" + round));
      Path directFile = folder.resolve("direct-" + round + ".dump");
      double lb;
      double db;
      BackupRecord record;
      if (round % 2 == 0) {
        long a = System.nanoTime();
        record = libraryBackup(libDir);
        lb = ms(a);
        a = System.nanoTime();
        directDump(directFile);
        db = ms(a);
      } else {
        long a = System.nanoTime();
        directDump(directFile);
        db = ms(a);
        a = System.nanoTime();
        record = libraryBackup(libDir);
        lb = ms(a);
      }
      archiveBytes = record.sizeBytes();
      double lr;
      double dr;
      if (round % 2 == 0) {
        long a = System.nanoTime();
        libraryRestore(record);
        lr = ms(a);
        checkRows(rows);
        a = System.nanoTime();
        directRestore(directFile);
        dr = ms(a);
        checkRows(rows);
      } else {
        long a = System.nanoTime();
        directRestore(directFile);
        dr = ms(a);
        checkRows(rows);
        a = System.nanoTime();
        libraryRestore(record);
        lr = ms(a);
        checkRows(rows);
      }
      Files.delete(record.location());
      Files.delete(directFile);
      System.out.printf(Locale.ROOT, "%s %d: backup library %8.1f ms, pg_dump %8.1f ms | restore library %8.1f ms, pg_restore %8.1f ms%n",
          measured ? "round " : "warm-up", measured ? round - warmups + 1 : round + 1, lb, db, lr, dr);
      if (measured) {
        libBackup.add(lb);
        dirBackup.add(db);
        libRestore.add(lr);
        dirRestore.add(dr);
      }
    }
    String after = checksum();
    if (!after.equals(before)) {
      throw new IllegalStateException("the table's checksum changed: " + before + " before, " + after + " after the restores");
    }
    System.out.printf(Locale.ROOT, "%narchive %,d bytes; table checksum after all restores equals the one before (%s)%n%n", archiveBytes, before);
    System.out.printf(Locale.ROOT, "%-10s %-44s %10s %10s %10s%n", "operation", "side", "median ms", "min ms", "max ms");
    report("backup", "library (DatabaseBackup, verified)", libBackup);
    report("backup", "pg_dump -Fc", dirBackup);
    report("restore", "library (DatabaseRestore)", libRestore);
    report("restore", "pg_restore --clean ... --single-transaction", dirRestore);
    System.out.printf(Locale.ROOT, "%nratio of medians (library / direct): backup %.3f, restore %.3f (target <= 1.1)%n",
        median(libBackup) / median(dirBackup), median(libRestore) / median(dirRestore));
    System.out.printf(Locale.ROOT, "median of the per-round ratios (same round, back to back): backup %.3f, restore %.3f%n",
        median(ratios(libBackup, dirBackup)), median(ratios(libRestore, dirRestore)));
  }

  private BackupRecord libraryBackup(Path dir) {
    DatabaseBackup step = DatabaseBackup.builder("backup").target(target).folder(dir).timeout(TIMEOUT).build();
    RollbackResult r = runner.run(RollbackPlan.builder("bench").currentVersion("v2").target("v1").step(step).build());
    if (r.outcome() != RunOutcome.SUCCEEDED) {
      throw new IllegalStateException("library backup failed: " + r.failureMessage().orElse(r.outcome().toString()));
    }
    var facts = r.step("backup").orElseThrow().facts();
    return new BackupRecord(facts.get("name"), Path.of(facts.get("location")), Long.parseLong(facts.get("sizeBytes")),
        Duration.ofMillis(Long.parseLong(facts.get("durationMs"))), true, Instant.now(), BackupRecord.DatabaseKind.POSTGRESQL);
  }

  private void libraryRestore(BackupRecord record) {
    DatabaseRestore step = DatabaseRestore.builder("restore").target(target).from(record).timeout(TIMEOUT).build();
    RollbackResult r = runner.run(RollbackPlan.builder("bench").currentVersion("v2").target("v1").step(step).build());
    if (r.outcome() != RunOutcome.SUCCEEDED) {
      throw new IllegalStateException("library restore failed: " + r.failureMessage().orElse(r.outcome().toString()));
    }
  }

  private void directDump(Path file) throws IOException, InterruptedException {
    exec(List.of(bin.resolve("pg_dump").toString(), "-Fc", "--host", env.getProperty("PG_HOST"), "--port", env.getProperty("PG_PORT"),
        "--username", env.getProperty("PG_USER"), "--no-password", "--file", file.toString(), "--dbname", database));
  }

  private void directRestore(Path file) throws IOException, InterruptedException {
    exec(List.of(bin.resolve("pg_restore").toString(), "--clean", "--if-exists", "--no-owner", "--exit-on-error", "--single-transaction",
        "--host", env.getProperty("PG_HOST"), "--port", env.getProperty("PG_PORT"), "--username", env.getProperty("PG_USER"),
        "--no-password", "--dbname", database, file.toString()));
  }

  private void exec(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("PGPASSWORD", env.getProperty("PG_PASSWORD"));
    Process p = pb.start();
    if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(command.get(0) + " timed out");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue());
    }
  }

  private String version(String program) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(bin.resolve(program).toString(), "--version").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    p.waitFor();
    return out;
  }

  private void checkRows(int rows) throws SQLException {
    long n = Long.parseLong(query("SELECT count(*) FROM events"));
    if (n != rows) {
      throw new IllegalStateException("after a restore the table has " + n + " rows, not " + rows);
    }
  }

  private String checksum() throws SQLException {
    return query("SELECT md5(string_agg(e::text, E'\\n' ORDER BY id)) FROM events e");
  }

  private String query(String sql) throws SQLException {
    try (Connection c = connect(env, database); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getString(1);
    }
  }

  private static Connection connect(Properties env, String db) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + env.getProperty("PG_HOST") + ":" + env.getProperty("PG_PORT") + "/" + db,
        env.getProperty("PG_USER"), env.getProperty("PG_PASSWORD"));
  }

  private static Properties loadEnv() throws IOException {
    String override = System.getenv("POSTGRES_ENV");
    Path found = override != null ? Path.of(override) : null;
    for (Path dir = Path.of("").toAbsolutePath(); found == null && dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("target/test-services/postgres.env");
      if (Files.isRegularFile(candidate)) {
        found = candidate;
      }
    }
    if (found == null || !Files.isRegularFile(found)) {
      throw new IllegalStateException("no postgres.env found: run scripts/test-services.sh start, or set POSTGRES_ENV");
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(found)) {
      p.load(r);
    }
    return p;
  }

  private static double ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static List<Double> ratios(List<Double> library, List<Double> direct) {
    List<Double> r = new ArrayList<>();
    for (int i = 0; i < library.size(); i++) {
      r.add(library.get(i) / direct.get(i));
    }
    return r;
  }

  private static void report(String op, String side, List<Double> xs) {
    System.out.printf(Locale.ROOT, "%-10s %-44s %10.1f %10.1f %10.1f%n", op, side, median(xs),
        xs.stream().mapToDouble(Double::doubleValue).min().orElse(0), xs.stream().mapToDouble(Double::doubleValue).max().orElse(0));
  }
}
