package dev.rollback.core.report;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The assessment's decision (a timeline entry with {@code kind=decision}).
 *
 * @param verdict ROLLBACK, FORWARD_FIX or NO_ACTION as recorded, "" when not recorded
 * @param rule the rule that decided, "" when not recorded
 * @param rationale the written rationale, "" when not recorded
 * @param evidence the other facts of the entry, in recorded order
 * @param at when it was decided
 * @since 0.1.0
 */
public record ReportDecision(String verdict, String rule, String rationale, Map<String, String> evidence, Instant at) {
  /** Checks and copies the components. */
  public ReportDecision {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(rationale, "rationale");
    Objects.requireNonNull(at, "at");
    evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
  }
}
