package dev.rollback.host;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Key;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.Secret;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.StepStatus;
import dev.rollback.host.internal.ConfigBackupLog;
import dev.rollback.host.internal.ConfigFiles;
import dev.rollback.host.internal.ConfigUndo;
import dev.rollback.host.internal.EnvFileLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Restores an environment file ({@code KEY=VALUE} lines) from the copy saved before the version
 * being rolled back from was deployed, in the {@link Phase#CONFIG_ROLLBACK} phase.
 *
 * <pre>{@code
 * Path env = Path.of("/etc/checkout/app.env");
 * RollbackPlan.Builder plan = RollbackPlan.builder("checkout");
 * EnvFileRollback.declareValuesAsSecrets(plan, env);   // masks the values in every recorded text
 * plan.step(EnvFileRollback.builder("restore-env").envFile(env).build());
 * }</pre>
 *
 * <p>The saved copy is the one given with {@link Builder#restoreFrom(Path)} or, by default, the
 * newest {@code <envfile>.pre-rollback-<yyyyMMdd-HHmmss>} beside the env file, chosen when the step
 * runs. The current file is first backed up the same way (run clock, UTC), then replaced atomically
 * with its mode kept (env files are often {@code 0600}).
 *
 * <p>Values are secrets: the step's timeline entries, facts, messages and logs hold key names and
 * counts only, never a value. The core masks in recorded text only the secrets declared on the plan;
 * {@link #declareValuesAsSecrets} declares the env values there, so that even a value that turns up
 * elsewhere (a command's output, a failure message) is masked.
 *
 * <p>{@link #compensate} puts the backup of the replaced file back. The step is not idempotent: a
 * repeat would pick its own backup as the newest, so an interrupted run asks the operator.
 *
 * @since 0.1.0
 */
public final class EnvFileRollback implements Step {
  /** Values shorter than this are not declared as secrets: masking "1" or "on" everywhere would garble every text. */
  public static final int MIN_SECRET_LENGTH = 4;

  private final String id;
  private final Path envFile;
  private final @Nullable Path restoreFrom;
  private final Key<ConfigBackupLog> backups;

  private EnvFileRollback(Builder b) {
    this.id = b.id;
    this.envFile = b.envFile.toAbsolutePath().normalize();
    this.restoreFrom = b.restoreFrom == null ? null : b.restoreFrom.toAbsolutePath().normalize();
    this.backups = Key.of("env-file-rollback." + id + ".backups", ConfigBackupLog.class);
  }

  /**
   * Starts a builder.
   *
   * @param id the step's id, unique within the plan ("restore-env")
   * @return a builder
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /**
   * Declares every value of the env file and of its saved copies ({@code *.pre-rollback-*}) as a
   * secret of the plan, so the runner masks them in any text it records, logs or reports. Values
   * shorter than {@value #MIN_SECRET_LENGTH} characters are left out (masking them would garble
   * unrelated text); a value already declared is declared once.
   *
   * @param plan the plan being built
   * @param envFile the live env file
   * @return how many values were declared
   * @throws UncheckedIOException when a file cannot be read
   */
  public static int declareValuesAsSecrets(RollbackPlan.Builder plan, Path envFile) {
    Set<String> values = new LinkedHashSet<>();
    try {
      List<Path> files = new ArrayList<>();
      if (Files.isRegularFile(envFile)) {
        files.add(envFile);
      }
      files.addAll(savedCopies(envFile));
      for (Path f : files) {
        for (String v : EnvFileLines.parse(Files.readAllBytes(f)).values()) {
          if (v.length() >= MIN_SECRET_LENGTH) {
            values.add(v);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read env file " + envFile + " or its saved copies: " + e.getMessage(), e);
    }
    int n = 0;
    for (String v : values) {
      plan.secret("env-file:" + envFile.toAbsolutePath().normalize() + "#" + (++n), Secret.of(v));
    }
    return n;
  }

  /** @return the step's id */
  @Override
  public String id() {
    return id;
  }

  /** @return {@link Phase#CONFIG_ROLLBACK} */
  @Override
  public Phase phase() {
    return Phase.CONFIG_ROLLBACK;
  }

  /** @return the key under which the backup of a run is kept (and journaled) */
  public Key<ConfigBackupLog> backupsKey() {
    return backups;
  }

  /**
   * @param ctx the run's context
   * @return which saved copy would be restored, without values
   */
  @Override
  public String preview(StepContext ctx) {
    try {
      return source().map(s -> "would restore " + envFile + " from " + s).orElse("would fail: no saved copy of " + envFile);
    } catch (IOException e) {
      return "would restore " + envFile + " (cannot look for its saved copies now: " + e.getMessage() + ")";
    }
  }

  /**
   * Backs up the current env file and replaces it with the saved copy.
   *
   * @param ctx the run's context
   * @return facts with the key names and counts
   * @throws RollbackException with {@link dev.rollback.core.ErrorCode#INVALID_CONFIGURATION} when
   *     there is no saved copy
   * @throws IOException when a file cannot be read or written
   */
  @Override
  public StepResult execute(StepContext ctx) throws Exception {
    Path source = source().orElseThrow(() -> new RollbackException(ErrorCode.INVALID_CONFIGURATION,
        "no saved copy of " + envFile + " to restore: expected " + envFile.getFileName() + ConfigFiles.BACKUP_MARKER
            + "<yyyyMMdd-HHmmss> beside it, or set restoreFrom(path)"));
    byte[] target = Files.readAllBytes(source);
    Map<String, String> after = EnvFileLines.parse(target);
    Map<String, String> before = Files.isRegularFile(envFile) ? EnvFileLines.parse(Files.readAllBytes(envFile)) : Map.of();
    Set<String> changed = EnvFileLines.changedKeys(before, after);
    if (ConfigFiles.sameContent(envFile, target)) {
      ctx.record("env file " + envFile + " already matches its saved copy", facts(source, null, after, changed, "unchanged"));
      return new StepResult(StepStatus.SKIPPED, "env file " + envFile + " already matches " + source.getFileName(),
          Map.of("kind", "env", "path", envFile.toString(), "keyCount", String.valueOf(after.size())));
    }
    Instant at = ctx.clock().instant();
    Path backup = Files.isRegularFile(envFile) ? ConfigFiles.backup(envFile, at) : null;
    ConfigFiles.write(envFile, target, ConfigFiles.permissions(envFile).or(() -> permissionsOf(source)).orElse(null));
    ctx.put(backups, ConfigBackupLog.empty().with(new ConfigBackupLog.Entry(envFile.toString(), backup == null ? null : backup.toString())));
    ctx.record("env file " + envFile + " restored (" + after.size() + " keys, " + changed.size() + " changed)",
        facts(source, backup, after, changed, backup == null ? "created" : "replaced"));
    return new StepResult(StepStatus.SUCCEEDED, "restored env file " + envFile + ": " + after.size() + " keys, " + changed.size() + " changed",
        facts(source, backup, after, changed, backup == null ? "created" : "replaced"));
  }

  /**
   * Puts the env file this step replaced back from its backup (or deletes it if the step created it).
   *
   * @param ctx the run's context
   * @return how it went; skipped when the step changed nothing
   * @throws IOException when the file cannot be put back
   */
  @Override
  public StepResult compensate(StepContext ctx) throws Exception {
    Optional<ConfigBackupLog> log = ctx.get(backups);
    if (log.isEmpty() || log.get().entries().isEmpty()) {
      return StepResult.skipped("the env file was not changed");
    }
    List<String> actions = new ArrayList<>();
    for (ConfigBackupLog.Entry e : log.get().entries()) {
      String action = ConfigUndo.undo(e);
      actions.add(action);
      Map<String, String> f = new LinkedHashMap<>();
      f.put("kind", "env");
      f.put("path", e.live());
      f.put("action", action);
      f.put("backup", e.backup() == null ? "none" : e.backup());
      ctx.record("env file " + e.live() + " " + action + " from its backup", f);
    }
    return StepResult.succeeded("env file " + envFile + " " + String.join(", ", actions) + " from its backup").withFact("kind", "env");
  }

  private Optional<Path> source() throws IOException {
    if (restoreFrom != null) {
      return Files.isRegularFile(restoreFrom) ? Optional.of(restoreFrom) : Optional.empty();
    }
    List<Path> copies = savedCopies(envFile);
    return copies.isEmpty() ? Optional.empty() : Optional.of(copies.get(copies.size() - 1));
  }

  /** The saved copies beside the file, oldest first (the time stamp sorts by name). */
  private static List<Path> savedCopies(Path envFile) throws IOException {
    Path dir = envFile.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return List.of();
    }
    String prefix = envFile.getFileName() + ConfigFiles.BACKUP_MARKER;
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isRegularFile(p))
          .sorted(Comparator.comparing((Path p) -> stampOf(p, prefix)))
          .toList();
    }
  }

  /** Sorts {@code 20260101-000000} before {@code 20260101-000000-2}. */
  private static String stampOf(Path p, String prefix) {
    String rest = p.getFileName().toString().substring(prefix.length());
    int dash = rest.indexOf('-', 9);
    String n = dash < 0 ? "1" : rest.substring(dash + 1);
    return (dash < 0 ? rest : rest.substring(0, dash)) + "#" + String.format("%09d", parseOr(n));
  }

  private static int parseOr(String n) {
    try {
      return Integer.parseInt(n);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Optional<Set<PosixFilePermission>> permissionsOf(Path p) {
    try {
      return ConfigFiles.permissions(p);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private Map<String, String> facts(Path source, @Nullable Path backup, Map<String, String> after, Set<String> changed, String action) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("kind", "env");
    f.put("path", envFile.toString());
    f.put("source", source.toString());
    f.put("action", action);
    f.put("backup", backup == null ? "none" : backup.toString());
    f.put("keys", String.join(",", after.keySet()));
    f.put("keyCount", String.valueOf(after.size()));
    f.put("changedKeys", String.join(",", changed));
    return f;
  }

  @Override
  public String toString() {
    return "EnvFileRollback[" + id + " -> " + envFile + "]";
  }

  /** Builds an {@link EnvFileRollback}; every problem is reported at once by {@link #build()}. */
  public static final class Builder {
    private final String id;
    private @Nullable Path envFile;
    private @Nullable Path restoreFrom;

    private Builder(String id) {
      this.id = id;
    }

    /**
     * @param file the live env file ({@code /etc/checkout/app.env}); required
     * @return this builder
     */
    public Builder envFile(Path file) {
      this.envFile = file;
      return this;
    }

    /**
     * @param savedCopy the saved copy to restore; by default the newest {@code
     *     <envfile>.pre-rollback-*} beside the env file
     * @return this builder
     */
    public Builder restoreFrom(Path savedCopy) {
      this.restoreFrom = savedCopy;
      return this;
    }

    /**
     * @return the step
     * @throws RollbackException with {@link dev.rollback.core.ErrorCode#INVALID_CONFIGURATION}
     *     listing every problem
     */
    public EnvFileRollback build() {
      List<String> problems = new ArrayList<>();
      if (id == null || id.isBlank()) {
        problems.add("id must not be blank, but was " + (id == null ? "null" : "'" + id + "'") + ": give the step a stable name such as 'restore-env'");
      }
      if (envFile == null) {
        problems.add("envFile must be set: pass the live env file, such as /etc/checkout/app.env");
      } else if (envFile.getFileName() == null) {
        problems.add("envFile must name a file, but was '" + envFile + "'");
      }
      if (restoreFrom != null && envFile != null && restoreFrom.toAbsolutePath().normalize().equals(envFile.toAbsolutePath().normalize())) {
        problems.add("restoreFrom must differ from envFile, but both were '" + envFile + "': pass the saved copy");
      }
      if (!problems.isEmpty()) {
        throw RollbackException.invalid("invalid env file rollback '" + id + "'", problems);
      }
      return new EnvFileRollback(this);
    }
  }
}
