package dev.rollback.core.decision;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The built-in decision rules, in the order {@link DecisionPolicy#defaults()} asks them.
 *
 * @since 0.1.0
 */
public final class DecisionRules {
  private DecisionRules() {}

  /**
   * Irreversible or destructive migrations between the versions mean FORWARD_FIX: a rollback would
   * run old code on a schema it does not know, or lose data. With an override reason the rule only
   * notes the risk and lets the next rule decide.
   *
   * @param overrideReason why the operator rolls back anyway, or null for no override
   * @return the rule
   */
  public static DecisionRule irreversibleMigrations(@Nullable String overrideReason) {
    return new DecisionRule() {
      @Override
      public String name() {
        return "irreversible-migrations";
      }

      @Override
      public Optional<Decision> evaluate(Assessment a, List<String> notes) {
        DatabaseFacts db = a.database();
        if (db == null || (db.irreversible() == 0 && db.destructive() == 0)) {
          return Optional.empty();
        }
        String facts = db.migrations() + " migration" + (db.migrations() == 1 ? "" : "s") + " between " + a.targetVersion()
            + " and " + a.currentVersion() + " include " + db.irreversible() + " irreversible and " + db.destructive()
            + " destructive" + (db.details().isEmpty() ? "" : " (" + String.join("; ", db.details()) + ")");
        if (overrideReason != null) {
          notes.add(facts + "; the forward-only rule was overridden: " + overrideReason + ".");
          return Optional.empty();
        }
        Map<String, String> ev = evidence(a);
        return Optional.of(new Decision(Verdict.FORWARD_FIX, name(), List.of(
            facts + ".",
            "Rolling " + a.service() + " back to " + a.targetVersion() + " would run it against a schema it does not know or lose data,"
                + " so fix forward; override with a reason to roll back anyway."), ev));
      }
    };
  }

  /**
   * Healthy and the error rate at baseline (within its threshold) mean NO_ACTION. Needs at least
   * one signal.
   *
   * @return the rule
   */
  public static DecisionRule healthyAtBaseline() {
    return new DecisionRule() {
      @Override
      public String name() {
        return "healthy-at-baseline";
      }

      @Override
      public Optional<Decision> evaluate(Assessment a, List<String> notes) {
        if (!a.hasSignal() || a.unhealthy() || a.errorRateHigh() || a.latencyHigh()) {
          return Optional.empty();
        }
        List<String> r = new ArrayList<>(notes);
        List<String> seen = new ArrayList<>();
        if (a.health() != null) {
          seen.add("its health check passes (" + a.health().check() + " answered " + a.health().reason() + ")");
        }
        if (a.errorRate() != null) {
          seen.add("its error rate of " + percent(a.errorRate()) + " is within the threshold of " + percent(a.errorRateThreshold())
              + (a.baselineErrorRate() == null ? "" : " (baseline " + percent(a.baselineErrorRate()) + ")"));
        }
        if (a.latencyP99() != null && a.latencyThreshold() != null) {
          seen.add("its p99 latency of " + millis(a.latencyP99()) + " is within " + millis(a.latencyThreshold()));
        }
        r.add(a.service() + " " + a.currentVersion() + " looks healthy: " + String.join(", and ", seen) + ".");
        r.add("No rollback is needed; keep watching.");
        return Optional.of(new Decision(Verdict.NO_ACTION, name(), r, evidence(a)));
      }
    };
  }

  /**
   * Unhealthy, or an error rate or latency over its threshold, with a stable target: ROLLBACK.
   *
   * @return the rule
   */
  public static DecisionRule failingWithStableTarget() {
    return new DecisionRule() {
      @Override
      public String name() {
        return "failing-with-stable-target";
      }

      @Override
      public Optional<Decision> evaluate(Assessment a, List<String> notes) {
        if (!(a.unhealthy() || a.errorRateHigh() || a.latencyHigh()) || !a.targetStable()) {
          return Optional.empty();
        }
        List<String> r = new ArrayList<>(notes);
        r.add(a.service() + " " + a.currentVersion() + " is failing: " + failures(a) + ".");
        r.add(a.targetStability() + ".");
        r.add("Roll back to " + a.targetVersion() + ".");
        return Optional.of(new Decision(Verdict.ROLLBACK, name(), r, evidence(a)));
      }
    };
  }

  /**
   * Failing, but no stable target: FORWARD_FIX, since rolling back would land on an unproven
   * version.
   *
   * @return the rule
   */
  public static DecisionRule failingWithoutStableTarget() {
    return new DecisionRule() {
      @Override
      public String name() {
        return "failing-without-stable-target";
      }

      @Override
      public Optional<Decision> evaluate(Assessment a, List<String> notes) {
        if (!(a.unhealthy() || a.errorRateHigh() || a.latencyHigh()) || a.targetStable()) {
          return Optional.empty();
        }
        List<String> r = new ArrayList<>(notes);
        r.add(a.service() + " " + a.currentVersion() + " is failing: " + failures(a) + ".");
        r.add("But " + a.targetVersion() + " is not known to be stable (" + a.targetStability()
            + "), so rolling back could trade one failure for another: fix forward, or name a proven target.");
        return Optional.of(new Decision(Verdict.FORWARD_FIX, name(), r, evidence(a)));
      }
    };
  }

  static String failures(Assessment a) {
    List<String> f = new ArrayList<>();
    if (a.unhealthy()) {
      f.add("its health check fails (" + a.health().check() + " answered " + a.health().reason() + ")");
    }
    if (a.errorRateHigh()) {
      f.add("its error rate of " + percent(a.errorRate()) + " is above the threshold of " + percent(a.errorRateThreshold())
          + (a.baselineErrorRate() == null ? "" : " (baseline " + percent(a.baselineErrorRate()) + ")"));
    }
    if (a.latencyHigh()) {
      f.add("its p99 latency of " + millis(a.latencyP99()) + " is above " + millis(a.latencyThreshold()));
    }
    if (a.sinceDeploy() != null) {
      f.add("it has run for " + a.sinceDeploy().toMinutes() + " minutes");
    }
    return String.join(", ", f);
  }

  static Map<String, String> evidence(Assessment a) {
    Map<String, String> e = new LinkedHashMap<>();
    e.put("current", a.currentVersion());
    e.put("target", a.targetVersion());
    if (a.health() != null) {
      e.put("health", (a.health().healthy() ? "healthy" : "unhealthy") + " (" + a.health().reason() + ")");
    }
    if (a.errorRate() != null) {
      e.put("errorRate", percent(a.errorRate()));
    }
    e.put("errorRateThreshold", percent(a.errorRateThreshold()));
    if (a.baselineErrorRate() != null) {
      e.put("baselineErrorRate", percent(a.baselineErrorRate()));
    }
    if (a.latencyP99() != null) {
      e.put("latencyP99", millis(a.latencyP99()));
    }
    if (a.sinceDeploy() != null) {
      e.put("sinceDeploy", a.sinceDeploy().toString());
    }
    if (!a.affectedSystems().isEmpty()) {
      e.put("affectedSystems", String.join(", ", a.affectedSystems()));
    }
    if (a.database() != null) {
      e.put("migrations", a.database().migrations() + " (" + a.database().irreversible() + " irreversible, "
          + a.database().destructive() + " destructive)");
    }
    e.put("targetStable", a.targetStable() + ": " + a.targetStability());
    return e;
  }

  static String percent(double rate) {
    return String.format(Locale.ROOT, "%.2f%%", rate * 100);
  }

  static String millis(Duration d) {
    return d.toMillis() + " ms";
  }
}
