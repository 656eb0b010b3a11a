package dev.rollback.db;

import dev.rollback.core.Secret;
import dev.rollback.db.internal.FrameworkCommandRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What every framework migration tool's builder takes: where the application lives (the working
 * folder of its commands), its environment, the timeout of each command, the database its status
 * is read from, and the process runner. Setters check their argument; {@code build()} reports every
 * problem at once.
 *
 * @param <B> the concrete builder
 * @since 0.1.0
 */
public abstract class FrameworkMigrationBuilder<B extends FrameworkMigrationBuilder<B>> {
  /** The timeout of each command unless told otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Problems found by the setters, reported by {@code build()}. */
  final List<String> problems = new ArrayList<>();

  @Nullable Path workingDirectory;
  final Map<String, String> environment = new LinkedHashMap<>();
  final Map<String, Secret> secretEnvironment = new LinkedHashMap<>();
  Duration timeout = DEFAULT_TIMEOUT;
  @Nullable ConnectionSource database;
  ProcessRunner processRunner = ProcessRunner.commandLine();

  FrameworkMigrationBuilder() {}

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /**
   * @param dir the application's folder, where its commands run (e.g. {@code /srv/app/current});
   *     required
   * @return this builder
   */
  public B workingDirectory(Path dir) {
    if (dir == null) {
      problems.add("workingDirectory must not be null: give the application's folder, e.g. Path.of(\"/srv/app/current\")");
    } else {
      this.workingDirectory = dir;
    }
    return self();
  }

  /**
   * @param name an environment variable for the commands, e.g. {@code RAILS_ENV}
   * @param value its value (not secret: it shows in logs)
   * @return this builder
   */
  public B env(String name, String value) {
    if (name == null || !ENV_NAME.matcher(name).matches()) {
      problems.add("env name must be letters, digits and '_', not starting with a digit, but was '" + name + "'");
    } else if (value == null) {
      problems.add("env " + name + " must not be null");
    } else {
      environment.put(name, value);
    }
    return self();
  }

  /**
   * @param name an environment variable, e.g. {@code DATABASE_URL}
   * @param value its value, revealed only to the process and masked in recorded output
   * @return this builder
   */
  public B secretEnv(String name, Secret value) {
    if (name == null || !ENV_NAME.matcher(name).matches()) {
      problems.add("secretEnv name must be letters, digits and '_', not starting with a digit, but was '" + name + "'");
    } else if (value == null) {
      problems.add("secretEnv " + name + " must not be null");
    } else {
      secretEnvironment.put(name, value);
    }
    return self();
  }

  /**
   * @param timeout the longest each command may run; positive; default {@link #DEFAULT_TIMEOUT}
   * @return this builder
   */
  public B timeout(Duration timeout) {
    if (timeout == null || timeout.isZero() || timeout.isNegative()) {
      problems.add("timeout must be positive, but was " + timeout + ": e.g. Duration.ofMinutes(10)");
    } else {
      this.timeout = timeout;
    }
    return self();
  }

  /**
   * @param database where the tool's status table is read; required
   * @return this builder
   */
  public B database(ConnectionSource database) {
    if (database == null) {
      problems.add("database must not be null: e.g. ConnectionSource.of(url, user, password)");
    } else {
      this.database = database;
    }
    return self();
  }

  /**
   * @param runner runs the commands; default {@link ProcessRunner#commandLine()}
   * @return this builder
   */
  public B processRunner(ProcessRunner runner) {
    if (runner == null) {
      problems.add("processRunner must not be null");
    } else {
      this.processRunner = runner;
    }
    return self();
  }

  /** Adds the problems of the common settings; called by {@code build()}. */
  void checkCommon(List<String> all) {
    all.addAll(problems);
    if (workingDirectory == null && problems.stream().noneMatch(p -> p.startsWith("workingDirectory"))) {
      all.add("workingDirectory is required: the application's folder, where its migration commands run");
    }
    if (database == null && problems.stream().noneMatch(p -> p.startsWith("database"))) {
      all.add("database is required: the status table is read through it, e.g. ConnectionSource.of(url, user, password)");
    }
  }

  /** @return the command runner for the tool, once {@link #checkCommon} found nothing */
  FrameworkCommandRunner commands(String tool) {
    return new FrameworkCommandRunner(tool, processRunner, workingDirectory, environment, secretEnvironment, timeout);
  }
}
