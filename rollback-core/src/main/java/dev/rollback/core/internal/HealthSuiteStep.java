package dev.rollback.core.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.health.HealthObservation;
import dev.rollback.core.health.HealthSuite;
import dev.rollback.core.health.HealthSuiteFailedException;
import dev.rollback.core.health.HealthSuiteResult;
import dev.rollback.core.health.HealthSuiteRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link HealthSuite} as a read-only step of the VALIDATE phase. */
public final class HealthSuiteStep implements Step {
  private final HealthSuite suite;

  /**
   * @param suite the suite to run
   */
  public HealthSuiteStep(HealthSuite suite) {
    this.suite = suite;
  }

  @Override
  public String id() {
    return suite.name();
  }

  @Override
  public Phase phase() {
    return Phase.VALIDATE;
  }

  @Override
  public boolean idempotent() {
    return true;
  }

  @Override
  public String preview(StepContext ctx) {
    List<String> parts = new ArrayList<>();
    for (HealthSuite.Endpoint e : suite.endpoints()) {
      parts.add(e.name() + " (" + e.check().name() + ") " + e.requiredPasses() + "x");
    }
    return "would check " + String.join(", ", parts) + " in a row, every " + suite.interval() + ", within " + suite.deadline();
  }

  @Override
  public StepResult execute(StepContext ctx) throws Exception {
    HealthSuiteResult result = poll(suite, ctx);
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("kind", "health-suite");
    facts.put("suite", suite.name());
    facts.put("verdict", result.verdict());
    facts.put("table", result.tableJson());
    ctx.record("health suite " + suite.name() + ": " + result.verdict() + " (" + result.summary() + ")", facts);
    if (!result.passed()) {
      throw new HealthSuiteFailedException(result);
    }
    return new StepResult(dev.rollback.core.StepStatus.SUCCEEDED, result.summary(), Map.of("verdict", result.verdict(),
        "endpoints", String.valueOf(result.rows().size())));
  }

  /**
   * Polls until every endpoint reached its passes or the deadline passed.
   *
   * @param suite the suite
   * @param ctx the run's context
   * @return the table
   * @throws InterruptedException when interrupted
   */
  public static HealthSuiteResult poll(HealthSuite suite, StepContext ctx) throws InterruptedException {
    List<HealthSuite.Endpoint> endpoints = suite.endpoints();
    int n = endpoints.size();
    int[] passes = new int[n];
    int[] attempts = new int[n];
    int[] resets = new int[n];
    HealthObservation[] last = new HealthObservation[n];
    int totalRequired = 0;
    for (HealthSuite.Endpoint e : endpoints) {
      totalRequired += e.requiredPasses();
    }
    Instant start = ctx.clock().instant();
    Instant until = start.plus(suite.deadline());
    while (true) {
      ctx.throwIfCancelled();
      for (int i = 0; i < n; i++) {
        HealthSuite.Endpoint e = endpoints.get(i);
        if (passes[i] >= e.requiredPasses()) {
          continue;
        }
        HealthObservation o = observe(e, ctx);
        attempts[i]++;
        last[i] = o;
        if (o.healthy()) {
          passes[i]++;
        } else {
          if (passes[i] > 0) {
            resets[i]++;
            ctx.progress(e.name() + ": failed after " + passes[i] + " consecutive pass" + (passes[i] == 1 ? "" : "es")
                + ", count reset to 0/" + e.requiredPasses() + " (" + o.reason() + ")", fraction(endpoints, passes, totalRequired));
          }
          passes[i] = 0;
        }
      }
      boolean allDone = true;
      List<String> state = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int req = endpoints.get(i).requiredPasses();
        allDone &= passes[i] >= req;
        state.add(endpoints.get(i).name() + " " + Math.min(passes[i], req) + "/" + req);
      }
      ctx.progress("health suite " + suite.name() + ": " + String.join(", ", state), fraction(endpoints, passes, totalRequired));
      Instant now = ctx.clock().instant();
      if (allDone || now.plus(suite.interval()).isAfter(until)) {
        List<HealthSuiteRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          rows.add(new HealthSuiteRow(endpoints.get(i).name(), endpoints.get(i).requiredPasses(), passes[i], attempts[i], resets[i], last[i]));
        }
        return new HealthSuiteResult(suite.name(), rows, Duration.between(start, now));
      }
      ctx.sleep(suite.interval());
    }
  }

  private static HealthObservation observe(HealthSuite.Endpoint e, StepContext ctx) throws InterruptedException {
    try {
      return e.check().check();
    } catch (InterruptedException | RollbackException ex) {
      if (ex instanceof RollbackException re && re.code() != ErrorCode.CANCELLED) {
        return broken(e, ex);
      }
      throw ex;
    } catch (Exception ex) {
      return broken(e, ex);
    }
  }

  private static HealthObservation broken(HealthSuite.Endpoint e, Exception ex) {
    return new HealthObservation(e.check().name(), false, 0, Duration.ZERO,
        "check failed: " + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage()));
  }

  private static double fraction(List<HealthSuite.Endpoint> endpoints, int[] passes, int totalRequired) {
    int done = 0;
    for (int i = 0; i < passes.length; i++) {
      done += Math.min(passes[i], endpoints.get(i).requiredPasses());
    }
    return totalRequired == 0 ? 1 : (double) done / totalRequired;
  }

  @Override
  public String toString() {
    return "HealthSuiteStep[" + suite + "]";
  }
}
