package dev.rollback.core.metric;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a {@link MetricGate} concluded, with the samples it took (timestamps from the run's clock)
 * so that the incident report can chart them.
 *
 * <p>{@link #facts()} gives the timeline facts the report reads: {@code kind=gate}, {@code gate},
 * {@code metric}, {@code verdict}, {@code threshold}, {@code value} (the last value; left out when
 * no sample had one), {@code samples} (a JSON array of {@code {"at":"<ISO-8601>","value":number|null}})
 * and {@code reason}.
 *
 * @param gate the gate's name
 * @param metric the metric label for the report, e.g. {@code error-rate}
 * @param verdict the verdict
 * @param threshold the limit in words, e.g. {@code <= 0.05} or {@code <= baseline 0.01 +50%}
 * @param samples every sample taken, in order; a sample without a value had no data (or a query
 *     error)
 * @param reason one line for people: why this verdict
 * @since 0.1.0
 */
public record GateResult(String gate, String metric, GateVerdict verdict, String threshold, List<Sample> samples, String reason) {
  /** Checks and copies the components. */
  public GateResult {
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(threshold, "threshold");
    samples = List.copyOf(samples);
    Objects.requireNonNull(reason, "reason");
  }

  /** @return true only for {@link GateVerdict#PASS} */
  public boolean passed() {
    return verdict == GateVerdict.PASS;
  }

  /** @return the last sample that carried a value, or empty */
  public OptionalDouble lastValue() {
    for (int i = samples.size() - 1; i >= 0; i--) {
      Double v = samples.get(i).value();
      if (v != null) {
        return OptionalDouble.of(v);
      }
    }
    return OptionalDouble.empty();
  }

  /** @return the number of samples that carried a value */
  public int validSamples() {
    return (int) samples.stream().filter(Sample::hasValue).count();
  }

  /**
   * The samples as the JSON array the report reads: {@code [{"at":"2026-11-28T03:00:00Z","value":0.01},
   * {"at":"…","value":null}]}. Non-finite values are written as null.
   *
   * @return the JSON text
   */
  public String samplesJson() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"at\":\"").append(s.at()).append("\",\"value\":");
      Double v = s.value();
      sb.append(v == null || !Double.isFinite(v) ? "null" : number(v)).append('}');
    }
    return sb.append(']').toString();
  }

  /**
   * The timeline facts of this result, in the order the report expects.
   *
   * @return kind, gate, metric, verdict, threshold, value (when there is one), samples, reason
   */
  public Map<String, String> facts() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("kind", "gate");
    f.put("gate", gate);
    f.put("metric", metric);
    f.put("verdict", verdict.name());
    f.put("threshold", threshold);
    OptionalDouble last = lastValue();
    if (last.isPresent()) {
      f.put("value", number(last.getAsDouble()));
    }
    f.put("samples", samplesJson());
    f.put("reason", reason);
    return f;
  }

  /**
   * @param v a number
   * @return it as short text: integers without a fraction, others as {@link Double#toString}
   */
  static String number(double v) {
    if (Double.isFinite(v) && v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
