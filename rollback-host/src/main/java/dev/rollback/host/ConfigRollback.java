package dev.rollback.host;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Key;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.StepStatus;
import dev.rollback.core.command.CommandResult;
import dev.rollback.core.version.VersionCatalog;
import dev.rollback.host.internal.ConfigBackupLog;
import dev.rollback.host.internal.ConfigCommand;
import dev.rollback.host.internal.ConfigFiles;
import dev.rollback.host.internal.ConfigPlan;
import dev.rollback.host.internal.ConfigStaging;
import dev.rollback.host.internal.ConfigUndo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Restores config files from the target tag ({@link StepContext#toVersion()}) into a config folder
 * on disk, in the {@link Phase#CONFIG_ROLLBACK} phase.
 *
 * <pre>{@code
 * Step config = ConfigRollback.builder("restore-nginx-config")
 *     .versions(GitVersionCatalog.open(repo))
 *     .configFolder(Path.of("/etc/nginx"))
 *     .folder("deploy/nginx")                              // every file under it, by relative path
 *     .file("deploy/app.env.template", "conf.d/app.env")    // one file, to a path of its own
 *     .validate("nginx", "-t", "-p", "{staging}", "-c", "{staging}/nginx.conf")
 *     .reload("systemctl", "reload", "nginx")
 *     .build();
 * }</pre>
 *
 * <p>How a run goes:
 *
 * <ol>
 *   <li>The target files are read from the tag. A live file whose bytes already equal the target's
 *       is left alone (the step is idempotent: a repeated run changes nothing).
 *   <li>Validation never touches the live folder: the live folder is copied to a fresh staging
 *       folder, the candidate files are written there, and the validation command runs with {@code
 *       {staging}} replaced by that folder. A failing command (non-zero exit or timeout) stops the
 *       step before any live file is replaced, naming the command, its exit code and output. The
 *       staging folder is deleted afterwards.
 *   <li>Each changed file is backed up as {@code <name>.pre-rollback-<yyyyMMdd-HHmmss>} (run clock,
 *       UTC) beside it, then replaced atomically (temporary file, fsync, {@code ATOMIC_MOVE}) with
 *       its mode kept. Each file is a timeline entry ({@code kind=config}, path, action, backup,
 *       bytes).
 *   <li>The reload command runs ({@code {config}} is replaced by the config folder). If it fails,
 *       or a file cannot be written, the files already replaced are put back, the reload command
 *       runs once more, and the step fails: it never leaves a half-restored folder.
 * </ol>
 *
 * <p>{@link #compensate} (a later step aborted the run) restores the backups this step wrote,
 * deletes the files it created, and runs the reload command again. The list of backups is kept
 * under a {@link Key} that the runner journals, so a resumed run can still compensate.
 *
 * @since 0.1.0
 */
public final class ConfigRollback implements Step {
  private final String id;
  private final VersionCatalog versions;
  private final Path configFolder;
  private final List<ConfigPlan.Mapping> mappings;
  private final @Nullable ConfigCommand validate;
  private final @Nullable ConfigCommand reload;
  private final ConfigMissingFiles missing;
  private final Key<ConfigBackupLog> backups;

  private ConfigRollback(Builder b) {
    this.id = b.id;
    this.versions = b.versions;
    this.configFolder = b.configFolder.toAbsolutePath().normalize();
    this.mappings = List.copyOf(b.mappings);
    this.validate = b.validate == null ? null : new ConfigCommand(b.validate, b.timeout);
    this.reload = b.reload == null ? null : new ConfigCommand(b.reload, b.timeout);
    this.missing = b.missing;
    this.backups = Key.of("config-rollback." + id + ".backups", ConfigBackupLog.class);
  }

  /**
   * Starts a builder.
   *
   * @param id the step's id, unique within the plan ("restore-nginx-config")
   * @return a builder
   */
  public static Builder builder(String id) {
    return new Builder(id);
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

  /** @return true: files already equal to the target are skipped, so a repeat changes nothing */
  @Override
  public boolean idempotent() {
    return true;
  }

  /** @return the key under which the backups of a run are kept (and journaled) */
  public Key<ConfigBackupLog> backupsKey() {
    return backups;
  }

  /**
   * Describes the files that would change, without changing anything.
   *
   * @param ctx the run's context
   * @return one line
   */
  @Override
  public String preview(StepContext ctx) {
    try {
      List<ConfigPlan.Change> changes = plan(ctx);
      long changed = changes.stream().filter(c -> !c.unchanged()).count();
      return "would restore " + changed + " of " + changes.size() + " config file(s) in " + configFolder + " from " + ctx.toVersion()
          + (validate == null ? "" : ", validated first with: " + validate)
          + (reload == null ? "" : ", then reload with: " + reload);
    } catch (RuntimeException e) {
      return "would restore config files in " + configFolder + " from " + ctx.toVersion() + " (cannot list them now: " + e.getMessage() + ")";
    }
  }

  /**
   * Validates, backs up, replaces and reloads; see the class description.
   *
   * @param ctx the run's context
   * @return the files changed, as facts
   * @throws RollbackException with {@link ErrorCode#VALIDATION_FAILED} when the validation or the
   *     reload command fails (nothing is left replaced)
   * @throws Exception when files cannot be read or written (what was replaced is put back)
   */
  @Override
  public StepResult execute(StepContext ctx) throws Exception {
    String tag = ctx.toVersion();
    List<ConfigPlan.Change> changes = plan(ctx);
    List<ConfigPlan.Change> todo = changes.stream().filter(c -> !c.unchanged()).toList();
    for (ConfigPlan.Change c : changes) {
      if (c.unchanged()) {
        ctx.record("config file " + c.relative() + " already matches " + tag, facts(c, "unchanged", null));
      }
    }
    if (todo.isEmpty()) {
      return new StepResult(StepStatus.SKIPPED, "the " + changes.size() + " config file(s) in " + configFolder + " already match " + tag,
          Map.of("kind", "config", "folder", configFolder.toString(), "changed", "0"));
    }
    ctx.throwIfCancelled();
    if (validate != null) {
      validateStaged(ctx, todo, tag);
    }
    ctx.throwIfCancelled();
    Instant at = ctx.clock().instant();
    ConfigBackupLog log = ctx.get(backups).orElse(ConfigBackupLog.empty());
    int done = 0;
    try {
      for (ConfigPlan.Change c : todo) {
        Path backup = apply(c, at);
        log = log.with(new ConfigBackupLog.Entry(c.live().toString(), backup == null ? null : backup.toString()));
        ctx.put(backups, log);
        String action = c.content() == null ? "removed" : backup == null ? "created" : "replaced";
        ctx.record("config file " + c.relative() + " " + action + " from " + tag, facts(c, action, backup));
        ctx.progress("config files from " + tag, (double) ++done / todo.size());
      }
    } catch (IOException | RuntimeException e) {
      List<String> undoFailures = ConfigUndo.undoAll(log);
      ctx.put(backups, ConfigBackupLog.empty());
      runReloadQuietly(ctx);
      throw new IOException("writing config files from " + tag + " into " + configFolder + " failed (" + e.getMessage() + "); "
          + undone(undoFailures), e);
    }
    if (reload != null) {
      CommandResult r = reload.run(placeholders(null));
      if (!r.succeeded()) {
        List<String> undoFailures = ConfigUndo.undoAll(log);
        ctx.put(backups, ConfigBackupLog.empty());
        runReloadQuietly(ctx);
        throw new RollbackException(ErrorCode.VALIDATION_FAILED, "reload command '" + reload + "' " + ConfigCommand.describe(r)
            + " after config files from " + tag + " were written; " + undone(undoFailures));
      }
      ctx.record("config reloaded", Map.of("kind", "config", "command", reload.toString(), "exitCode", String.valueOf(r.exitCode())));
    }
    return new StepResult(StepStatus.SUCCEEDED, "restored " + todo.size() + " config file(s) in " + configFolder + " from " + tag,
        Map.of("kind", "config", "folder", configFolder.toString(), "changed", String.valueOf(todo.size()),
            "unchanged", String.valueOf(changes.size() - todo.size())));
  }

  /**
   * Restores the backups this step wrote (newest first), deletes files it created, then runs the
   * reload command again.
   *
   * @param ctx the run's context
   * @return how it went; skipped when the step changed nothing
   * @throws RollbackException when a file cannot be put back or the reload fails, naming each file
   */
  @Override
  public StepResult compensate(StepContext ctx) throws Exception {
    ConfigBackupLog log = ctx.get(backups).orElse(ConfigBackupLog.empty());
    if (log.entries().isEmpty()) {
      return StepResult.skipped("no config file was changed");
    }
    List<ConfigBackupLog.Entry> entries = new ArrayList<>(log.entries());
    Collections.reverse(entries);
    List<String> failures = new ArrayList<>();
    for (ConfigBackupLog.Entry e : entries) {
      try {
        String action = ConfigUndo.undo(e);
        Map<String, String> f = new LinkedHashMap<>();
        f.put("kind", "config");
        f.put("path", e.live());
        f.put("action", action);
        f.put("backup", e.backup() == null ? "none" : e.backup());
        ctx.record("config file " + e.live() + " " + action + " from its backup", f);
      } catch (IOException | RuntimeException ex) {
        failures.add(e.live() + ": " + ex.getMessage());
      }
    }
    String reloadNote = "";
    if (reload != null) {
      CommandResult r = reload.run(placeholders(null));
      if (!r.succeeded()) {
        failures.add("reload command '" + reload + "' " + ConfigCommand.describe(r));
      } else {
        reloadNote = ", reloaded";
      }
    }
    if (!failures.isEmpty()) {
      throw new RollbackException(ErrorCode.VALIDATION_FAILED, "config compensation of step '" + id + "' left problems: "
          + String.join("; ", failures) + ": the backups are beside each file as <name>" + ConfigFiles.BACKUP_MARKER + "<time>");
    }
    return StepResult.succeeded("restored " + entries.size() + " config file(s) from their backups" + reloadNote)
        .withFact("kind", "config").withFact("restored", entries.size());
  }

  private List<ConfigPlan.Change> plan(StepContext ctx) {
    return ConfigPlan.changes(versions, ctx.toVersion(), ctx.fromVersion(), configFolder, mappings, missing);
  }

  private void validateStaged(StepContext ctx, List<ConfigPlan.Change> todo, String tag) throws IOException, InterruptedException {
    ConfigCommand v = validate;
    if (v == null) {
      return;
    }
    try (ConfigStaging staging = ConfigStaging.of(configFolder, todo)) {
      CommandResult r = v.run(placeholders(staging.folder()));
      Map<String, String> f = new LinkedHashMap<>();
      f.put("kind", "config");
      f.put("command", v.toString());
      f.put("exitCode", String.valueOf(r.exitCode()));
      f.put("timedOut", String.valueOf(r.timedOut()));
      ctx.record("config validation " + (r.succeeded() ? "passed" : "failed") + " for " + tag, f);
      if (!r.succeeded()) {
        throw new RollbackException(ErrorCode.VALIDATION_FAILED, "validation command '" + v + "' " + ConfigCommand.describe(r)
            + " against the config files of " + tag + " (staged in a copy of " + configFolder + "); nothing was replaced: fix the "
            + "config at " + tag + " or the validation command");
      }
    }
  }

  private @Nullable Path apply(ConfigPlan.Change c, Instant at) throws IOException {
    Path live = c.live();
    byte[] content = c.content();
    if (content == null) {
      return ConfigFiles.removeWithBackup(live, at);
    }
    Path backup = Files.isRegularFile(live) ? ConfigFiles.backup(live, at) : null;
    ConfigFiles.write(live, content, null);
    return backup;
  }

  private void runReloadQuietly(StepContext ctx) {
    if (reload == null) {
      return;
    }
    try {
      CommandResult r = reload.run(placeholders(null));
      if (!r.succeeded()) {
        ctx.log().warn("reload after putting the config files back {}", ConfigCommand.describe(r));
      }
    } catch (IOException e) {
      ctx.log().warn("reload after putting the config files back could not start: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Map<String, Path> placeholders(@Nullable Path staging) {
    Map<String, Path> p = new LinkedHashMap<>();
    if (staging != null) {
      p.put(ConfigCommand.STAGING, staging);
    }
    p.put(ConfigCommand.CONFIG, configFolder);
    return p;
  }

  private static String undone(List<String> undoFailures) {
    return undoFailures.isEmpty()
        ? "the files already replaced were put back from their backups"
        : "these files could not be put back, restore them from their " + ConfigFiles.BACKUP_MARKER + "<time> backups by hand: "
            + String.join("; ", undoFailures);
  }

  private static Map<String, String> facts(ConfigPlan.Change c, String action, @Nullable Path backup) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("kind", "config");
    f.put("path", c.live().toString());
    f.put("source", c.repoPath());
    f.put("action", action);
    f.put("backup", backup == null ? "none" : backup.toString());
    f.put("bytes", String.valueOf(c.content() == null ? 0 : c.content().length));
    return f;
  }

  @Override
  public String toString() {
    return "ConfigRollback[" + id + " -> " + configFolder + "]";
  }

  /**
   * Builds a {@link ConfigRollback}; every problem is collected and reported at once by {@link
   * #build()}.
   */
  public static final class Builder {
    private final String id;
    private @Nullable VersionCatalog versions;
    private @Nullable Path configFolder;
    private final List<ConfigPlan.Mapping> mappings = new ArrayList<>();
    private @Nullable List<String> validate;
    private @Nullable List<String> reload;
    private Duration timeout = Duration.ofMinutes(1);
    private ConfigMissingFiles missing = ConfigMissingFiles.KEEP;
    private final List<String> problems = new ArrayList<>();

    private Builder(String id) {
      this.id = id;
    }

    /**
     * @param catalog where the target's files are read from ({@link VersionCatalog#read}); required
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
     * @param folder the live config folder on disk ({@code /etc/nginx}); required, must exist when
     *     the step runs
     * @return this builder
     */
    public Builder configFolder(Path folder) {
      if (folder == null) {
        problems.add("configFolder must not be null: pass the live config folder, such as /etc/nginx");
      }
      this.configFolder = folder;
      return this;
    }

    /**
     * Maps every file under a repository folder to the same relative path in the config folder.
     *
     * @param repoFolder a folder in the repository ({@code "deploy/nginx"}; {@code ""} for the root)
     * @return this builder
     */
    public Builder folder(String repoFolder) {
      String problem = ConfigPlan.checkRepoPath("folder", repoFolder, true);
      if (problem != null) {
        problems.add(problem);
      } else {
        mappings.add(ConfigPlan.Mapping.folder(repoFolder));
      }
      return this;
    }

    /**
     * Maps one repository file to a path in the config folder.
     *
     * @param repoPath the file in the repository ({@code "deploy/nginx/nginx.conf"})
     * @param target its path relative to the config folder ({@code "nginx.conf"})
     * @return this builder
     */
    public Builder file(String repoPath, String target) {
      String p1 = ConfigPlan.checkRepoPath("file", repoPath, false);
      String p2 = ConfigPlan.checkRepoPath("file target", target, false);
      if (p1 != null) {
        problems.add(p1);
      }
      if (p2 != null) {
        problems.add(p2);
      }
      if (p1 == null && p2 == null) {
        mappings.add(ConfigPlan.Mapping.file(repoPath, target));
      }
      return this;
    }

    /**
     * Sets the validation command, run against the candidate files before anything is replaced. It
     * must name the staging folder with {@value ConfigCommand#STAGING}, for example {@code nginx -t
     * -p {staging} -c {staging}/nginx.conf} or {@code sh -c "grep -q valid {staging}/app.conf"}.
     *
     * @param args the program and its arguments (no shell)
     * @return this builder
     */
    public Builder validate(String... args) {
      this.validate = command("validate", args);
      return this;
    }

    /**
     * Sets the reload command, run after the files are in place and again after a compensation. It
     * may name the config folder with {@value ConfigCommand#CONFIG}.
     *
     * @param args the program and its arguments (no shell), e.g. {@code systemctl reload nginx}
     * @return this builder
     */
    public Builder reload(String... args) {
      this.reload = command("reload", args);
      return this;
    }

    /**
     * @param timeout how long the validation and reload commands may run; positive; default one
     *     minute
     * @return this builder
     */
    public Builder commandTimeout(Duration timeout) {
      if (timeout == null || timeout.isZero() || timeout.isNegative()) {
        problems.add("commandTimeout must be positive, but was " + timeout + ": pass e.g. Duration.ofSeconds(30)");
      } else {
        this.timeout = timeout;
      }
      return this;
    }

    /**
     * @param policy what to do with live files the target tag does not have; default {@link
     *     ConfigMissingFiles#KEEP}
     * @return this builder
     */
    public Builder missingFiles(ConfigMissingFiles policy) {
      if (policy == null) {
        problems.add("missingFiles must not be null: pass KEEP or REMOVE");
      } else {
        this.missing = policy;
      }
      return this;
    }

    /**
     * @return the step
     * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} listing every problem
     */
    public ConfigRollback build() {
      List<String> all = new ArrayList<>(problems);
      if (id == null || id.isBlank()) {
        all.add("id must not be blank, but was " + (id == null ? "null" : "'" + id + "'") + ": give the step a stable name such as 'restore-nginx-config'");
      }
      if (versions == null && problems.stream().noneMatch(p -> p.startsWith("versions"))) {
        all.add("versions must be set: pass the catalogue the config files are read from, e.g. GitVersionCatalog.open(repository)");
      }
      if (configFolder == null && problems.stream().noneMatch(p -> p.startsWith("configFolder"))) {
        all.add("configFolder must be set: pass the live config folder, such as /etc/nginx");
      }
      if (mappings.isEmpty() && problems.stream().noneMatch(p -> p.startsWith("folder") || p.startsWith("file"))) {
        all.add("no config files are mapped: call folder(\"deploy/nginx\") or file(\"deploy/app.conf\", \"app.conf\")");
      }
      if (validate != null && validate.stream().noneMatch(a -> a.contains(ConfigCommand.STAGING))) {
        all.add("validate command " + validate + " does not name the staging folder " + ConfigCommand.STAGING
            + ": it must check the candidate files, not the live ones; e.g. nginx -t -p {staging} -c {staging}/nginx.conf");
      }
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid config rollback '" + id + "'", all);
      }
      return new ConfigRollback(this);
    }

    private @Nullable List<String> command(String what, String @Nullable [] args) {
      if (args == null || args.length == 0 || args[0] == null || args[0].isBlank()) {
        problems.add(what + " command must name a program, but was " + (args == null ? "null" : Arrays.toString(args))
            + ": pass the program and its arguments, e.g. " + what + "(\"systemctl\", \"reload\", \"nginx\")");
        return null;
      }
      if (Arrays.stream(args).anyMatch(a -> a == null)) {
        problems.add(what + " command arguments must not be null, but were " + Arrays.toString(args));
        return null;
      }
      return List.of(args);
    }
  }
}
