package dev.rollback.testkit.internal;

import dev.rollback.core.CompensationRecord;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.StepRecord;
import java.util.List;

/** Renders a {@link RollbackResult} for people, for assertion failure messages. */
public final class ResultDescription {
  private ResultDescription() {}

  /**
   * @param result a result
   * @return e.g. {@code run r1 of checkout-api (v1.3.0 -> v1.2.9)}
   */
  public static String name(RollbackResult result) {
    return "run " + result.runId() + " of " + result.service() + " (" + result.fromVersion() + " -> " + result.toVersion() + ")";
  }

  /**
   * @param result a result
   * @return its outcome, failure, steps, compensations and warnings on several lines
   */
  public static String describe(RollbackResult result) {
    StringBuilder sb = new StringBuilder();
    sb.append(name(result)).append(" ended ").append(result.outcome());
    if (result.failure() != null) {
      sb.append(": ").append(result.failure());
    }
    sb.append("\nsteps:");
    List<StepRecord> steps = result.steps();
    int width = steps.stream().mapToInt(s -> s.stepId().length()).max().orElse(0);
    if (steps.isEmpty()) {
      sb.append(" none");
    }
    for (StepRecord s : steps) {
      sb.append("\n  ").append(pad(s.stepId(), width)).append("  ").append(pad(s.outcome().name(), 17));
      if (s.attempts() > 0) {
        sb.append("  ").append(s.attempts()).append(s.attempts() == 1 ? " attempt" : " attempts");
      }
      if (!s.message().isEmpty()) {
        sb.append("  ").append(s.message());
      }
    }
    sb.append("\ncompensations:");
    if (result.compensations().isEmpty()) {
      sb.append(" none");
    }
    for (CompensationRecord c : result.compensations()) {
      sb.append("\n  ").append(pad(c.stepId(), width)).append("  ").append(c.outcome());
      if (!c.message().isEmpty()) {
        sb.append("  ").append(c.message());
      }
    }
    sb.append("\nwarnings:");
    if (result.warnings().isEmpty()) {
      sb.append(" none");
    }
    for (String w : result.warnings()) {
      sb.append("\n  ").append(w);
    }
    return sb.toString();
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
