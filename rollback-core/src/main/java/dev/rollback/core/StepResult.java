package dev.rollback.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a step reports when it returns: a status, a one-line message and facts (shown in events, the
 * journal and the report). A step may also conclude the run ({@link #concludeRun}): the assessment
 * does when it decides that no rollback is needed.
 *
 * @param status how it ended
 * @param message one line for people
 * @param facts key/values, in insertion order
 * @param conclusion {@link RunOutcome#NO_ACTION} or {@link RunOutcome#FORWARD_FIX} to end the run
 *     after this step without running the rest, or null to go on
 * @since 0.1.0
 */
public record StepResult(StepStatus status, String message, Map<String, String> facts, @Nullable RunOutcome conclusion) {
  /** Checks and copies the components. */
  public StepResult {
    Objects.requireNonNull(status, "status of a StepResult must not be null: use SUCCEEDED, SKIPPED or WARNED");
    Objects.requireNonNull(message, "message of a StepResult must not be null: use \"\" for none");
    Objects.requireNonNull(facts, "facts of a StepResult must not be null: use Map.of() for none");
    if (facts.entrySet().stream().anyMatch(e -> e.getKey() == null || e.getValue() == null)) {
      throw new NullPointerException("facts of a StepResult must not hold null keys or values, but were " + facts);
    }
    facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    if (conclusion != null && conclusion != RunOutcome.NO_ACTION && conclusion != RunOutcome.FORWARD_FIX) {
      throw new IllegalArgumentException("a step can conclude a run only as NO_ACTION or FORWARD_FIX, not " + conclusion
          + ": throw to fail it");
    }
  }

  /**
   * A result that does not conclude the run.
   *
   * @param status how it ended
   * @param message one line for people
   * @param facts key/values
   */
  public StepResult(StepStatus status, String message, Map<String, String> facts) {
    this(status, message, facts, null);
  }

  /**
   * Ends the run after this step, without running the rest and without compensating: nothing
   * needs undoing because the run decided not to roll back.
   *
   * @param outcome {@link RunOutcome#NO_ACTION} or {@link RunOutcome#FORWARD_FIX}
   * @param message why, for people
   * @return the result
   */
  public static StepResult concludeRun(RunOutcome outcome, String message) {
    return new StepResult(StepStatus.SUCCEEDED, message, Map.of(), Objects.requireNonNull(outcome, "outcome"));
  }

  /** @return a plain success */
  public static StepResult succeeded() {
    return new StepResult(StepStatus.SUCCEEDED, "", Map.of());
  }

  /**
   * @param message what was done
   * @return a success with a message
   */
  public static StepResult succeeded(String message) {
    return new StepResult(StepStatus.SUCCEEDED, message, Map.of());
  }

  /**
   * @param reason why there was nothing to do
   * @return a skip
   */
  public static StepResult skipped(String reason) {
    return new StepResult(StepStatus.SKIPPED, reason, Map.of());
  }

  /**
   * @param message what deserves a look
   * @return a warning
   */
  public static StepResult warned(String message) {
    return new StepResult(StepStatus.WARNED, message, Map.of());
  }

  /**
   * Returns a copy with one more fact.
   *
   * @param key fact name
   * @param value fact value ({@link String#valueOf(Object)}; a {@link Secret} renders redacted)
   * @return the new result
   */
  public StepResult withFact(String key, Object value) {
    Map<String, String> copy = new LinkedHashMap<>(facts);
    copy.put(Objects.requireNonNull(key, "key"), String.valueOf(value));
    return new StepResult(status, message, copy, conclusion);
  }
}
