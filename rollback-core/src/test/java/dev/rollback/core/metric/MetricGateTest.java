package dev.rollback.core.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.StepOutcome;
import dev.rollback.core.TimelineEntry;
import dev.rollback.core.health.MetricSource;
import dev.rollback.core.support.TestClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** How a gate judges its samples, what it records, and how it is configured. */
class MetricGateTest {
  private final TestClock clock = TestClock.create();

  /** Answers the given values in turn; null is no data, NaN is NaN; then repeats the last. */
  static MetricSource values(Double... values) {
    java.util.List<Double> list = Arrays.asList(values);
    int[] next = {0};
    return query -> {
      Double v = list.get(Math.min(next[0]++, list.size() - 1));
      return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    };
  }

  private static MetricGate.Builder gate(MetricSource source) {
    return MetricGate.custom("errors").source(source).query("error_rate").metric("error-rate");
  }

  private GateResult evaluate(MetricGate gate) {
    return GateHarness.evaluate(GateHarness.runner(clock), gate);
  }

  @Test
  void passesWhenEverySampleIsWithinTheThreshold() {
    GateResult r = evaluate(gate(values(0.01, 0.02, 0.03)).max(0.05).count(3).interval(Duration.ofSeconds(30)).build());

    assertThat(r.verdict()).isEqualTo(GateVerdict.PASS);
    assertThat(r.samples()).extracting(Sample::value).containsExactly(0.01, 0.02, 0.03);
    assertThat(r.samples()).extracting(Sample::at).containsExactly(
        Instant.parse("2026-11-28T03:00:00Z"), Instant.parse("2026-11-28T03:00:30Z"), Instant.parse("2026-11-28T03:01:00Z"));
    assertThat(r.threshold()).isEqualTo("<= 0.05");
    assertThat(r.reason()).isEqualTo("3 of 3 samples within <= 0.05");
  }

  @Test
  void failsOnTheFirstBreachWithTheDefaultFailureLimitOfZeroAndStopsSampling() {
    GateResult r = evaluate(gate(values(0.01, 0.2, 0.01)).max(0.05).count(3).build());

    assertThat(r.verdict()).isEqualTo(GateVerdict.FAIL);
    assertThat(r.samples()).hasSize(2);
    assertThat(r.reason()).startsWith("1 of 2 samples breached <= 0.05 (failure limit 0); last breach: 0.2 at 2026-11-28T03:00:10Z");
  }

  @Test
  void toleratesAsManyBreachesAsTheFailureLimit() {
    GateResult r = evaluate(gate(values(0.2, 0.01, 0.01)).max(0.05).count(3).failureLimit(1).build());

    assertThat(r.verdict()).isEqualTo(GateVerdict.PASS);
    assertThat(r.reason()).contains("1 breaches tolerated");
  }

  @Test
  void aMinimumIsBreachedBelowIt() {
    assertThat(evaluate(gate(values(0.97)).min(0.99).build()).verdict()).isEqualTo(GateVerdict.FAIL);
    assertThat(evaluate(gate(values(0.995)).min(0.99).build()).verdict()).isEqualTo(GateVerdict.PASS);
  }

  @Test
  void failsAfterMoreConsecutiveErrorsThanTheLimitOfFour() {
    MetricSource broken = query -> {
      throw new IOException("connection refused");
    };
    GateResult r = evaluate(gate(broken).max(0.05).count(10).build());

    assertThat(r.verdict()).isEqualTo(GateVerdict.FAIL);
    assertThat(r.samples()).hasSize(5).allMatch(s -> !s.hasValue());
    assertThat(r.reason()).isEqualTo("5 consecutive read errors (limit 4); last: IOException: connection refused");
  }

  @Test
  void aFewErrorsBetweenGoodSamplesDoNotFailTheGate() {
    int[] calls = {0};
    MetricSource flaky = query -> {
      if (calls[0]++ % 2 == 1) {
        throw new IOException("timeout");
      }
      return OptionalDouble.of(0.01);
    };
    GateResult r = evaluate(gate(flaky).max(0.05).count(5).minSamples(3).build());

    assertThat(r.verdict()).isEqualTo(GateVerdict.PASS);
    assertThat(r.validSamples()).isEqualTo(3);
  }

  @Nested
  class NoDataAndLowSamples {
    @Test
    void aGateWithoutAnyDataEndsNodataByDefaultAndNeverPasses() {
      GateResult r = evaluate(gate(values((Double) null)).max(0.05).count(3).inconclusiveLimit(5).build());

      assertThat(r.verdict()).isEqualTo(GateVerdict.NODATA);
      assertThat(r.passed()).isFalse();
      assertThat(r.samples()).hasSize(3).noneMatch(Sample::hasValue);
      assertThat(r.reason()).contains("none of 3 samples had data").contains("never a pass unless the gate says noData(PASS)");
    }

    @Test
    void nanIsNoDataNotAValue() {
      GateResult r = evaluate(gate(values(Double.NaN)).max(0.05).build());

      assertThat(r.verdict()).isEqualTo(GateVerdict.NODATA);
      assertThat(r.samplesJson()).isEqualTo("[{\"at\":\"2026-11-28T03:00:00Z\",\"value\":null}]");
    }

    @Test
    void aGateWhoseReadsAllFailWithinTheErrorLimitIsNodataNotAPass() {
      MetricSource broken = query -> {
        throw new IOException("down");
      };
      GateResult r = evaluate(gate(broken).max(0.05).count(3).build());

      assertThat(r.verdict()).isEqualTo(GateVerdict.NODATA);
      assertThat(r.reason()).contains("3 read errors").contains("down");
    }

    @Test
    void noDataFailWhenThePlanSaysSo() {
      GateResult r = evaluate(gate(values((Double) null)).max(0.05).noData(NoDataPolicy.FAIL).build());

      assertThat(r.verdict()).isEqualTo(GateVerdict.FAIL);
    }

    @Test
    void noDataPassesOnlyWhenThePlanChoseIt() {
      GateResult r = evaluate(gate(values((Double) null)).max(0.05).count(2).noData(NoDataPolicy.PASS).build());

      assertThat(r.verdict()).isEqualTo(GateVerdict.PASS);
    }

    @Test
    void oneSampleWithoutDataAmongGoodOnesIsInconclusiveWithTheDefaultInconclusiveLimitOfZero() {
      GateResult r = evaluate(gate(values(0.01, null, 0.01)).max(0.05).count(3).build());

      assertThat(r.verdict()).isEqualTo(GateVerdict.INCONCLUSIVE);
      assertThat(r.reason()).startsWith("1 of 3 samples were inconclusive (1 without data; inconclusive limit 0)");
    }

    @Test
    void fewerValidSamplesThanTheMinimumIsInconclusiveNotAPass() {
      GateResult r = evaluate(gate(values(0.01, null, null, null, 0.01)).max(0.05).count(5).minSamples(3).inconclusiveLimit(3).build());

      assertThat(r.verdict()).isEqualTo(GateVerdict.INCONCLUSIVE);
      assertThat(r.reason()).isEqualTo("only 2 valid samples of 5, fewer than the minimum of 3");
    }

    @Test
    void theGateStepWarnsInsteadOfSucceedingWhenThereIsNoData() {
      MetricGate g = gate(values((Double) null)).max(0.05).build();

      RollbackResult result = GateHarness.run(GateHarness.runner(clock), g.step());

      assertThat(result.step("gate-errors").orElseThrow().outcome()).isEqualTo(StepOutcome.WARNED);
      assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
      assertThat(result.warnings()).anyMatch(w -> w.contains("NODATA"));
    }
  }

  @Nested
  class Baselines {
    @Test
    void aFixedBaselineWithToleranceSetsTheLimit() {
      MetricGate g = gate(values(0.014)).baseline(Baseline.fixed(0.01), BreachDirection.ABOVE).tolerance(0.5).build();

      GateResult r = evaluate(g);

      assertThat(r.verdict()).isEqualTo(GateVerdict.PASS);
      assertThat(r.threshold()).isEqualTo("<= baseline 0.01 +50% (0.015)");
      assertThat(evaluate(gate(values(0.016)).baseline(Baseline.fixed(0.01), BreachDirection.ABOVE).tolerance(0.5).build()).verdict())
          .isEqualTo(GateVerdict.FAIL);
    }

    @Test
    void aQueryBaselineIsReadFromTheSameSourceEachTime() {
      MetricSource source = q -> OptionalDouble.of(q.contains("offset") ? 100.0 : 180.0);
      MetricGate g = MetricGate.custom("latency").source(source).query("p99").metric("latency-p99")
          .baseline(Baseline.query("p99 offset 1h"), BreachDirection.ABOVE).tolerance(0.5).build();

      GateResult r = evaluate(g);

      assertThat(r.verdict()).isEqualTo(GateVerdict.FAIL);
      assertThat(r.threshold()).isEqualTo("<= baseline 100 +50% (150)");
    }

    @Test
    void aBaselineWithoutDataMakesTheSampleInconclusive() {
      MetricSource source = q -> q.contains("offset") ? OptionalDouble.empty() : OptionalDouble.of(1.0);
      MetricGate g = MetricGate.custom("x").source(source).query("x").baseline(Baseline.query("x offset 1h"), BreachDirection.ABOVE).build();

      assertThat(evaluate(g).verdict()).isEqualTo(GateVerdict.INCONCLUSIVE);
    }

    @Test
    void aCapturedBaselineIsReadBeforeTheRollbackAndUsedAfter() {
      MetricGate g = gate(values(0.02, 0.025)).baseline(Baseline.captured(), BreachDirection.ABOVE).tolerance(0.1).absoluteTolerance(0.001).build();

      GateResult r = GateHarness.evaluate(GateHarness.runner(clock), g, g.captureBaselineStep());

      assertThat(r.verdict()).isEqualTo(GateVerdict.FAIL);
      assertThat(r.threshold()).isEqualTo("<= baseline 0.02 +10% +0.001 (0.023)");
    }

    @Test
    void aCapturedBaselineThatNobodyCapturedFailsWithTheFix() {
      MetricGate g = gate(values(0.02)).baseline(Baseline.captured(), BreachDirection.ABOVE).build();

      RollbackResult r = GateHarness.run(GateHarness.runner(clock), g.step());

      assertThat(r.outcome()).isEqualTo(RunOutcome.FAILED);
      assertThat(r.failure()).contains("none was captured").contains("captureBaselineStep()");
    }

    @Test
    void aBrokenBaselineQueryIsAReadErrorWithItsMessage() {
      MetricSource source = q -> {
        if (q.contains("offset")) {
          throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "bad_data: parse error");
        }
        return OptionalDouble.of(1.0);
      };
      MetricGate g = MetricGate.custom("x").source(source).query("x").baseline(Baseline.query("x offset"), BreachDirection.ABOVE).count(5).build();

      GateResult r = evaluate(g);

      assertThat(r.verdict()).isEqualTo(GateVerdict.FAIL);
      assertThat(r.reason()).isEqualTo("5 consecutive read errors (limit 4); last: baseline query failed: RollbackException: bad_data: parse error");
    }

    @Test
    void availabilityBelowTheBaselineFails() {
      MetricGate g = gate(values(0.95)).baseline(Baseline.fixed(0.999), BreachDirection.BELOW).absoluteTolerance(0.01).build();

      GateResult r = evaluate(g);

      assertThat(r.verdict()).isEqualTo(GateVerdict.FAIL);
      assertThat(r.threshold()).isEqualTo(">= baseline 0.999 -0.01 (0.989)");
    }
  }

  @Nested
  class AsAStep {
    @Test
    void recordsTheFactsTheReportChartsAndFailsTheRunOnFail() {
      MetricGate g = gate(values(0.01, 0.2)).max(0.05).count(3).interval(Duration.ofMinutes(1)).build();

      RollbackResult result = GateHarness.run(GateHarness.runner(clock), g.step());

      assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
      assertThat(result.failure()).contains("gate 'errors' (error-rate) failed: 1 of 2 samples breached <= 0.05");
      TimelineEntry entry = result.timeline().stream().filter(e -> "gate".equals(e.facts().get("kind"))).findFirst().orElseThrow();
      assertThat(entry.stepId()).isEqualTo("gate-errors");
      Map<String, String> f = entry.facts();
      assertThat(f).containsEntry("kind", "gate").containsEntry("gate", "errors").containsEntry("metric", "error-rate")
          .containsEntry("verdict", "FAIL").containsEntry("threshold", "<= 0.05").containsEntry("value", "0.2")
          .containsEntry("samples", "[{\"at\":\"2026-11-28T03:00:00Z\",\"value\":0.01},{\"at\":\"2026-11-28T03:01:00Z\",\"value\":0.2}]");
    }

    @Test
    void aFailedGateIsAValidationFailureCarryingItsResult() {
      GateResult r = evaluate(gate(values(0.2)).max(0.05).build());

      GateFailedException e = new GateFailedException(r);

      assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
      assertThat(e.result()).isSameAs(r);
      assertThat(e).hasMessageStartingWith("gate 'errors' (error-rate) failed: 1 of 1 samples breached <= 0.05");
    }

    @Test
    void succeedsOnPass() {
      RollbackResult result = GateHarness.run(GateHarness.runner(clock), gate(values(0.01)).max(0.05).build().step());

      assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
      assertThat(result.step("gate-errors").orElseThrow().facts()).containsEntry("verdict", "PASS").containsEntry("value", "0.01");
    }
  }

  @Nested
  class Configuration {
    @Test
    void defaultsFollowArgoRollouts() {
      MetricGate g = gate(values(0.0)).max(1).build();

      assertThat(g.failureLimit()).isZero();
      assertThat(g.inconclusiveLimit()).isZero();
      assertThat(g.consecutiveErrorLimit()).isEqualTo(4);
      assertThat(g.count()).isEqualTo(1);
      assertThat(g.minSamples()).isEqualTo(1);
      assertThat(g.noDataPolicy()).isEqualTo(NoDataPolicy.INCONCLUSIVE);
      assertThat(g.metric()).isEqualTo("error-rate");
      assertThat(MetricSources.prometheus(java.net.URI.create("http://localhost:9090")).timeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
      assertThatThrownBy(() -> MetricGate.custom("bad name!").query(" ").count(0).failureLimit(-1).interval(Duration.ZERO)
          .minSamples(0).build())
          .isInstanceOfSatisfying(RollbackException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
            assertThat(e.problems()).hasSize(8);
            assertThat(e.getMessage()).contains("name must be", "'bad name!'", "query must not be blank", "count must be at least 1, but was 0",
                "failureLimit must be >= 0, but was -1", "interval must be positive, but was PT0S", "minSamples must be at least 1",
                "source must be set", "has no limit");
          });
    }

    @Test
    void twoLimitsOrAMinimumAboveTheCountAreRejected() {
      assertThatThrownBy(() -> gate(values(0.0)).max(1).min(0).count(2).minSamples(3).build())
          .hasMessageContaining("has 2 limits")
          .hasMessageContaining("minSamples (3) must not exceed count (2)");
      assertThatThrownBy(() -> gate(values(0.0)).max(1).tolerance(0.1).build())
          .hasMessageContaining("tolerance applies to a baseline only");
    }
  }
}
