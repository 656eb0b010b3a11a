package dev.rollback.db;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import dev.rollback.core.StepContext;
import dev.rollback.core.database.AppliedMigration;
import dev.rollback.core.database.MigrationTool;
import dev.rollback.core.decision.DatabaseFacts;
import dev.rollback.core.decision.MigrationFacts;
import dev.rollback.core.version.VersionCatalog;
import dev.rollback.db.internal.FlywayHistory;
import dev.rollback.db.internal.FlywayJdbcEndpoint;
import dev.rollback.db.internal.FlywayTagScripts;
import dev.rollback.db.internal.FlywayUndo;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.ValidateResult;
import org.jspecify.annotations.Nullable;

/**
 * Flyway (community edition) as a rollback sees it: what the database has applied, the migrations
 * between two versions and their risk, and undo by {@code U<version>__*.sql} scripts.
 *
 * <p>The migrations of a version are read from its git tag through the {@link VersionCatalog} (the
 * migration folder at that tag) and fed to Flyway from memory; the database's state is read from
 * Flyway's history table through {@code info()}. It is the core's {@link MigrationFacts} (give it to
 * {@code Assessor.custom().migrations(tool)}, so that destructive migrations without undo turn the
 * decision to FORWARD_FIX) and its {@link MigrationTool}.
 *
 * <pre>{@code
 * FlywayMigrationTool flyway = FlywayMigrationTool.builder()
 *     .jdbcUrl("jdbc:postgresql://db:5432/shop").user("shop").password(Secret.of(System.getenv("DB_PASSWORD")))
 *     .schema("public")                       // default: the connection's schema
 *     .versions(GitVersionCatalog.open(repo))
 *     .folder("db/migration")                 // the default
 *     .build();
 * MigrationDiff diff = flyway.diff("v1.2.0", "v1.1.0");
 * }</pre>
 *
 * <p>Undo: the community edition has none ({@code flyway undo} needs a Redgate edition), so undo
 * scripts are run by this class: newest applied first, on PostgreSQL in one transaction under
 * Flyway's own advisory lock together with deleting the undone rows from the history table; then
 * {@code flyway validate} runs against the target's migrations. On databases whose DDL commits at
 * once (H2) each script runs with its history row in a transaction of its own.
 *
 * @since 0.1.0
 */
public final class FlywayMigrationTool implements MigrationTool, MigrationFacts {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

  private final FlywayJdbcEndpoint endpoint;
  private final @Nullable String schema;
  private final String table;
  private final VersionCatalog versions;
  private final String folder;
  private final Duration lockTimeout;
  private final FlywayHistory history;

  private FlywayMigrationTool(Builder b) {
    this.endpoint = b.dataSource != null ? FlywayJdbcEndpoint.of(b.dataSource) : FlywayJdbcEndpoint.of(b.jdbcUrl, b.user, b.password);
    this.schema = b.schema;
    this.table = b.table;
    this.versions = b.versions;
    this.folder = b.folder;
    this.lockTimeout = b.lockTimeout;
    this.history = new FlywayHistory(endpoint, schema, table);
  }

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  /** @return {@code flyway} */
  @Override
  public String name() {
    return "flyway";
  }

  /** @return the migration folder in the repository */
  public String folder() {
    return folder;
  }

  /**
   * Reads what the database has applied, from Flyway's history table, oldest first. Repeatable
   * migrations carry their description as version; failed rows are left out.
   *
   * @return the applied migrations
   */
  @Override
  public List<AppliedMigration> applied() {
    MigrationInfo[] infos = history.flyway(null, false).info().applied();
    List<MigrationInfo> rows = new ArrayList<>(Arrays.asList(infos));
    rows.sort(Comparator.comparing(i -> i.getInstalledRank() == null ? Integer.MAX_VALUE : i.getInstalledRank()));
    List<AppliedMigration> out = new ArrayList<>();
    for (MigrationInfo i : rows) {
      if (i.getType().isSynthetic() || i.getState().isFailed()) {
        continue;
      }
      out.add(new AppliedMigration("", i.getVersion() == null ? i.getDescription() : i.getVersion().getVersion(), i.getDescription(),
          i.getInstalledOn() == null ? null : i.getInstalledOn().toInstant()));
    }
    return out;
  }

  /**
   * The migrations applied that the target does not ship, each classified, with its undo script
   * at the running version's tag.
   *
   * @param from the running version's tag
   * @param to the target version's tag
   * @return the diff
   * @throws RollbackException with {@link ErrorCode#VERSION_REJECTED} when a tag does not exist
   */
  public MigrationDiff diff(String from, String to) {
    return history.diff(scripts(from), scripts(to));
  }

  /**
   * @param from the running version
   * @param to the target version
   * @return {@link #diff(String, String)} as the core's decision rules read it
   */
  @Override
  public DatabaseFacts between(String from, String to) {
    return diff(from, to).toFacts();
  }

  /**
   * Undoes every applied versioned migration newer than {@code version}, newest applied first, with
   * the undo scripts at {@link StepContext#fromVersion()}, then validates against the migrations of
   * {@link StepContext#toVersion()}. This runs no policy: {@link MigrationUndo} is the step that
   * does, with backups and consent.
   *
   * @param version the migration version to keep as the newest applied one
   * @param ctx the run's context
   * @throws Exception when an undo script is missing or fails, or validation fails afterwards
   */
  @Override
  public void migrateDownTo(String version, StepContext ctx) throws Exception {
    MigrationVersion keep = MigrationVersion.fromVersion(version);
    MigrationDiff all = diff(ctx.fromVersion(), ctx.toVersion());
    List<MigrationChange> newer = all.changes().stream()
        .filter(c -> !c.repeatable() && c.version() != null && MigrationVersion.fromVersion(c.version()).compareTo(keep) > 0).toList();
    List<String> missing = newer.stream().filter(c -> !c.undoable()).map(MigrationChange::name).toList();
    if (!missing.isEmpty()) {
      throw new RollbackException(ErrorCode.VALIDATION_FAILED, "cannot migrate down to " + version + ": " + String.join(", ", missing)
          + " have no undo script (U<version>__*.sql) in " + folder + " at " + ctx.fromVersion() + "; nothing was undone");
    }
    undo(newer, all.changes().stream().anyMatch(MigrationChange::repeatable), ctx);
  }

  /**
   * Runs the undo scripts of the given migrations (see the class description), then Flyway
   * validate against the target's migrations.
   *
   * @param changes migrations from a {@link MigrationDiff} of {@code ctx.fromVersion()} and {@code
   *     ctx.toVersion()}, each with an undo script
   * @param repeatablesChanged whether repeatable migrations differ (validate then lets them pass
   *     as pending: the target's next migrate re-applies them)
   * @param ctx the run's context
   * @return how it ran: one transaction or script by script
   * @throws SQLException when a script fails (see the class description for what is left)
   * @throws InterruptedException when interrupted waiting for the lock
   */
  Undone undo(List<MigrationChange> changes, boolean repeatablesChanged, StepContext ctx) throws SQLException, InterruptedException {
    FlywayTagScripts from = scripts(ctx.fromVersion());
    FlywayUndo.Outcome o = new FlywayUndo(endpoint, schema, table, lockTimeout).undo(changes, from, ctx);
    FlywayTagScripts to = scripts(ctx.toVersion());
    ValidateResult v = history.flyway(to, repeatablesChanged).validateWithResult();
    if (!v.validationSuccessful) {
      throw new RollbackException(ErrorCode.VALIDATION_FAILED, "the undo of " + String.join(", ", o.undone()) + " committed, but Flyway"
          + " validate against the migrations of " + ctx.toVersion() + " fails: " + v.getAllErrorMessages()
          + ": compare the history table with " + folder + " at " + ctx.toVersion());
    }
    ctx.record("Flyway validate passed against the " + to.migrations().size() + " migrations of " + ctx.toVersion(),
        Map.of("kind", "migration-undo", "validated", String.valueOf(v.validateCount)));
    return new Undone(o.transactional(), o.database(), o.undone());
  }

  /** What an undo did: whether in one transaction, on which database, which migrations. */
  record Undone(boolean transactional, String database, List<String> undone) {}

  private FlywayTagScripts scripts(String tag) {
    return FlywayTagScripts.read(versions, tag, folder);
  }

  @Override
  public String toString() {
    return "FlywayMigrationTool[" + endpoint + (schema == null ? "" : ", schema " + schema) + ", table " + table + ", " + folder + "]";
  }

  /** Builds a {@link FlywayMigrationTool}; problems are collected and reported at {@link #build()}. */
  public static final class Builder {
    private @Nullable DataSource dataSource;
    private @Nullable String jdbcUrl;
    private @Nullable String user;
    private @Nullable Secret password;
    private @Nullable String schema;
    private String table = "flyway_schema_history";
    private @Nullable VersionCatalog versions;
    private String folder = "db/migration";
    private Duration lockTimeout = Duration.ofMinutes(1);
    private final List<String> problems = new ArrayList<>();

    private Builder() {}

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
     * @param url the database's JDBC URL, e.g. {@code jdbc:postgresql://db:5432/shop}; its driver
     *     must be on the classpath
     * @return this builder
     */
    public Builder jdbcUrl(String url) {
      if (url == null || !url.startsWith("jdbc:")) {
        problems.add("jdbcUrl must start with 'jdbc:', but was " + (url == null ? "null" : "'" + url + "'")
            + ": e.g. jdbc:postgresql://db:5432/shop");
      }
      this.jdbcUrl = url;
      return this;
    }

    /**
     * @param user the database user
     * @return this builder
     */
    public Builder user(String user) {
      if (user == null || user.isBlank()) {
        problems.add("user must not be blank, but was " + (user == null ? "null" : "'" + user + "'"));
      }
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
     * @param schema the schema of the history table (Flyway's {@code schemas}); default: the
     *     connection's current schema
     * @return this builder
     */
    public Builder schema(String schema) {
      if (schema == null || !IDENTIFIER.matcher(schema).matches()) {
        problems.add("schema must be a plain SQL identifier, but was " + (schema == null ? "null" : "'" + schema + "'")
            + ": e.g. public");
      }
      this.schema = schema;
      return this;
    }

    /**
     * @param table Flyway's history table; default {@code flyway_schema_history}
     * @return this builder
     */
    public Builder table(String table) {
      if (table == null || !IDENTIFIER.matcher(table).matches()) {
        problems.add("table must be a plain SQL identifier, but was " + (table == null ? "null" : "'" + table + "'")
            + ": e.g. flyway_schema_history");
      } else {
        this.table = table;
      }
      return this;
    }

    /**
     * @param catalog where each version's migration folder is read from (its git tags); required
     * @return this builder
     */
    public Builder versions(VersionCatalog catalog) {
      if (catalog == null) {
        problems.add("versions must not be null: pass GitVersionCatalog.open(repository)");
      }
      this.versions = catalog;
      return this;
    }

    /**
     * @param folder the migration folder in the repository; default {@code db/migration}
     * @return this builder
     */
    public Builder folder(String folder) {
      if (folder == null || folder.isBlank() || folder.startsWith("/") || folder.contains("..")) {
        problems.add("folder must be a relative folder in the repository, but was " + (folder == null ? "null" : "'" + folder + "'")
            + ": e.g. db/migration or src/main/resources/db/migration");
      } else {
        this.folder = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
      }
      return this;
    }

    /**
     * @param timeout how long the undo waits for Flyway's lock (a running migrate); positive;
     *     default one minute
     * @return this builder
     */
    public Builder lockTimeout(Duration timeout) {
      if (timeout == null || timeout.isZero() || timeout.isNegative()) {
        problems.add("lockTimeout must be positive, but was " + timeout + ": e.g. Duration.ofSeconds(30)");
      } else {
        this.lockTimeout = timeout;
      }
      return this;
    }

    /**
     * @return the tool
     * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} listing every problem
     */
    public FlywayMigrationTool build() {
      List<String> all = new ArrayList<>(problems);
      boolean connectionProblem = problems.stream().anyMatch(p -> p.startsWith("dataSource") || p.startsWith("jdbcUrl"));
      if (dataSource == null && jdbcUrl == null && !connectionProblem) {
        all.add("no database: call dataSource(ds) or jdbcUrl(\"jdbc:postgresql://db:5432/shop\") with user(...) and password(...)");
      }
      if (dataSource != null && (jdbcUrl != null || user != null || password != null)) {
        all.add("give either dataSource(...) or jdbcUrl/user/password, not both: the data source already knows where and who");
      }
      if (versions == null && problems.stream().noneMatch(p -> p.startsWith("versions"))) {
        all.add("versions must be set: the migrations of each version are read from its tag, e.g. GitVersionCatalog.open(repository)");
      }
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid Flyway migration tool", all);
      }
      return new FlywayMigrationTool(this);
    }
  }
}
