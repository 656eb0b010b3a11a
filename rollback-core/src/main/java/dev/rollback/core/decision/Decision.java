package dev.rollback.core.decision;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A verdict with its reasons, as sentences, and the evidence they rest on.
 *
 * @param verdict what to do
 * @param rule the name of the rule that decided
 * @param rationale sentences for people, deciding facts first
 * @param evidence the facts, as key/values, for the report
 * @since 0.1.0
 */
public record Decision(Verdict verdict, String rule, List<String> rationale, Map<String, String> evidence) {
  /** Checks and copies the components. */
  public Decision {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(rule, "rule");
    rationale = List.copyOf(rationale);
    evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
  }

  /** @return the rationale as one paragraph */
  public String rationaleText() {
    return String.join(" ", rationale);
  }
}
