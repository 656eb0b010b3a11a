package dev.rollback.core.report;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One line of the report's timeline: a journal entry, said for people.
 *
 * @param at when
 * @param type the journal entry type ({@code STEP_STARTED}, {@code TIMELINE}, ...)
 * @param stepId the step it is about, or null
 * @param kind the {@code kind} fact of a timeline entry ({@code decision}, {@code gate}, ...), or
 *     null
 * @param message what happened
 * @since 0.1.0
 */
public record ReportEvent(Instant at, String type, @Nullable String stepId, @Nullable String kind, String message) {
  /** Checks the components. */
  public ReportEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(message, "message");
  }
}
