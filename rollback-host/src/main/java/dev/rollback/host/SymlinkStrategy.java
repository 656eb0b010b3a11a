package dev.rollback.host;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.service.ServiceControl;
import dev.rollback.core.strategy.Convergence;
import dev.rollback.core.strategy.PlatformState;
import dev.rollback.core.strategy.Revision;
import dev.rollback.core.strategy.RollbackRequest;
import dev.rollback.core.strategy.RollbackStrategy;
import dev.rollback.host.internal.ReleaseNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Rolls back a Capistrano-style release layout ({@link SymlinkReleases}): swaps {@code current}
 * atomically to the target release, appends to {@code revisions.log}, keeps the failed release for
 * forensics as {@code <version>.failed-<yyyyMMdd-HHmmss>}, restarts the service and waits until it
 * is ready.
 *
 * <pre>{@code
 * SymlinkStrategy symlink = SymlinkStrategy.builder(Path.of("/srv/checkout"))
 *     .marker("REVISION")                       // a release is complete when it holds this file
 *     .service(ServiceControls.systemd("checkout.service"))
 *     .readinessTimeout(Duration.ofMinutes(2))
 *     .build();
 * RollbackPlan.Builder plan = RollbackPlan.builder("checkout")
 *     .currentVersion(VersionProbe.platform(symlink))
 *     .target("v1.2.9");
 * symlink.steps().forEach(plan::step);           // swap, restart, ready: each safe to resume
 * plan.step(symlink.cleanUpStep());
 * }</pre>
 *
 * <p><b>Resuming.</b> The swap is idempotent: the {@code rollback} line of {@code revisions.log}
 * is written (and fsynced) just before the swap and names the run id; a swap step that finds {@code
 * current} already on the target with this run's line does not swap again and says so. Restart and
 * readiness are separate steps ({@link #steps()}), so a run killed between the swap and the restart
 * finishes the restart and the validation when it is resumed. Used as a whole through {@code
 * RollbackPlan.Builder.strategy(..)}, {@link #rollback} has the same guard.
 *
 * <p><b>Checks.</b> The target must be a valid version name, exist under {@code releases/}, be
 * complete (the marker file or required paths, or by default a non-empty folder), and differ from
 * the current release; each failure names the version and the reason.
 *
 * <p><b>Clean-up.</b> {@link #cleanUp} keeps the newest {@code keep} releases (default 5) and
 * never removes the current release, the target, or a failed release younger than a day (on the
 * run's clock).
 *
 * @since 0.1.0
 */
public final class SymlinkStrategy implements RollbackStrategy {
  /** The name of this strategy: {@value}. */
  public static final String NAME = "symlink";

  /** Id of the swap step in {@link #steps()}. */
  public static final String SWAP_STEP = "symlink-swap";

  /** Id of the restart step in {@link #steps()}. */
  public static final String RESTART_STEP = "symlink-restart";

  /** Id of the readiness step in {@link #steps()}. */
  public static final String READY_STEP = "symlink-ready";

  /** Id of {@link #cleanUpStep()}. */
  public static final String CLEAN_UP_STEP = "symlink-clean-up";

  private static final String RUN = "run";
  private static final String FROM = "from";

  private final SymlinkReleases releases;
  private final @Nullable String marker;
  private final List<String> requiredPaths;
  private final int keep;
  private final boolean keepFailedRelease;
  private final Duration failedRetention;
  private final @Nullable ServiceControl service;
  private final Duration readinessTimeout;
  private final String operator;

  private SymlinkStrategy(Builder b) {
    this.releases = SymlinkReleases.at(Objects.requireNonNull(b.root));
    this.marker = b.marker;
    this.requiredPaths = List.copyOf(b.requiredPaths);
    this.keep = b.keep;
    this.keepFailedRelease = b.keepFailedRelease;
    this.failedRetention = b.failedRetention;
    this.service = b.service;
    this.readinessTimeout = b.readinessTimeout;
    this.operator = b.operator;
  }

  /**
   * @param root the layout's root (it holds {@code releases/}, {@code current} and {@code revisions.log})
   * @return a builder
   */
  public static Builder builder(Path root) {
    return new Builder(root);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** @return the release layout this strategy works on */
  public SymlinkReleases releases() {
    return releases;
  }

  /** @return the service restarted after the swap, if any */
  public Optional<ServiceControl> service() {
    return Optional.ofNullable(service);
  }

  /** @return how many releases clean-up keeps */
  public int keep() {
    return keep;
  }

  @Override
  public Duration convergenceTimeout() {
    return readinessTimeout;
  }

  /**
   * Reads the release {@code current} points to, and the other releases, newest first (failed
   * releases are left out).
   *
   * @return the state
   * @throws IOException when there is no {@code current} link or it points outside {@code releases/}
   */
  @Override
  public PlatformState inspect() throws IOException {
    String current = releases.current().orElseThrow(() -> new IOException(
        "no current release: " + releases.currentLink() + " does not exist; deploy a release first"));
    Map<String, Instant> lastCurrent = new LinkedHashMap<>();
    Map<String, String> lastAction = new LinkedHashMap<>();
    for (RevisionLogEntry e : releases.revisions()) {
      lastCurrent.put(e.version(), e.time());
      lastAction.put(e.version(), e.action());
    }
    List<Revision> history = new ArrayList<>();
    for (String name : releases.releases()) {
      if (name.equals(current)) {
        continue;
      }
      Path folder = releases.release(name);
      Instant at = lastCurrent.get(name);
      if (at == null) {
        at = Files.getLastModifiedTime(folder, LinkOption.NOFOLLOW_LINKS).toInstant();
      }
      Map<String, String> details = new LinkedHashMap<>();
      details.put("path", folder.toString());
      details.put("complete", String.valueOf(incompleteness(name).isEmpty()));
      details.put("lastAction", lastAction.getOrDefault(name, "none"));
      history.add(new Revision(name, name, at, details));
    }
    return new PlatformState(current, history);
  }

  /**
   * Swaps {@code current} to {@code request.toVersion()} (see {@link #swap}) and restarts the
   * service (see {@link #restart}).
   *
   * @param request what to roll back to
   * @param ctx the run's context
   * @throws Exception when the target is rejected, the swap fails or the restart fails
   */
  @Override
  public void rollback(RollbackRequest request, StepContext ctx) throws Exception {
    swap(request.toVersion(), ctx);
    restart(ctx);
  }

  /**
   * Waits until {@code current} points to the run's target and the service is ready.
   *
   * @param timeout the longest wait for readiness
   * @param ctx the run's context
   * @return whether it converged
   * @throws Exception when readiness cannot be checked
   */
  @Override
  public Convergence awaitConvergence(Duration timeout, StepContext ctx) throws Exception {
    Optional<String> current = releases.current();
    if (current.isEmpty() || !current.get().equals(ctx.toVersion())) {
      return Convergence.notReached("current points to " + current.orElse("nothing") + ", not " + ctx.toVersion());
    }
    if (service == null) {
      return new Convergence(true, "current -> releases/" + ctx.toVersion() + " (no service to restart)", Map.of("current", ctx.toVersion()));
    }
    boolean ready = service.awaitReady(timeout, ctx);
    Map<String, String> facts = Map.of("current", ctx.toVersion(), "service", service.name());
    return ready
        ? new Convergence(true, "current -> releases/" + ctx.toVersion() + " and " + service.name() + " is ready", facts)
        : new Convergence(false, service.name() + " not ready within " + timeout, facts);
  }

  /**
   * Points {@code current} at {@code target}, once per run: checks the target, appends the {@code
   * rollback} line to {@code revisions.log} (naming the run), swaps the link atomically, and renames
   * the release it replaced with the {@code .failed-<time>} suffix (unless switched off). When
   * {@code current} already points to the target and the log's line for this run is there, it does
   * nothing and says so: that is a resumed run.
   *
   * @param target the release to run
   * @param ctx the run's context
   * @return what was done, with facts {@code swapped}, {@code from}, {@code to}
   * @throws RollbackException with {@link ErrorCode#VERSION_REJECTED} when the target is a hostile
   *     name, missing, incomplete or already current
   * @throws IOException when the filesystem refuses
   */
  public StepResult swap(String target, StepContext ctx) throws IOException {
    SymlinkReleases.checkVersion(target);
    Optional<String> current = releases.current();
    Optional<RevisionLogEntry> mine = lineOfThisRun(target, ctx.runId());
    Instant now = ctx.clock().instant();
    if (current.isPresent() && current.get().equals(target)) {
      if (mine.isEmpty()) {
        throw new RollbackException(ErrorCode.VERSION_REJECTED, "target '" + target + "' is already the current release ("
            + releases.currentLink() + " -> releases/" + target + "): nothing to roll back; pick an earlier release from " + others(target));
      }
      String from = mine.get().detail(FROM).orElse("");
      Optional<Path> failed = keepFailed(from, target, now, ctx);
      ctx.record("current already points to " + target + " (swapped earlier by run " + ctx.runId() + "): not swapping again",
          Map.of("to", target, "from", from, "swapped", "false"));
      StepResult r = StepResult.succeeded("current already pointed to " + target + ": swap done earlier by this run, not repeated")
          .withFact("swapped", false).withFact("from", from).withFact("to", target);
      return failed.isPresent() ? r.withFact("failedRelease", failed.get().getFileName()) : r;
    }
    if (!releases.exists(target)) {
      throw new RollbackException(ErrorCode.VERSION_REJECTED, "target '" + target + "' does not exist: no folder "
          + releases.release(target) + "; releases present: " + others(""));
    }
    Optional<String> incomplete = incompleteness(target);
    if (incomplete.isPresent()) {
      throw new RollbackException(ErrorCode.VERSION_REJECTED, "target '" + target + "' is incomplete: " + incomplete.get()
          + "; finish or remove that release, or pick another from " + others(target));
    }
    String from = current.orElse("");
    if (mine.isEmpty()) {
      Map<String, String> details = new LinkedHashMap<>();
      if (!from.isEmpty()) {
        details.put(FROM, from);
      }
      details.put(RUN, ctx.runId());
      releases.appendRevision(new RevisionLogEntry(now, target, operator, RevisionLogEntry.ROLLBACK, details));
    }
    try {
      releases.switchTo(target);
    } catch (IOException | RuntimeException e) {
      releases.appendRevision(new RevisionLogEntry(ctx.clock().instant(), target, operator, "rollback-aborted",
          Map.of(RUN, ctx.runId(), "reason", String.valueOf(e.getMessage()))));
      throw e;
    }
    ctx.record("current -> releases/" + target + (from.isEmpty() ? "" : " (was " + from + ")"),
        Map.of("to", target, "from", from, "swapped", "true", "root", releases.root().toString()));
    Optional<Path> failed = keepFailed(from, target, now, ctx);
    StepResult r = StepResult.succeeded("current -> releases/" + target + (from.isEmpty() ? "" : " (was " + from + ")"))
        .withFact("swapped", true).withFact("from", from).withFact("to", target);
    return failed.isPresent() ? r.withFact("failedRelease", failed.get().getFileName()) : r;
  }

  /**
   * Restarts the service, if one is configured.
   *
   * @param ctx the run's context
   * @return what was done; skipped when no service is configured
   * @throws Exception when the restart fails
   */
  public StepResult restart(StepContext ctx) throws Exception {
    if (service == null) {
      return StepResult.skipped("no service to restart: none configured for " + releases.root());
    }
    service.restart(ctx);
    return StepResult.succeeded("restarted " + service.name()).withFact("service", service.name());
  }

  /**
   * Checks that {@code current} points to the run's target and waits until the service is ready,
   * at most the readiness timeout.
   *
   * @param ctx the run's context
   * @return what was seen
   * @throws Exception when it did not converge in time, naming what was seen last
   */
  public StepResult awaitReady(StepContext ctx) throws Exception {
    Convergence c = awaitConvergence(readinessTimeout, ctx);
    if (!c.converged()) {
      throw new IllegalStateException("rollback of " + releases.root() + " to " + ctx.toVersion() + " did not converge: " + c.message());
    }
    StepResult r = StepResult.succeeded(c.message());
    for (Map.Entry<String, String> f : c.facts().entrySet()) {
      r = r.withFact(f.getKey(), f.getValue());
    }
    return r;
  }

  /**
   * Removes old releases: keeps the newest {@code keep}, never the current release, the run's
   * target, or a failed release younger than the retention (one day by default), on the run's clock.
   *
   * @param ctx the run's context
   * @return the folders removed
   * @throws IOException when a folder cannot be removed
   */
  public List<Path> cleanUp(StepContext ctx) throws IOException {
    Set<String> protect = new HashSet<>();
    if (ReleaseNames.problem(ctx.toVersion()).isEmpty()) {
      protect.add(ctx.toVersion());
    }
    List<Path> removed = releases.cleanUp(keep, protect, ctx.clock().instant(), failedRetention);
    for (Path p : removed) {
      ctx.record("removed old release " + p.getFileName(), Map.of("path", p.toString()));
    }
    return removed;
  }

  /**
   * The rollback as three steps of the {@link Phase#PLATFORM_ROLLBACK} phase, each safe to repeat
   * when a run is resumed: {@value #SWAP_STEP} ({@link #swap}), {@value #RESTART_STEP} ({@link
   * #restart}) and {@value #READY_STEP} ({@link #awaitReady}).
   *
   * @return the steps, in order
   */
  public List<Step> steps() {
    return List.of(
        Step.builder(SWAP_STEP, Phase.PLATFORM_ROLLBACK)
            .idempotent(true)
            .description("would point " + releases.currentLink() + " at the target release atomically and log it in revisions.log")
            .execute(ctx -> swap(ctx.toVersion(), ctx))
            .build(),
        Step.builder(RESTART_STEP, Phase.PLATFORM_ROLLBACK)
            .idempotent(true)
            .description(service == null ? "would restart nothing (no service configured)" : "would restart " + service.name())
            .execute(this::restart)
            .build(),
        Step.builder(READY_STEP, Phase.PLATFORM_ROLLBACK)
            .idempotent(true)
            .description("would wait up to " + readinessTimeout + " for current to point at the target"
                + (service == null ? "" : " and " + service.name() + " to be ready"))
            .execute(this::awaitReady)
            .build());
  }

  /**
   * Clean-up as a step of the {@link Phase#CLEANUP} phase ({@value #CLEAN_UP_STEP}, see {@link
   * #cleanUp}).
   *
   * @return the step
   */
  public Step cleanUpStep() {
    return Step.builder(CLEAN_UP_STEP, Phase.CLEANUP)
        .idempotent(true)
        .description("would keep the newest " + keep + " releases under " + releases.releasesFolder()
            + ", the current one, the target and failed ones younger than " + failedRetention)
        .execute(ctx -> {
          List<Path> removed = cleanUp(ctx);
          return StepResult.succeeded(removed.isEmpty() ? "no release to remove" : "removed " + removed.size() + " old release(s)")
              .withFact("removed", removed.stream().map(p -> p.getFileName().toString()).toList());
        })
        .build();
  }

  /**
   * @param version a release name
   * @return why the release is incomplete, or empty when it is complete
   */
  public Optional<String> incompleteness(String version) {
    Path folder = releases.release(version);
    if (marker != null) {
      return Files.isRegularFile(folder.resolve(marker)) ? Optional.empty()
          : Optional.of("marker file " + marker + " is missing from " + folder);
    }
    if (!requiredPaths.isEmpty()) {
      List<String> missing = requiredPaths.stream().filter(p -> !Files.exists(folder.resolve(p))).toList();
      return missing.isEmpty() ? Optional.empty() : Optional.of("required paths " + missing + " are missing from " + folder);
    }
    try (var s = Files.list(folder)) {
      return s.findAny().isPresent() ? Optional.empty() : Optional.of("folder " + folder + " is empty");
    } catch (IOException e) {
      return Optional.of("folder " + folder + " cannot be read: " + e.getMessage());
    }
  }

  private Optional<RevisionLogEntry> lineOfThisRun(String target, String runId) throws IOException {
    List<RevisionLogEntry> all = releases.revisions();
    for (int i = all.size() - 1; i >= 0; i--) {
      RevisionLogEntry e = all.get(i);
      if (runId.equals(e.detail(RUN).orElse(null))) {
        return e.action().equals(RevisionLogEntry.ROLLBACK) && e.version().equals(target) ? Optional.of(e) : Optional.empty();
      }
    }
    return Optional.empty();
  }

  private Optional<Path> keepFailed(String from, String target, Instant now, StepContext ctx) throws IOException {
    if (!keepFailedRelease || from.isEmpty() || from.equals(target) || ReleaseNames.problem(from).isPresent() || !releases.exists(from)) {
      return Optional.empty();
    }
    Path renamed = releases.markFailed(from, now);
    ctx.record("kept failed release " + from + " as " + renamed.getFileName(), Map.of("release", from, "path", renamed.toString()));
    return Optional.of(renamed);
  }

  private String others(String except) {
    try {
      return releases.releases().stream().filter(n -> !n.equals(except)).toList().toString();
    } catch (IOException e) {
      return "(releases/ cannot be read: " + e.getMessage() + ")";
    }
  }

  @Override
  public String toString() {
    return "SymlinkStrategy[" + releases.root() + (service == null ? "" : ", " + service.name()) + "]";
  }

  /** Builds a {@link SymlinkStrategy}; {@link #build()} reports every problem at once. */
  public static final class Builder {
    private final @Nullable Path root;
    private @Nullable String marker;
    private final List<String> requiredPaths = new ArrayList<>();
    private int keep = 5;
    private boolean keepFailedRelease = true;
    private Duration failedRetention = Duration.ofDays(1);
    private @Nullable ServiceControl service;
    private Duration readinessTimeout = Duration.ofMinutes(2);
    private String operator = "rollback";
    private final List<String> problems = new ArrayList<>();

    private Builder(@Nullable Path root) {
      this.root = root;
    }

    /**
     * @param marker a file, relative to a release folder, whose presence makes the release complete
     *     (e.g. {@code REVISION}); replaces the default check (a non-empty folder)
     * @return this builder
     */
    public Builder marker(String marker) {
      relativePath("marker", marker).ifPresentOrElse(problems::add, () -> this.marker = marker);
      return this;
    }

    /**
     * @param paths files or folders, relative to a release folder, that a complete release holds
     * @return this builder
     */
    public Builder requiredPaths(String... paths) {
      for (String p : paths == null ? new String[] {null} : paths) {
        relativePath("requiredPaths", p).ifPresentOrElse(problems::add, () -> requiredPaths.add(p));
      }
      return this;
    }

    /**
     * @param keep how many releases clean-up keeps; at least 1; default 5
     * @return this builder
     */
    public Builder keep(int keep) {
      if (keep < 1) {
        problems.add("keep must be at least 1, but was " + keep + ": clean-up keeps that many releases (default 5)");
      } else {
        this.keep = keep;
      }
      return this;
    }

    /**
     * @param keepFailedRelease whether the release rolled back from is renamed {@code
     *     <version>.failed-<yyyyMMdd-HHmmss>} and kept for forensics (default true); false leaves it
     *     as it is
     * @return this builder
     */
    public Builder keepFailedRelease(boolean keepFailedRelease) {
      this.keepFailedRelease = keepFailedRelease;
      return this;
    }

    /**
     * @param retention how long clean-up keeps a failed release; positive; default one day
     * @return this builder
     */
    public Builder failedRetention(Duration retention) {
      if (retention == null || retention.isNegative() || retention.isZero()) {
        problems.add("failedRetention must be positive, but was " + retention + ": e.g. Duration.ofDays(1)");
      } else {
        this.failedRetention = retention;
      }
      return this;
    }

    /**
     * @param service the service restarted after the swap (see {@link ServiceControls})
     * @return this builder
     */
    public Builder service(ServiceControl service) {
      if (service == null) {
        problems.add("service must not be null: leave it unset when there is nothing to restart");
      } else {
        this.service = service;
      }
      return this;
    }

    /**
     * @param timeout how long to wait for the service to be ready; positive; default 2 minutes
     * @return this builder
     */
    public Builder readinessTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        problems.add("readinessTimeout must be positive, but was " + timeout + ": e.g. Duration.ofMinutes(2)");
      } else {
        this.readinessTimeout = timeout;
      }
      return this;
    }

    /**
     * @param operator who is written in {@code revisions.log}; one word; default {@code rollback}
     * @return this builder
     */
    public Builder operator(String operator) {
      if (operator == null || operator.isBlank() || operator.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
        problems.add("operator must be one word without whitespace, but was '" + operator + "': e.g. 'oncall-alice'");
      } else {
        this.operator = operator;
      }
      return this;
    }

    /**
     * @return the strategy
     * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} listing every problem
     */
    public SymlinkStrategy build() {
      List<String> all = new ArrayList<>();
      if (root == null) {
        all.add("root must be set: pass the folder that holds releases/ and current, e.g. Path.of(\"/srv/checkout\")");
      }
      all.addAll(problems);
      if (marker != null && !requiredPaths.isEmpty()) {
        all.add("marker '" + marker + "' and requiredPaths " + requiredPaths + " are both set: choose one completeness check");
      }
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid symlink strategy", all);
      }
      return new SymlinkStrategy(this);
    }

    private static Optional<String> relativePath(String field, @Nullable String value) {
      if (value == null || value.isBlank()) {
        return Optional.of(field + " must be a relative path inside a release, but was " + (value == null ? "null" : "'" + value + "'")
            + ": e.g. 'REVISION'");
      }
      Path p = Path.of(value);
      if (p.isAbsolute() || value.startsWith("/") || p.normalize().startsWith("..") || value.contains("..")) {
        return Optional.of(field + " must be a relative path inside a release, but was '" + value + "': e.g. 'REVISION' or 'bin/app'");
      }
      return Optional.empty();
    }
  }
}
