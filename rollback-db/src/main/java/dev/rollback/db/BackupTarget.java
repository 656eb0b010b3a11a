package dev.rollback.db;

import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import dev.rollback.core.StepContext;
import dev.rollback.db.internal.BackupEngine;
import dev.rollback.db.internal.H2BackupEngine;
import dev.rollback.db.internal.PgBackupEngine;
import dev.rollback.db.internal.PgConnectionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The database a {@link DatabaseBackup} is taken of and a {@link DatabaseRestore} restores into:
 * where it is, who connects, and where the password comes from. It never prints the password.
 *
 * <pre>{@code
 * BackupTarget db = BackupTarget.postgres()
 *     .host("db.internal").port(5432).database("checkout").user("checkout_owner")
 *     .passwordSecret("checkout-db")                     // declared with RollbackPlan.Builder.secret
 *     .binaries(Path.of("/usr/lib/postgresql/16/bin"))   // optional: pg_dump/pg_restore, else the PATH
 *     .build();
 * BackupTarget embedded = BackupTarget.h2("jdbc:h2:/var/lib/app/db").user("sa").gzip(true).build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class BackupTarget {
  private final BackupEngine engine;
  private final @Nullable Secret password;
  private final @Nullable String passwordSecret;

  private BackupTarget(BackupEngine engine, @Nullable Secret password, @Nullable String passwordSecret) {
    this.engine = engine;
    this.password = password;
    this.passwordSecret = passwordSecret;
  }

  /** @return a builder for a PostgreSQL database, backed up with {@code pg_dump -Fc} */
  public static PostgresBuilder postgres() {
    return new PostgresBuilder();
  }

  /**
   * @param jdbcUrl the H2 JDBC URL, such as {@code jdbc:h2:/var/lib/app/db}
   * @return a builder for an H2 database, backed up with {@code SCRIPT TO}
   */
  public static H2Builder h2(String jdbcUrl) {
    return new H2Builder(jdbcUrl);
  }

  /** @return the kind of database */
  public BackupRecord.DatabaseKind kind() {
    return engine.kind();
  }

  /** @return the database, for people, without the password */
  @Override
  public String toString() {
    return engine.describe();
  }

  BackupEngine engine() {
    return engine;
  }

  /**
   * @param ctx the run's context, or null outside a run
   * @return the password: given directly, or the plan's secret of the configured name
   */
  @Nullable
  Secret password(@Nullable StepContext ctx) {
    if (passwordSecret == null) {
      return password;
    }
    if (ctx == null) {
      throw new RollbackException(dev.rollback.core.ErrorCode.INVALID_CONFIGURATION, "the password of " + engine.describe()
          + " is the plan's secret '" + passwordSecret + "', which exists only inside a run: run the step in a plan, or give the "
          + "password with password(Secret)");
    }
    return ctx.secret(passwordSecret);
  }

  private abstract static class Common<B extends Common<B>> {
    final List<String> problems = new ArrayList<>();
    @Nullable Secret password;
    @Nullable String passwordSecret;

    abstract B self();

    /**
     * @param password the password (never printed); leave unset when none is needed
     * @return this builder
     */
    public B password(Secret password) {
      if (password == null) {
        problems.add("password must not be null: pass Secret.of(value), or leave it unset when no password is needed");
      }
      this.password = password;
      return self();
    }

    /**
     * @param name the name of a secret declared in the plan with {@code RollbackPlan.Builder.secret(name, …)},
     *     read when the step runs
     * @return this builder
     */
    public B passwordSecret(String name) {
      if (name == null || name.isBlank()) {
        problems.add("passwordSecret must name a secret of the plan, but was " + (name == null ? "null" : "'" + name + "'"));
      }
      this.passwordSecret = name;
      return self();
    }

    void checkPassword(List<String> all) {
      if (password != null && passwordSecret != null) {
        all.add("both password(Secret) and passwordSecret('" + passwordSecret + "') are set: keep one");
      }
    }
  }

  /** Builds a PostgreSQL target; {@link #build()} reports every problem at once. */
  public static final class PostgresBuilder extends Common<PostgresBuilder> {
    private String host = "localhost";
    private int port = 5432;
    private @Nullable String database;
    private @Nullable String user;
    private @Nullable Path binaries;

    private PostgresBuilder() {}

    @Override
    PostgresBuilder self() {
      return this;
    }

    /**
     * @param host the server's host name or address; default {@code localhost}
     * @return this builder
     */
    public PostgresBuilder host(String host) {
      if (host == null || host.isBlank()) {
        problems.add("host must not be blank, but was " + (host == null ? "null" : "'" + host + "'") + ": pass e.g. \"db.internal\"");
      } else {
        this.host = host;
      }
      return this;
    }

    /**
     * @param port the server's TCP port, 1–65535; default 5432
     * @return this builder
     */
    public PostgresBuilder port(int port) {
      if (port < 1 || port > 65535) {
        problems.add("port must be between 1 and 65535, but was " + port);
      } else {
        this.port = port;
      }
      return this;
    }

    /**
     * @param database the database to back up; required
     * @return this builder
     */
    public PostgresBuilder database(String database) {
      if (database == null || database.isBlank()) {
        problems.add("database must not be blank, but was " + (database == null ? "null" : "'" + database + "'"));
      }
      this.database = database;
      return this;
    }

    /**
     * @param user the role to connect as; it must be able to read every table (and, to restore,
     *     to drop and create them); required
     * @return this builder
     */
    public PostgresBuilder user(String user) {
      if (user == null || user.isBlank()) {
        problems.add("user must not be blank, but was " + (user == null ? "null" : "'" + user + "'"));
      }
      this.user = user;
      return this;
    }

    /**
     * @param folder the folder holding {@code pg_dump} and {@code pg_restore} of a version at least
     *     the server's; default: found on the PATH
     * @return this builder
     */
    public PostgresBuilder binaries(Path folder) {
      if (folder == null) {
        problems.add("binaries must not be null: pass the folder of pg_dump, e.g. /usr/lib/postgresql/16/bin, or leave it unset for the PATH");
      }
      this.binaries = folder;
      return this;
    }

    /**
     * @return the target
     * @throws RollbackException listing every problem
     */
    public BackupTarget build() {
      List<String> all = new ArrayList<>(problems);
      if (database == null && problems.stream().noneMatch(p -> p.startsWith("database"))) {
        all.add("database must be set: pass the name of the database to back up, e.g. database(\"checkout\")");
      }
      if (user == null && problems.stream().noneMatch(p -> p.startsWith("user"))) {
        all.add("user must be set: pass the role that owns the tables, e.g. user(\"checkout_owner\")");
      }
      if (binaries != null && !Files.isDirectory(binaries)) {
        all.add("binaries must be a folder holding pg_dump and pg_restore, but " + binaries + " is not a folder");
      }
      checkPassword(all);
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid PostgreSQL backup target", all);
      }
      return new BackupTarget(new PgBackupEngine(new PgConnectionSpec(host, port, database, user, binaries)), password, passwordSecret);
    }
  }

  /** Builds an H2 target; {@link #build()} reports every problem at once. */
  public static final class H2Builder extends Common<H2Builder> {
    private final @Nullable String url;
    private String user = "sa";
    private boolean gzip;

    private H2Builder(@Nullable String url) {
      this.url = url;
      if (url == null || !url.startsWith("jdbc:h2:")) {
        problems.add("jdbcUrl must be an H2 URL starting with jdbc:h2:, but was " + (url == null ? "null" : "'" + url + "'"));
      }
    }

    @Override
    H2Builder self() {
      return this;
    }

    /**
     * @param user the user to connect as, with admin rights (SCRIPT and RUNSCRIPT need them); default {@code sa}
     * @return this builder
     */
    public H2Builder user(String user) {
      if (user == null || user.isBlank()) {
        problems.add("user must not be blank, but was " + (user == null ? "null" : "'" + user + "'"));
      } else {
        this.user = user;
      }
      return this;
    }

    /**
     * @param gzip whether the script is compressed ({@code COMPRESSION GZIP}); default false
     * @return this builder
     */
    public H2Builder gzip(boolean gzip) {
      this.gzip = gzip;
      return this;
    }

    /**
     * @return the target
     * @throws RollbackException listing every problem
     */
    public BackupTarget build() {
      List<String> all = new ArrayList<>(problems);
      checkPassword(all);
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid H2 backup target", all);
      }
      return new BackupTarget(new H2BackupEngine(url, user, gzip), password, passwordSecret);
    }
  }
}
