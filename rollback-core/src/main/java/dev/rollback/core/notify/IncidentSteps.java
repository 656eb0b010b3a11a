package dev.rollback.core.notify;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.decision.Impact;
import dev.rollback.core.decision.Severity;
import dev.rollback.core.internal.OpenIncidentStep;
import dev.rollback.core.internal.ProgressNotificationStep;
import dev.rollback.core.internal.StatusUpdateStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The steps that tell people: open the incident (MOBILIZE), report progress (any phase), and
 * announce that service is restored (COMMUNICATE). Each sends through a {@link
 * NotificationDispatcher}, so a failing notifier makes the step WARNED, never failed.
 *
 * <pre>{@code
 * NotificationDispatcher notify = NotificationDispatcher.of(Notifiers.slack(hook), Notifiers.pagerDuty(key));
 * RollbackPlan plan = RollbackPlan.builder("checkout-api")
 *     ...
 *     .step(IncidentSteps.openIncident(notify).impact(impact).eta(Duration.ofMinutes(20)).owner("alice").build())
 *     .step(IncidentSteps.progress("notify-validated", Phase.VALIDATE, "v1.2.9 is healthy", notify))
 *     .step(IncidentSteps.statusUpdate(notify).dataLoss(null).nextStep("post-mortem on Monday").build())
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class IncidentSteps {
  private static final java.util.regex.Pattern STEP_ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");

  private IncidentSteps() {}

  /**
   * Starts the MOBILIZE step that opens the incident: it makes the {@link Incident} (id from the run
   * clock), shares it under {@link Incident#KEY}, records a timeline entry (facts {@code
   * kind=incident, incident, severity, from, to, owner, eta}) and sends the OPENED notification.
   * Idempotent: a repeat keeps the incident already in the context.
   *
   * @param dispatcher where to send
   * @return a builder; give it an impact or a severity, and an owner
   */
  public static OpenIncidentBuilder openIncident(NotificationDispatcher dispatcher) {
    return new OpenIncidentBuilder(dispatcher);
  }

  /**
   * A step that sends a PROGRESS notification about the run's incident (PagerDuty ignores it).
   *
   * @param id unique step id, e.g. "notify-drained"
   * @param phase the phase to run in
   * @param message what to say
   * @param dispatcher where to send
   * @return the step
   * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} listing every problem
   */
  public static Step progress(String id, Phase phase, String message, NotificationDispatcher dispatcher) {
    List<String> problems = new ArrayList<>();
    checkId(id, problems);
    if (phase == null) {
      problems.add("phase must be set for progress step '" + id + "': pass one of " + java.util.Arrays.toString(Phase.values()));
    }
    if (message == null || message.isBlank()) {
      problems.add("message must not be blank for progress step '" + id + "': say what happened, e.g. \"traffic drained\"");
    }
    checkDispatcher(dispatcher, problems);
    fail("invalid progress notification step", problems);
    return new ProgressNotificationStep(id, phase, message, dispatcher);
  }

  /**
   * Starts the COMMUNICATE step that sends the final status update: restored at (now), duration
   * since the incident opened, what happened, metrics against baseline, data loss, next steps.
   * It sends RESOLVED, which resolves the PagerDuty alert.
   *
   * @param dispatcher where to send
   * @return a builder
   */
  public static StatusUpdateBuilder statusUpdate(NotificationDispatcher dispatcher) {
    return new StatusUpdateBuilder(dispatcher);
  }

  private static void checkId(@Nullable String id, List<String> problems) {
    if (id == null || !STEP_ID.matcher(id).matches()) {
      problems.add("id must be letters, digits and . _ : / - (up to 128, starting with a letter or digit), but was "
          + (id == null ? "null" : "'" + id + "'") + ": e.g. 'notify-drained'");
    }
  }

  private static void checkDispatcher(@Nullable NotificationDispatcher d, List<String> problems) {
    if (d == null) {
      problems.add("dispatcher must not be null: make one with NotificationDispatcher.of(Notifiers.slack(..), ...)");
    }
  }

  private static void fail(String subject, List<String> problems) {
    if (!problems.isEmpty()) {
      throw RollbackException.invalid(subject, problems);
    }
  }

  /** Builds the open-incident step; problems are collected and reported at {@link #build()}. */
  public static final class OpenIncidentBuilder {
    private final NotificationDispatcher dispatcher;
    private String id = "open-incident";
    private @Nullable Impact impact;
    private @Nullable Severity severity;
    private @Nullable Duration eta;
    private @Nullable String owner;
    private @Nullable String issue;

    private OpenIncidentBuilder(NotificationDispatcher dispatcher) {
      this.dispatcher = dispatcher;
    }

    /**
     * @param id the step id; default "open-incident"
     * @return this builder
     */
    public OpenIncidentBuilder id(String id) {
      this.id = id;
      return this;
    }

    /**
     * @param impact the declared impact; sets the severity unless {@link #severity} is given
     * @return this builder
     */
    public OpenIncidentBuilder impact(Impact impact) {
      this.impact = impact;
      return this;
    }

    /**
     * @param severity the severity, overriding the one the impact gives
     * @return this builder
     */
    public OpenIncidentBuilder severity(Severity severity) {
      this.severity = severity;
      return this;
    }

    /**
     * @param eta how long until service should be restored; positive; unset means unknown
     * @return this builder
     */
    public OpenIncidentBuilder eta(Duration eta) {
      this.eta = eta;
      return this;
    }

    /**
     * @param owner who owns the incident (a person or team)
     * @return this builder
     */
    public OpenIncidentBuilder owner(String owner) {
      this.owner = owner;
      return this;
    }

    /**
     * @param issue what is wrong, one sentence; default: the impact's description, else a sentence
     *     from the versions
     * @return this builder
     */
    public OpenIncidentBuilder issue(String issue) {
      this.issue = issue;
      return this;
    }

    /**
     * @return the step
     * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} listing every problem
     */
    public Step build() {
      List<String> problems = new ArrayList<>();
      checkId(id, problems);
      checkDispatcher(dispatcher, problems);
      if (impact == null && severity == null) {
        problems.add("impact or severity must be set for step '" + id + "': call impact(new Impact(..)) or severity(Severity.SEV2)");
      }
      if (eta != null && (eta.isNegative() || eta.isZero())) {
        problems.add("eta must be positive, but was " + eta + ": leave it unset when unknown");
      }
      if (owner == null || owner.isBlank()) {
        problems.add("owner must not be blank, but was " + (owner == null ? "null" : "'" + owner + "'")
            + ": name the incident commander or team, e.g. owner(\"payments-oncall\")");
      }
      if (issue != null && issue.isBlank()) {
        problems.add("issue must not be blank when given: say what is wrong, or leave it unset");
      }
      fail("invalid open-incident step", problems);
      Severity sev = severity != null ? severity : Objects.requireNonNull(impact).severity();
      return new OpenIncidentStep(id, dispatcher, sev, impact, eta, Objects.requireNonNull(owner), issue);
    }
  }

  /** Builds the status-update step; problems are collected and reported at {@link #build()}. */
  public static final class StatusUpdateBuilder {
    private final NotificationDispatcher dispatcher;
    private String id = "status-update";
    private @Nullable String whatHappened;
    private Function<StepContext, Map<String, String>> metrics = ctx -> Map.of();
    private boolean metricsSet;
    private @Nullable String dataLoss;
    private final List<String> nextSteps = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    private StatusUpdateBuilder(NotificationDispatcher dispatcher) {
      this.dispatcher = dispatcher;
    }

    /**
     * @param id the step id; default "status-update"
     * @return this builder
     */
    public StatusUpdateBuilder id(String id) {
      this.id = id;
      return this;
    }

    /**
     * @param whatHappened what went wrong and what was done; default: a sentence from the versions
     * @return this builder
     */
    public StatusUpdateBuilder whatHappened(String whatHappened) {
      this.whatHappened = whatHappened;
      return this;
    }

    /**
     * @param metrics metric name → value against baseline ("error rate" → "0.2% (baseline 0.2%)"),
     *     as the runbook knows them
     * @return this builder
     */
    public StatusUpdateBuilder metrics(Map<String, String> metrics) {
      if (metrics == null) {
        problems.add("metrics must not be null: leave them unset for none");
        return this;
      }
      Map<String, String> copy = new LinkedHashMap<>(metrics);
      return metrics(ctx -> copy);
    }

    /**
     * @param metrics reads metric name → value against baseline when the step runs, e.g. from facts
     *     earlier steps put in the context; a failure makes the step WARNED and sends without metrics
     * @return this builder
     */
    public StatusUpdateBuilder metrics(Function<StepContext, Map<String, String>> metrics) {
      if (metrics == null) {
        problems.add("metrics function must not be null");
        return this;
      }
      if (metricsSet) {
        problems.add("metrics are set twice: give either a map or a function, once");
      }
      this.metrics = metrics;
      this.metricsSet = true;
      return this;
    }

    /**
     * @param dataLoss what data was lost, or null (the default) for none
     * @return this builder
     */
    public StatusUpdateBuilder dataLoss(@Nullable String dataLoss) {
      this.dataLoss = dataLoss;
      return this;
    }

    /**
     * @param nextStep a follow-up ("post-mortem Monday 10:00"); call once per item, in order
     * @return this builder
     */
    public StatusUpdateBuilder nextStep(String nextStep) {
      if (nextStep == null || nextStep.isBlank()) {
        problems.add("nextStep #" + (nextSteps.size() + 1) + " must not be blank: say what will be done");
      } else {
        nextSteps.add(nextStep);
      }
      return this;
    }

    /**
     * @return the step
     * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} listing every problem
     */
    public Step build() {
      List<String> all = new ArrayList<>(problems);
      checkId(id, all);
      checkDispatcher(dispatcher, all);
      if (whatHappened != null && whatHappened.isBlank()) {
        all.add("whatHappened must not be blank when given: say what went wrong and what was done, or leave it unset");
      }
      fail("invalid status-update step", all);
      return new StatusUpdateStep(id, dispatcher, whatHappened, metrics, dataLoss, nextSteps);
    }
  }
}
