package dev.rollback.core.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.StepContext;
import dev.rollback.core.metric.Baseline;
import dev.rollback.core.metric.BreachDirection;
import dev.rollback.core.metric.GateResult;
import dev.rollback.core.metric.GateVerdict;
import dev.rollback.core.metric.MetricGate;
import dev.rollback.core.metric.NoDataPolicy;
import dev.rollback.core.metric.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * The running count of one gate's samples: passed, failed, inconclusive, no data, errors. A gate
 * evaluation and a monitoring window both feed it one measurement at a time.
 */
public final class GateTally {
  private final MetricGate gate;
  private final List<Sample> samples = new ArrayList<>();
  private int passed;
  private int failed;
  private int inconclusive;
  private int noData;
  private int withValue;
  private int errors;
  private int consecutiveErrors;
  private @Nullable String lastError;
  private @Nullable Double lastBaseline;
  private @Nullable String lastFailure;

  /**
   * @param gate the gate whose samples are counted
   */
  public GateTally(MetricGate gate) {
    this.gate = gate;
  }

  /**
   * Takes one reading, at the run clock's now, and counts it.
   *
   * @param ctx the run's context
   * @return the sample taken
   */
  public Sample measure(StepContext ctx) {
    Instant at = ctx.clock().instant();
    Double limitBaseline;
    try {
      limitBaseline = baselineValue(ctx);
    } catch (RollbackException e) {
      if (e.code() == ErrorCode.CANCELLED || gate.baseline().map(b -> b.kind() == Baseline.Kind.CAPTURED).orElse(false)) {
        throw e; // cancelled, or a plan without the capture step: no sample can fix that
      }
      return error(at, "baseline query failed: " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RollbackException(ErrorCode.CANCELLED, "interrupted while reading the baseline of gate '" + gate.name() + "'", e);
    } catch (Exception e) {
      return error(at, "baseline query failed: " + describe(e));
    }
    OptionalDouble read;
    try {
      read = gate.source().read(gate.query());
    } catch (RollbackException e) {
      if (e.code() == ErrorCode.CANCELLED) {
        throw e;
      }
      return error(at, describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RollbackException(ErrorCode.CANCELLED, "interrupted while reading gate '" + gate.name() + "'", e);
    } catch (Exception e) {
      return error(at, describe(e));
    }
    consecutiveErrors = 0;
    if (read.isEmpty() || Double.isNaN(read.getAsDouble())) {
      noData++;
      Sample s = new Sample(at, null);
      samples.add(s);
      NoDataPolicy p = gate.noDataPolicy();
      if (p == NoDataPolicy.FAIL) {
        failed++;
        lastFailure = "no data at " + at;
      } else if (p == NoDataPolicy.PASS) {
        passed++;
      } else {
        inconclusive++;
      }
      return s;
    }
    double v = read.getAsDouble();
    Sample s = new Sample(at, v);
    samples.add(s);
    withValue++;
    if (limitBaseline == null && gate.baseline().isPresent()) {
      // The baseline had no data: the comparison cannot be made.
      inconclusive++;
      return s;
    }
    double limit = gate.limit(limitBaseline == null ? Double.NaN : limitBaseline);
    boolean bad = gate.direction() == BreachDirection.ABOVE ? v > limit : v < limit;
    if (bad) {
      failed++;
      lastFailure = GateResultText.number(v) + " at " + at;
    } else {
      passed++;
    }
    return s;
  }

  private @Nullable Double baselineValue(StepContext ctx) throws Exception {
    Optional<Baseline> b = gate.baseline();
    if (b.isEmpty()) {
      return null;
    }
    Baseline baseline = b.get();
    switch (baseline.kind()) {
      case FIXED:
        lastBaseline = baseline.value();
        return lastBaseline;
      case QUERY:
        OptionalDouble q = gate.source().read(baseline.query());
        lastBaseline = q.isPresent() && !Double.isNaN(q.getAsDouble()) ? q.getAsDouble() : null;
        return lastBaseline;
      default:
        lastBaseline = ctx.get(gate.baselineKey()).orElseThrow(() -> new RollbackException(ErrorCode.INVALID_CONFIGURATION,
            "gate '" + gate.name() + "' compares with a captured baseline, but none was captured: add "
                + "gate.captureBaselineStep() to the plan (it runs in ASSESS, before the rollback)"));
        return lastBaseline;
    }
  }

  private Sample error(Instant at, String message) {
    errors++;
    consecutiveErrors++;
    lastError = message;
    Sample s = new Sample(at, null);
    samples.add(s);
    return s;
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  /** @return true once the gate has failed: too many failed samples or consecutive errors */
  public boolean breached() {
    return failed > gate.failureLimit() || consecutiveErrors > gate.consecutiveErrorLimit();
  }

  /** @return how many samples were taken */
  public int size() {
    return samples.size();
  }

  /** @return the samples so far */
  public List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** @return the verdict on the samples so far, with a reason */
  public GateResult result() {
    String threshold = gate.describeThreshold(lastBaseline);
    int total = samples.size();
    GateVerdict verdict;
    String reason;
    if (failed > gate.failureLimit()) {
      verdict = GateVerdict.FAIL;
      reason = failed + " of " + total + " samples breached " + threshold + " (failure limit " + gate.failureLimit()
          + "); last breach: " + lastFailure;
    } else if (consecutiveErrors > gate.consecutiveErrorLimit()) {
      verdict = GateVerdict.FAIL;
      reason = consecutiveErrors + " consecutive read errors (limit " + gate.consecutiveErrorLimit() + "); last: " + lastError;
    } else if (withValue == 0 && gate.noDataPolicy() != NoDataPolicy.PASS) {
      verdict = GateVerdict.NODATA;
      reason = total == 0 ? "no samples were taken"
          : "none of " + total + " samples had data (" + noData + " without data, " + errors + " read errors"
              + (lastError == null ? "" : "; last error: " + lastError) + "); no data is never a pass unless the gate says noData(PASS)";
    } else if (inconclusive > gate.inconclusiveLimit()) {
      verdict = GateVerdict.INCONCLUSIVE;
      reason = inconclusive + " of " + total + " samples were inconclusive (" + noData + " without data"
          + (gate.baseline().isPresent() && lastBaseline == null ? ", baseline without data" : "")
          + "; inconclusive limit " + gate.inconclusiveLimit() + ")";
    } else if (passed < gate.minSamples()) {
      verdict = GateVerdict.INCONCLUSIVE;
      reason = "only " + passed + " valid sample" + (passed == 1 ? "" : "s") + " of " + total + ", fewer than the minimum of "
          + gate.minSamples() + (errors > 0 ? " (" + errors + " read errors; last: " + lastError + ")" : "");
    } else {
      verdict = GateVerdict.PASS;
      reason = passed + " of " + total + " samples within " + threshold
          + (failed > 0 ? " (" + failed + " breaches tolerated)" : "");
    }
    return new GateResult(gate.name(), gate.metric(), verdict, threshold, samples, reason);
  }
}
