package dev.rollback.db;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Key;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.health.HealthCheck;
import dev.rollback.core.health.HealthObservation;
import dev.rollback.db.internal.FlywayJdbcEndpoint;
import dev.rollback.db.internal.JdbcSchemaProbe;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Checks the database after the rollback: the tables and columns the target expects exist (read
 * from {@code information_schema}), critical tables hold about as many rows as before the rollback,
 * custom SQL assertions hold, and the database answers {@code SELECT 1} fast enough (p50/p99 over
 * N queries). Every check runs; all failures are reported together.
 *
 * <pre>{@code
 * DatabaseVerification verify = DatabaseVerification.builder("db-verify")
 *     .jdbcUrl("jdbc:postgresql://db:5432/shop").user("shop").password(Secret.of(pw))
 *     .expectTable("orders", "id", "customer", "legacy_code")
 *     .rowCount("orders", 0.01)                          // within 1% of the count before
 *     .assertion("every order has a customer",
 *         "SELECT COUNT(*) = 0 FROM orders o LEFT JOIN customers c ON c.id = o.customer_id WHERE c.id IS NULL")
 *     .latency(50, Duration.ofMillis(20))                 // p99 of 50 x SELECT 1 at most 20 ms
 *     .build();
 * plan.step(verify.baseline("db-row-counts"))             // DATABASE_PREP: counts before anything changes
 *     .step(verify);                                     // DATABASE_ROLLBACK, after the undo
 * }</pre>
 *
 * <p>Timeline: {@code kind=db-verification} entries, one per check, with {@code check}, {@code
 * passed} and what was seen. {@link #connectivity()} gives the latency check as a core {@link
 * HealthCheck}, e.g. for a {@code HealthSuite} in VALIDATE.
 *
 * @since 0.1.0
 */
public final class DatabaseVerification implements Step {
  private final String id;
  private final Phase phase;
  private final FlywayJdbcEndpoint endpoint;
  private final @Nullable String schema;
  private final Map<String, List<String>> tables;
  private final Map<String, Double> rowCounts;
  private final Map<String, String> assertions;
  private final int latencyRuns;
  private final @Nullable Duration maxP99;
  private final Key<RowCounts> countsKey;

  private DatabaseVerification(Builder b) {
    this.id = b.id;
    this.phase = b.phase;
    this.endpoint = b.dataSource != null ? FlywayJdbcEndpoint.of(b.dataSource) : FlywayJdbcEndpoint.of(b.jdbcUrl, b.user, b.password);
    this.schema = b.schema;
    this.tables = Map.copyOf(b.tables);
    this.rowCounts = new TreeMap<>(b.rowCounts);
    this.assertions = new LinkedHashMap<>(b.assertions);
    this.latencyRuns = b.latencyRuns;
    this.maxP99 = b.maxP99;
    this.countsKey = Key.of("db.row-counts." + b.id, RowCounts.class);
  }

  /**
   * @param id the step's id, unique within the plan ("db-verify")
   * @return a builder
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  @Override
  public String id() {
    return id;
  }

  /** @return {@link Phase#DATABASE_ROLLBACK} unless the builder chose another phase */
  @Override
  public Phase phase() {
    return phase;
  }

  /** @return true: it only reads */
  @Override
  public boolean idempotent() {
    return true;
  }

  /** @return the key under which {@link #baseline(String)} keeps the counts before the rollback */
  public Key<RowCounts> rowCountsKey() {
    return countsKey;
  }

  /**
   * The {@link Phase#DATABASE_PREP} step that counts the rows of the {@link Builder#rowCount}
   * tables before anything changes, and keeps them under {@link #rowCountsKey()} (journaled).
   *
   * @param stepId its id, unique within the plan ("db-row-counts")
   * @return the step
   */
  public Step baseline(String stepId) {
    return Step.builder(stepId, Phase.DATABASE_PREP).idempotent(true)
        .description("would count the rows of " + rowCounts.keySet() + " before the rollback")
        .execute(ctx -> {
          Map<String, Long> counts = new TreeMap<>();
          try (Connection c = endpoint.connect()) {
            for (String table : rowCounts.keySet()) {
              counts.put(table, JdbcSchemaProbe.count(c, schema, table).orElseThrow(() -> new RollbackException(ErrorCode.VALIDATION_FAILED,
                  "critical table '" + table + "' does not exist in " + endpoint + ": check the rowCount(...) names")));
            }
          }
          RowCounts rc = new RowCounts(counts, ctx.clock().instant());
          ctx.put(countsKey, rc);
          Map<String, String> f = new LinkedHashMap<>();
          f.put("kind", "db-row-counts");
          counts.forEach((t, n) -> f.put(t, String.valueOf(n)));
          ctx.record("row counts before the rollback: " + counts, f);
          return StepResult.succeeded("counted " + counts.size() + " critical table(s): " + counts);
        }).build();
  }

  /**
   * The latency check as a core health check: healthy when the database answers every {@code
   * SELECT 1} and, if a limit was set, their p99 is within it.
   *
   * @return the check
   */
  public HealthCheck connectivity() {
    return new HealthCheck() {
      @Override
      public String name() {
        return "database SELECT 1 x" + Math.max(latencyRuns, 1) + " (" + endpoint + ")";
      }

      @Override
      public HealthObservation check() {
        long t0 = System.nanoTime();
        try (Connection c = endpoint.connect()) {
          JdbcSchemaProbe.Latency l = JdbcSchemaProbe.latency(c, Math.max(latencyRuns, 1));
          boolean ok = maxP99 == null || l.p99().compareTo(maxP99) <= 0;
          return new HealthObservation(name(), ok, 1, Duration.ofNanos(System.nanoTime() - t0), latencyText(l) + (ok ? "" : " (over " + millis(maxP99) + ")"));
        } catch (SQLException e) {
          return new HealthObservation(name(), false, 0, Duration.ofNanos(System.nanoTime() - t0), "no answer: " + e.getMessage());
        }
      }
    };
  }

  @Override
  public String preview(StepContext ctx) {
    return "would verify " + endpoint + ": tables " + tables.keySet() + ", row counts of " + rowCounts.keySet() + ", "
        + assertions.size() + " assertion(s)" + (latencyRuns > 0 ? ", latency over " + latencyRuns + " x SELECT 1" : "");
  }

  /**
   * @param ctx the run's context
   * @return what was seen
   * @throws RollbackException with {@link ErrorCode#VALIDATION_FAILED} listing every failed check
   * @throws SQLException when the database cannot be reached
   */
  @Override
  public StepResult execute(StepContext ctx) throws SQLException {
    List<String> failures = new ArrayList<>();
    int checks = 0;
    try (Connection c = endpoint.connect()) {
      if (!tables.isEmpty()) {
        Map<String, Set<String>> actual = JdbcSchemaProbe.columns(c, schema);
        for (Map.Entry<String, List<String>> t : tables.entrySet()) {
          checks++;
          Set<String> cols = actual.get(t.getKey().toLowerCase(Locale.ROOT));
          String problem = cols == null ? "table " + t.getKey() + " is missing"
              : missingColumns(t.getValue(), cols).isEmpty() ? null
              : "table " + t.getKey() + " lacks column(s) " + missingColumns(t.getValue(), cols);
          record(ctx, "table " + t.getKey(), problem, problem == null ? "table " + t.getKey() + " has " + t.getValue() : problem, failures);
        }
      }
      if (!rowCounts.isEmpty()) {
        RowCounts before = ctx.get(countsKey).orElse(null);
        for (Map.Entry<String, Double> t : rowCounts.entrySet()) {
          checks++;
          Long was = before == null ? null : before.counts().get(t.getKey());
          Optional<Long> now = JdbcSchemaProbe.count(c, schema, t.getKey());
          String problem = null;
          String seen;
          if (was == null) {
            problem = "no row count of " + t.getKey() + " from before the rollback: add verification.baseline(\"db-row-counts\") in DATABASE_PREP";
            seen = problem;
          } else if (now.isEmpty()) {
            problem = "table " + t.getKey() + " is missing (it had " + was + " rows before the rollback)";
            seen = problem;
          } else {
            long allowed = (long) Math.floor(was * t.getValue());
            long delta = Math.abs(now.get() - was);
            seen = t.getKey() + " has " + now.get() + " rows, " + was + " before the rollback (tolerance " + allowed + ")";
            if (delta > allowed) {
              problem = seen;
            }
          }
          record(ctx, "row count " + t.getKey(), problem, seen, failures);
        }
      }
      for (Map.Entry<String, String> a : assertions.entrySet()) {
        checks++;
        String problem;
        try {
          problem = JdbcSchemaProbe.holds(c, a.getValue()) ? null : "assertion '" + a.getKey() + "' does not hold";
        } catch (SQLException e) {
          problem = "assertion '" + a.getKey() + "' failed to run: " + e.getMessage();
        }
        record(ctx, "assertion " + a.getKey(), problem, problem == null ? "assertion '" + a.getKey() + "' holds" : problem, failures);
      }
      if (latencyRuns > 0) {
        checks++;
        JdbcSchemaProbe.Latency l = JdbcSchemaProbe.latency(c, latencyRuns);
        String problem = maxP99 != null && l.p99().compareTo(maxP99) > 0 ? latencyText(l) + " is over " + millis(maxP99) : null;
        Map<String, String> f = new LinkedHashMap<>();
        f.put("p50Millis", millis(l.p50()));
        f.put("p99Millis", millis(l.p99()));
        record(ctx, "latency", problem, latencyText(l), failures, f);
      }
    }
    if (!failures.isEmpty()) {
      throw new RollbackException(ErrorCode.VALIDATION_FAILED, "database verification of " + endpoint + " failed " + failures.size() + " of "
          + checks + " check(s): " + String.join("; ", failures));
    }
    return StepResult.succeeded("database verified: " + checks + " check(s) passed").withFact("kind", "db-verification")
        .withFact("checks", checks);
  }

  private static void record(StepContext ctx, String check, @Nullable String problem, String seen, List<String> failures) {
    record(ctx, check, problem, seen, failures, Map.of());
  }

  private static void record(StepContext ctx, String check, @Nullable String problem, String seen, List<String> failures,
      Map<String, String> extra) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("kind", "db-verification");
    f.put("check", check);
    f.put("passed", String.valueOf(problem == null));
    f.putAll(extra);
    ctx.record((problem == null ? "passed: " : "FAILED: ") + seen, f);
    if (problem != null) {
      failures.add(problem);
    }
  }

  private static List<String> missingColumns(List<String> expected, Set<String> actual) {
    return expected.stream().filter(c -> !actual.contains(c.toLowerCase(Locale.ROOT))).toList();
  }

  private static String latencyText(JdbcSchemaProbe.Latency l) {
    return "SELECT 1 x" + l.runs() + ": p50 " + millis(l.p50()) + " ms, p99 " + millis(l.p99()) + " ms";
  }

  private static String millis(@Nullable Duration d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.1f", d.toNanos() / 1_000_000.0);
  }

  @Override
  public String toString() {
    return "DatabaseVerification[" + id + ", " + endpoint + "]";
  }

  /** Builds a {@link DatabaseVerification}; problems are collected and reported at {@link #build()}. */
  public static final class Builder {
    private final String id;
    private Phase phase = Phase.DATABASE_ROLLBACK;
    private @Nullable DataSource dataSource;
    private @Nullable String jdbcUrl;
    private @Nullable String user;
    private @Nullable Secret password;
    private @Nullable String schema;
    private final Map<String, List<String>> tables = new LinkedHashMap<>();
    private final Map<String, Double> rowCounts = new LinkedHashMap<>();
    private final Map<String, String> assertions = new LinkedHashMap<>();
    private int latencyRuns;
    private @Nullable Duration maxP99;
    private final List<String> problems = new ArrayList<>();

    private Builder(String id) {
      this.id = id;
    }

    /**
     * @param dataSource the database; or give {@link #jdbcUrl(String)}
     * @return this builder
     */
    public Builder dataSource(DataSource dataSource) {
      if (dataSource == null) {
        problems.add("dataSource must not be null: pass the application's DataSource, or use jdbcUrl(...)");
      }
      this.dataSource = dataSource;
      return this;
    }

    /**
     * @param url the JDBC URL
     * @return this builder
     */
    public Builder jdbcUrl(String url) {
      if (url == null || !url.startsWith("jdbc:")) {
        problems.add("jdbcUrl must start with 'jdbc:', but was " + (url == null ? "null" : "'" + url + "'"));
      }
      this.jdbcUrl = url;
      return this;
    }

    /**
     * @param user the database user
     * @return this builder
     */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /**
     * @param password the user's password; never logged or recorded
     * @return this builder
     */
    public Builder password(Secret password) {
      if (password == null) {
        problems.add("password must not be null: pass Secret.of(value)");
      }
      this.password = password;
      return this;
    }

    /**
     * @param schema the schema the tables are in; default the connection's
     * @return this builder
     */
    public Builder schema(String schema) {
      if (schema == null || schema.isBlank()) {
        problems.add("schema must not be blank, but was " + (schema == null ? "null" : "'" + schema + "'"));
      }
      this.schema = schema;
      return this;
    }

    /**
     * @param phase the phase to run in; default {@link Phase#DATABASE_ROLLBACK} (after the undo);
     *     {@link Phase#VALIDATE} also makes sense
     * @return this builder
     */
    public Builder phase(Phase phase) {
      if (phase == null) {
        problems.add("phase must not be null: pass Phase.DATABASE_ROLLBACK or Phase.VALIDATE");
      } else {
        this.phase = phase;
      }
      return this;
    }

    /**
     * Expects a table with at least these columns (names compared without case).
     *
     * @param table the table
     * @param columns its columns the target version uses
     * @return this builder
     */
    public Builder expectTable(String table, String... columns) {
      if (table == null || table.isBlank() || columns == null || java.util.Arrays.stream(columns).anyMatch(c -> c == null || c.isBlank())) {
        problems.add("expectTable needs a table name and non-blank column names, but got " + table + " "
            + (columns == null ? "null" : java.util.Arrays.toString(columns)));
      } else {
        tables.put(table, List.of(columns));
      }
      return this;
    }

    /**
     * Compares a critical table's row count with the count {@link #baseline(String)} took before the
     * rollback.
     *
     * @param table the table
     * @param tolerance the accepted change as a fraction of the count before, in [0, 1]; 0.01 = 1%
     * @return this builder
     */
    public Builder rowCount(String table, double tolerance) {
      if (table == null || table.isBlank()) {
        problems.add("rowCount needs a table name, but was " + (table == null ? "null" : "'" + table + "'"));
      } else if (!(tolerance >= 0 && tolerance <= 1)) {
        problems.add("rowCount tolerance of " + table + " must be in [0, 1], but was " + tolerance + ": 0.01 means 1%");
      } else {
        rowCounts.put(table, tolerance);
      }
      return this;
    }

    /**
     * A custom check: a query whose first column of its first row is true or a non-zero number.
     *
     * @param name what it checks, for the timeline ("every order has a customer")
     * @param sql the query
     * @return this builder
     */
    public Builder assertion(String name, String sql) {
      if (name == null || name.isBlank() || sql == null || sql.isBlank()) {
        problems.add("assertion needs a name and a query, but got " + name + " and " + sql);
      } else if (assertions.containsKey(name)) {
        problems.add("assertion '" + name + "' is given twice: give each a name of its own");
      } else {
        assertions.put(name, sql);
      }
      return this;
    }

    /**
     * Measures {@code SELECT 1} latency over {@code runs} queries on one connection.
     *
     * @param runs how many queries, 1 to 10000
     * @param maxP99 the highest accepted p99, or null to only record it
     * @return this builder
     */
    public Builder latency(int runs, @Nullable Duration maxP99) {
      if (runs < 1 || runs > 10_000) {
        problems.add("latency runs must be in [1, 10000], but was " + runs);
      } else if (maxP99 != null && (maxP99.isZero() || maxP99.isNegative())) {
        problems.add("latency maxP99 must be positive, but was " + maxP99);
      } else {
        this.latencyRuns = runs;
        this.maxP99 = maxP99;
      }
      return this;
    }

    /**
     * @return the step
     * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} listing every problem
     */
    public DatabaseVerification build() {
      List<String> all = new ArrayList<>(problems);
      if (id == null || id.isBlank()) {
        all.add("id must not be blank, but was " + (id == null ? "null" : "'" + id + "'") + ": give the step a stable name such as 'db-verify'");
      }
      boolean connectionProblem = problems.stream().anyMatch(p -> p.startsWith("dataSource") || p.startsWith("jdbcUrl"));
      if (dataSource == null && jdbcUrl == null && !connectionProblem) {
        all.add("no database: call dataSource(ds) or jdbcUrl(...) with user(...) and password(...)");
      }
      if (dataSource != null && jdbcUrl != null) {
        all.add("give either dataSource(...) or jdbcUrl(...), not both");
      }
      if (tables.isEmpty() && rowCounts.isEmpty() && assertions.isEmpty() && latencyRuns == 0 && problems.isEmpty()) {
        all.add("nothing to verify: add expectTable(...), rowCount(...), assertion(...) or latency(...)");
      }
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid database verification '" + id + "'", all);
      }
      return new DatabaseVerification(this);
    }
  }
}
