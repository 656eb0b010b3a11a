package dev.rollback.core.decision;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Turns an {@link Assessment} into a {@link Decision}: rules asked in an explicit order, the first
 * that decides wins; when none decides, the fallback verdict applies with a rationale that says so.
 *
 * <pre>{@code
 * DecisionPolicy policy = DecisionPolicy.custom()
 *     .allowIrreversibleMigrations("data in the dropped column is re-derived nightly")
 *     .rule(myCompanyRule)               // asked after the built-in rules
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class DecisionPolicy {
  private final List<DecisionRule> rules;
  private final Verdict fallback;

  private DecisionPolicy(List<DecisionRule> rules, Verdict fallback) {
    this.rules = List.copyOf(rules);
    this.fallback = fallback;
  }

  /**
   * The built-in rules in order: {@link DecisionRules#irreversibleMigrations}, {@link
   * DecisionRules#healthyAtBaseline}, {@link DecisionRules#failingWithStableTarget}, {@link
   * DecisionRules#failingWithoutStableTarget}; fallback ROLLBACK (an operator started the run and
   * no signal says otherwise).
   *
   * @return the default policy
   */
  public static DecisionPolicy defaults() {
    return custom().build();
  }

  /** @return a builder starting from the defaults */
  public static Builder custom() {
    return new Builder();
  }

  /** @return the rules in the order they are asked */
  public List<DecisionRule> rules() {
    return rules;
  }

  /**
   * @param assessment the facts
   * @return the decision
   */
  public Decision decide(Assessment assessment) {
    List<String> notes = new ArrayList<>();
    for (DecisionRule rule : rules) {
      Optional<Decision> d = rule.evaluate(assessment, notes);
      if (d.isPresent()) {
        return d.get();
      }
    }
    List<String> r = new ArrayList<>(notes);
    r.add(assessment.hasSignal()
        ? "No rule decided on the signals gathered (" + DecisionRules.evidence(assessment) + ")."
        : "No health check or metric was configured, so nothing contradicts the operator who started this run.");
    r.add("Fallback: " + fallback + ".");
    return new Decision(fallback, "fallback", r, DecisionRules.evidence(assessment));
  }

  /** Builds a {@link DecisionPolicy}. */
  public static final class Builder {
    private boolean defaults = true;
    private @Nullable String migrationOverride;
    private final List<DecisionRule> before = new ArrayList<>();
    private final List<DecisionRule> after = new ArrayList<>();
    private Verdict fallback = Verdict.ROLLBACK;

    private Builder() {}

    /**
     * @param reason why a rollback may go ahead despite irreversible or destructive migrations
     * @return this builder
     */
    public Builder allowIrreversibleMigrations(String reason) {
      if (reason == null || reason.isBlank()) {
        throw new RollbackException(ErrorCode.INVALID_CONFIGURATION,
            "the reason to allow irreversible migrations must not be blank: it goes into the report");
      }
      this.migrationOverride = reason;
      return this;
    }

    /**
     * @param rule a rule asked before the built-in ones
     * @return this builder
     */
    public Builder ruleFirst(DecisionRule rule) {
      before.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    /**
     * @param rule a rule asked after the built-in ones (and after earlier added rules)
     * @return this builder
     */
    public Builder rule(DecisionRule rule) {
      after.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    /**
     * @return this builder, without the built-in rules (only the ones added)
     */
    public Builder withoutDefaultRules() {
      this.defaults = false;
      return this;
    }

    /**
     * @param verdict the verdict when no rule decides; default ROLLBACK
     * @return this builder
     */
    public Builder fallback(Verdict verdict) {
      this.fallback = Objects.requireNonNull(verdict, "verdict");
      return this;
    }

    /** @return the policy */
    public DecisionPolicy build() {
      List<DecisionRule> all = new ArrayList<>(before);
      if (defaults) {
        all.add(DecisionRules.irreversibleMigrations(migrationOverride));
        all.add(DecisionRules.healthyAtBaseline());
        all.add(DecisionRules.failingWithStableTarget());
        all.add(DecisionRules.failingWithoutStableTarget());
      }
      all.addAll(after);
      return new DecisionPolicy(all, fallback);
    }
  }
}
