package dev.rollback.core;

import dev.rollback.core.decision.Assessor;
import dev.rollback.core.health.HealthSuite;
import dev.rollback.core.metric.Baseline;
import dev.rollback.core.metric.MetricGate;
import dev.rollback.core.monitor.BreachPolicy;
import dev.rollback.core.monitor.MonitorWindow;
import dev.rollback.core.internal.AssessStep;
import dev.rollback.core.internal.PlatformRollbackStep;
import dev.rollback.core.internal.TargetStability;
import dev.rollback.core.internal.VerifyCurrentVersionStep;
import dev.rollback.core.internal.VerifyTargetStep;
import dev.rollback.core.release.ReleaseLedger;
import dev.rollback.core.version.VersionCatalog;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import dev.rollback.core.strategy.RollbackStrategy;
import dev.rollback.core.strategy.Strategies;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What to roll back, to which version, and how: an immutable, validated list of steps in phase
 * order. Build one with {@link #builder(String)}; run it with a {@link RollbackRunner}.
 *
 * <pre>{@code
 * RollbackPlan plan = RollbackPlan.builder("checkout-api")
 *     .currentVersion(VersionProbe.http(URI.create("https://api.example.com/version")))
 *     .expectCurrentVersion("v1.3.0")                       // stop if someone deployed meanwhile
 *     .versions(GitVersionCatalog.open(Path.of("repo")))    // git tags are the catalogue
 *     .ledger(ReleaseLedger.jsonFile(Path.of("releases.json")))
 *     .target(TargetSelector.previousStable(Duration.ofHours(24)))
 *     .assess(Assessor.custom().health(HealthCheck.http(URI.create("https://api.example.com/health"))).build())
 *     .step(drain)
 *     .strategy("kubernetes", Map.of("deployment", "checkout", "namespace", "prod"))
 *     .step(healthCheck, StepPolicy.custom().retry(RetryPolicy.custom().maxAttempts(5).build()).build())
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class RollbackPlan {
  private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern STEP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");

  private final String service;
  private final VersionProbe currentVersion;
  private final TargetSelector target;
  private final List<PlannedStep> steps;
  private final Map<String, Secret> secrets;
  private final @Nullable VersionCatalog versions;
  private final @Nullable ReleaseLedger ledger;
  private final Duration soakTime;
  private final @Nullable String expectedCurrentVersion;
  private final @Nullable String stabilityOverride;

  private RollbackPlan(Builder b, List<PlannedStep> steps) {
    this.service = b.service;
    this.currentVersion = b.currentVersion;
    this.target = b.target;
    this.steps = List.copyOf(steps);
    this.secrets = Collections.unmodifiableMap(new LinkedHashMap<>(b.secrets));
    this.versions = b.versions;
    this.ledger = b.ledger;
    this.soakTime = b.soakTime;
    this.expectedCurrentVersion = b.expectedCurrentVersion;
    this.stabilityOverride = b.stabilityOverride;
  }

  /**
   * Starts a plan.
   *
   * @param service the service to roll back; letters, digits, '.', '_' and '-'
   * @return a builder
   */
  public static Builder builder(String service) {
    return new Builder(service);
  }

  /** @return the service */
  public String service() {
    return service;
  }

  /** @return where the current version is read */
  public VersionProbe currentVersion() {
    return currentVersion;
  }

  /** @return how the target is chosen */
  public TargetSelector target() {
    return target;
  }

  /** @return the steps in run order: by phase, then in the order they were added */
  public List<PlannedStep> steps() {
    return steps;
  }

  /** @return the step ids in run order */
  public List<String> stepIds() {
    return steps.stream().map(PlannedStep::id).toList();
  }

  /** @return the declared secrets by name */
  public Map<String, Secret> secrets() {
    return secrets;
  }

  /** @return the version catalogue, if the plan has one */
  public Optional<VersionCatalog> versions() {
    return Optional.ofNullable(versions);
  }

  /** @return the release ledger, if the plan has one */
  public Optional<ReleaseLedger> ledger() {
    return Optional.ofNullable(ledger);
  }

  /** @return how long a version must have run without incident to count as stable */
  public Duration soakTime() {
    return soakTime;
  }

  /** @return the version the runbook expects to be running, if it states one (compare-and-set) */
  public Optional<String> expectedCurrentVersion() {
    return Optional.ofNullable(expectedCurrentVersion);
  }

  /** @return the operator's reason to accept a target never recorded stable, if given */
  public Optional<String> stabilityOverride() {
    return Optional.ofNullable(stabilityOverride);
  }

  @Override
  public String toString() {
    return "RollbackPlan[" + service + ", " + steps.size() + " steps]";
  }

  /**
   * Builds a {@link RollbackPlan}. Setters do not throw: {@link #build()} checks everything and
   * reports every problem at once, each naming the field, the value and the fix.
   */
  public static final class Builder {
    private final String service;
    private VersionProbe currentVersion;
    private TargetSelector target;
    private StepPolicy defaultPolicy = StepPolicy.defaults();
    private Strategies strategies;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Secret> secrets = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private @Nullable VersionCatalog versions;
    private @Nullable ReleaseLedger ledger;
    private Duration soakTime = Duration.ofHours(24);
    private @Nullable String expectedCurrentVersion;
    private @Nullable String stabilityOverride;
    private @Nullable VersionProbe confirmation;
    private @Nullable Assessor assessor;

    private Builder(String service) {
      this.service = service;
    }

    /**
     * @param version the version running now, when the runbook knows it
     * @return this builder
     */
    public Builder currentVersion(String version) {
      if (version == null || version.isBlank()) {
        problems.add("currentVersion must not be blank, but was " + quote(version) + ": give the running version, e.g. \"v1.3.0\"");
        return this;
      }
      return currentVersion(VersionProbe.fixed(version));
    }

    /**
     * @param probe where to read the version running now, when the run starts
     * @return this builder
     */
    public Builder currentVersion(VersionProbe probe) {
      if (probe == null) {
        problems.add("currentVersion probe must not be null: pass VersionProbe.fixed(\"v1.3.0\") or an HTTP probe");
      }
      this.currentVersion = probe;
      return this;
    }

    /**
     * @param version the exact version to roll back to
     * @return this builder
     */
    public Builder target(String version) {
      if (version == null || version.isBlank()) {
        problems.add("target must not be blank, but was " + quote(version) + ": give the version to roll back to, e.g. \"v1.2.9\"");
        return this;
      }
      return target(TargetSelector.exact(version));
    }

    /**
     * @param selector how to choose the version to roll back to
     * @return this builder
     */
    public Builder target(TargetSelector selector) {
      if (selector == null) {
        problems.add("target selector must not be null: pass TargetSelector.exact(\"v1.2.9\")");
      }
      this.target = selector;
      return this;
    }

    /**
     * @param policy the policy of steps added without one
     * @return this builder
     */
    public Builder defaultPolicy(StepPolicy policy) {
      if (policy == null) {
        problems.add("defaultPolicy must not be null: pass StepPolicy.defaults() or build one with StepPolicy.custom()");
      } else {
        this.defaultPolicy = policy;
      }
      return this;
    }

    /**
     * Adds a step with the default policy.
     *
     * @param step the step
     * @return this builder
     */
    public Builder step(Step step) {
      entries.add(new Entry(step, null));
      return this;
    }

    /**
     * Adds several steps with the default policy, in order (e.g. a strategy's swap, restart and
     * readiness steps).
     *
     * @param steps the steps
     * @return this builder
     */
    public Builder steps(java.util.Collection<? extends Step> steps) {
      if (steps == null) {
        problems.add("steps must not be null: pass a list of steps");
        return this;
      }
      for (Step s : steps) {
        step(s);
      }
      return this;
    }

    /**
     * Adds a step with its own policy.
     *
     * @param step the step
     * @param policy its policy
     * @return this builder
     */
    public Builder step(Step step, StepPolicy policy) {
      if (policy == null) {
        problems.add("policy of step " + (step == null ? "null" : quote(step.id())) + " must not be null: use StepPolicy.defaults()");
      }
      entries.add(new Entry(step, policy));
      return this;
    }

    /**
     * Adds a health suite as a VALIDATE step (id = the suite's name): every critical endpoint must
     * pass its consecutive checks within the deadline, or the run aborts and compensates.
     *
     * @param suite the suite
     * @return this builder
     */
    public Builder validate(HealthSuite suite) {
      if (suite == null) {
        problems.add("health suite must not be null: build one with HealthSuite.custom(name)");
        return this;
      }
      return step(suite.asStep());
    }

    /**
     * Adds a metric gate as a VALIDATE step ({@code gate-<name>}); when the gate compares with a
     * baseline captured before the rollback, also an ASSESS step that captures it.
     *
     * @param gate the gate
     * @return this builder
     */
    public Builder gate(MetricGate gate) {
      if (gate == null) {
        problems.add("metric gate must not be null: build one with MetricGate.custom(name)");
        return this;
      }
      if (gate.baseline().filter(b -> b.equals(Baseline.captured())).isPresent()) {
        step(gate.captureBaselineStep());
      }
      return step(gate.step());
    }

    /**
     * Adds a watch window as a MONITOR step. When it escalates on a breach, its policy is {@link
     * FailureAction#PAUSE}, so a person decides; otherwise the default policy.
     *
     * @param window the window
     * @return this builder
     */
    public Builder monitor(MonitorWindow window) {
      if (window == null) {
        problems.add("monitor window must not be null: build one with MonitorWindow.custom()");
        return this;
      }
      return window.onBreach() == BreachPolicy.ESCALATE
          ? step(window, StepPolicy.custom().onFailure(FailureAction.PAUSE).build())
          : step(window);
    }

    /**
     * Adds the platform rollback by strategy name, found through {@link Strategies}.
     *
     * @param name the strategy's name, e.g. {@code kubernetes}
     * @param settings its settings
     * @return this builder
     */
    public Builder strategy(String name, Map<String, String> settings) {
      entries.add(new Entry(new StrategyRef(name, settings == null ? null : new LinkedHashMap<>(settings)), null));
      return this;
    }

    /**
     * Adds the platform rollback with a strategy built in code.
     *
     * @param strategy the strategy
     * @return this builder
     */
    public Builder strategy(RollbackStrategy strategy) {
      if (strategy == null) {
        problems.add("strategy must not be null");
        return this;
      }
      return step(new PlatformRollbackStep("platform-rollback-" + strategy.name(), strategy));
    }

    /**
     * @param strategies where {@link #strategy(String, Map)} looks names up; default: the providers
     *     on the class path
     * @return this builder
     */
    public Builder strategies(Strategies strategies) {
      if (strategies == null) {
        problems.add("strategies must not be null: use Strategies.discovered()");
      }
      this.strategies = strategies;
      return this;
    }

    /**
     * Declares a secret that steps read with {@link StepContext#secret(String)}. Its value is masked
     * in every text the run records.
     *
     * @param name the name steps use
     * @param secret the secret
     * @return this builder
     */
    public Builder secret(String name, Secret secret) {
      if (name == null || name.isBlank()) {
        problems.add("secret name must not be blank, but was " + quote(name));
      } else if (secret == null) {
        problems.add("secret '" + name + "' must not be null");
      } else if (secrets.put(name, secret) != null) {
        problems.add("secret '" + name + "' is declared twice: give each secret one name");
      }
      return this;
    }

    /**
     * The versions that exist (git tags). With it the plan verifies the target before touching
     * anything, and {@link TargetSelector#previousStable} and {@link TargetSelector#latestMatching}
     * can choose one.
     *
     * @param catalog e.g. {@code GitVersionCatalog.open(Path.of("repo"))}
     * @return this builder
     */
    public Builder versions(VersionCatalog catalog) {
      if (catalog == null) {
        problems.add("versions must not be null: pass GitVersionCatalog.open(path)");
      }
      this.versions = catalog;
      return this;
    }

    /**
     * Which versions ran when, and how they ended. With it the plan refuses a target that was
     * never stable in production unless {@link #overrideTargetStability(String)} gives a reason, and
     * records the rollback in it when the run succeeds.
     *
     * @param ledger the ledger
     * @return this builder
     */
    public Builder ledger(ReleaseLedger ledger) {
      if (ledger == null) {
        problems.add("ledger must not be null: pass ReleaseLedger.jsonFile(path)");
      }
      this.ledger = ledger;
      return this;
    }

    /**
     * @param soak how long a version must have run without incident to count as stable; default
     *     24 hours
     * @return this builder
     */
    public Builder soakTime(Duration soak) {
      if (soak == null || soak.isNegative()) {
        problems.add("soakTime must not be negative, but was " + soak + ": give e.g. Duration.ofHours(24)");
      } else {
        this.soakTime = soak;
      }
      return this;
    }

    /**
     * Compare-and-set: the version the runbook expects to be running. If another version runs when
     * the run starts (someone deployed meanwhile), the run stops before touching anything.
     *
     * @param version the expected version
     * @return this builder
     */
    public Builder expectCurrentVersion(String version) {
      if (version == null || version.isBlank()) {
        problems.add("expectCurrentVersion must not be blank, but was " + quote(version));
      }
      this.expectedCurrentVersion = version;
      return this;
    }

    /**
     * A second source of the running version. A PRECHECK step reads both again and stops the run,
     * naming both, when they disagree.
     *
     * @param probe e.g. {@code VersionProbe.platform(strategy)} next to an HTTP probe
     * @return this builder
     */
    public Builder confirmCurrentVersion(VersionProbe probe) {
      if (probe == null) {
        problems.add("confirmCurrentVersion probe must not be null");
      }
      this.confirmation = probe;
      return this;
    }

    /**
     * Accepts a target that the ledger does not show as stable. The reason goes into the timeline
     * and the report.
     *
     * @param reason why the operator goes ahead
     * @return this builder
     */
    public Builder overrideTargetStability(String reason) {
      if (reason == null || reason.isBlank()) {
        problems.add("overrideTargetStability needs a reason (it goes into the report), but was " + quote(reason));
      }
      this.stabilityOverride = reason;
      return this;
    }

    /**
     * Starts the plan with an {@code assess} step that gathers health, error rate, latency and
     * database facts, decides ROLLBACK, FORWARD_FIX or NO_ACTION with a written rationale, and ends
     * the run when the verdict is not ROLLBACK.
     *
     * @param assessor what to gather and how to decide
     * @return this builder
     */
    public Builder assess(Assessor assessor) {
      if (assessor == null) {
        problems.add("assessor must not be null: build one with Assessor.custom()");
      }
      this.assessor = assessor;
      return this;
    }

    /**
     * Checks everything and builds the plan.
     *
     * @return the plan
     * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} listing every problem
     */
    public RollbackPlan build() {
      List<String> all = new ArrayList<>(problems);
      if (service == null || service.isBlank()) {
        all.add("service must not be blank, but was " + quote(service) + ": name the service being rolled back, e.g. \"checkout-api\"");
      } else if (!SERVICE.matcher(service).matches()) {
        all.add("service must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit, but was '" + service + "'");
      }
      if (currentVersion == null && problems.stream().noneMatch(p -> p.startsWith("currentVersion"))) {
        all.add("current version is not set: call currentVersion(\"v1.3.0\") or currentVersion(VersionProbe)");
      }
      if (target == null && problems.stream().noneMatch(p -> p.startsWith("target"))) {
        all.add("target is not set: call target(\"v1.2.9\") or target(TargetSelector.exact(\"v1.2.9\"))");
      }
      List<PlannedStep> planned = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      TargetStability stability = new TargetStability(ledger, soakTime, stabilityOverride);
      List<Entry> ordered = new ArrayList<>();
      if (assessor != null) {
        ordered.add(new Entry(new AssessStep(assessor, stability), null));
      }
      if (confirmation != null && currentVersion != null) {
        ordered.add(new Entry(new VerifyCurrentVersionStep(List.of(currentVersion, confirmation)), null));
      }
      if (versions != null || ledger != null) {
        ordered.add(new Entry(new VerifyTargetStep(versions, stability), null));
      }
      boolean userSteps = !entries.isEmpty();
      ordered.addAll(entries);
      for (Entry e : ordered) {
        Step step;
        if (e.item() instanceof StrategyRef ref) {
          step = resolve(ref, all);
          if (step == null) {
            continue;
          }
        } else {
          step = (Step) e.item();
        }
        if (step == null) {
          all.add("step must not be null (entry " + (planned.size() + 1) + ")");
          continue;
        }
        String id = step.id();
        Phase phase = step.phase();
        if (id == null || id.isBlank()) {
          all.add("step " + step.getClass().getName() + " has a blank id: give every step a stable id such as 'drain-blue'");
          continue;
        }
        if (!STEP_ID.matcher(id).matches()) {
          all.add("step id '" + id + "' must be 1-128 letters, digits, '.', '_', ':', '/' or '-', starting with a letter or digit");
        }
        if (phase == null) {
          all.add("step '" + id + "' has no phase: its phase() must return one of " + Arrays.toString(Phase.values()));
        }
        if (!ids.add(id)) {
          all.add("step id '" + id + "' is used twice: step ids name steps in the journal, so each must be unique");
        }
        StepPolicy policy = e.policy() == null ? defaultPolicy : e.policy();
        planned.add(new PlannedStep(step, policy));
      }
      if (!userSteps) {
        all.add("the plan has no steps: add at least one with step(...) or strategy(...)");
      }
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid rollback plan for " + quote(service), all);
      }
      // Stable sort: phase order, then the order of addition.
      planned.sort(Comparator.comparing(p -> p.step().phase()));
      return new RollbackPlan(this, planned);
    }

    private Step resolve(StrategyRef ref, List<String> all) {
      if (ref.name() == null || ref.name().isBlank()) {
        all.add("strategy name must not be blank, but was " + quote(ref.name()) + ": available: " + String.join(", ", registry().names()));
        return null;
      }
      if (ref.settings() == null) {
        all.add("settings of strategy '" + ref.name() + "' must not be null: pass Map.of() for none");
        return null;
      }
      if (ref.settings().containsKey(null) || ref.settings().containsValue(null)) {
        all.add("settings of strategy '" + ref.name() + "' must not hold null keys or values, but were " + ref.settings());
        return null;
      }
      try {
        return new PlatformRollbackStep("platform-rollback-" + ref.name(), registry().create(ref.name(), ref.settings()));
      } catch (RollbackException ex) {
        // An unknown name already says which names exist and which module provides it.
        all.add(ex.code() == ErrorCode.UNKNOWN_STRATEGY ? ex.getMessage() : "strategy '" + ref.name() + "': " + ex.getMessage());
        return null;
      }
    }

    private Strategies registry() {
      return strategies != null ? strategies : Strategies.discovered();
    }

    private static String quote(String s) {
      return s == null ? "null" : "'" + s + "'";
    }
  }

  private record StrategyRef(String name, Map<String, String> settings) {}

  /** A step, or a strategy to resolve at build time, with its own policy or null for the default. */
  private record Entry(@Nullable Object item, @Nullable StepPolicy policy) {}
}
