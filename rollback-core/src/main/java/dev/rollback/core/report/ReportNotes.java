package dev.rollback.core.report;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What only people can write into an incident report: the root cause, the lessons learned and
 * follow-up items. Missing text shows as a clear placeholder in the report.
 *
 * <pre>{@code
 * ReportNotes notes = ReportNotes.none()
 *     .withRootCause("v1.3.0 shipped a connection pool of size 1")
 *     .withLessonsLearned("load tests must run with production pool settings")
 *     .withActionItem("add a pool-size check to the release pipeline");
 * }</pre>
 *
 * @param rootCause the root cause, or null when not yet written
 * @param lessonsLearned the lessons learned, or null when not yet written
 * @param actionItems follow-up items, in order
 * @since 0.1.0
 */
public record ReportNotes(@Nullable String rootCause, @Nullable String lessonsLearned, List<String> actionItems) {

  /** Copies the list; blank texts count as not written. */
  public ReportNotes {
    rootCause = rootCause == null || rootCause.isBlank() ? null : rootCause.strip();
    lessonsLearned = lessonsLearned == null || lessonsLearned.isBlank() ? null : lessonsLearned.strip();
    List<String> items = new ArrayList<>();
    for (String item : actionItems) {
      if (item == null || item.isBlank()) {
        throw new RollbackException(ErrorCode.INVALID_CONFIGURATION,
            "action items must not be blank, but item " + (items.size() + 1) + " was " + (item == null ? "null" : "'" + item + "'"));
      }
      items.add(item.strip());
    }
    actionItems = List.copyOf(items);
  }

  /** @return notes with nothing written yet: the report shows placeholders */
  public static ReportNotes none() {
    return new ReportNotes(null, null, List.of());
  }

  /**
   * @param text the root cause
   * @return a copy with the root cause
   */
  public ReportNotes withRootCause(String text) {
    return new ReportNotes(requireText("root cause", text), lessonsLearned, actionItems);
  }

  /**
   * @param text the lessons learned
   * @return a copy with the lessons learned
   */
  public ReportNotes withLessonsLearned(String text) {
    return new ReportNotes(rootCause, requireText("lessons learned", text), actionItems);
  }

  /**
   * @param text a follow-up item
   * @return a copy with the item added at the end
   */
  public ReportNotes withActionItem(String text) {
    List<String> items = new ArrayList<>(actionItems);
    items.add(requireText("action item", text));
    return new ReportNotes(rootCause, lessonsLearned, items);
  }

  /** @return the root cause, when written */
  public Optional<String> rootCauseText() {
    return Optional.ofNullable(rootCause);
  }

  /** @return the lessons learned, when written */
  public Optional<String> lessonsLearnedText() {
    return Optional.ofNullable(lessonsLearned);
  }

  private static String requireText(String what, @Nullable String text) {
    if (text == null || text.isBlank()) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION,
          what + " must not be blank, but was " + (text == null ? "null" : "'" + text + "'") + ": leave it out to show the placeholder");
    }
    return text;
  }
}
