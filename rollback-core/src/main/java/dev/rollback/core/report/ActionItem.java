package dev.rollback.core.report;

import java.util.Objects;

/**
 * A follow-up item of the report.
 *
 * @param text what to do
 * @param source who asked for it
 * @since 0.1.0
 */
public record ActionItem(String text, Source source) {
  /** Checks the components. */
  public ActionItem {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(source, "source");
  }

  /** Where an action item comes from. */
  public enum Source {
    /** Written by the operator in {@link ReportNotes}. */
    OPERATOR,
    /** Derived from the journal: a failed compensation, a warning, a failing gate. */
    AUTOMATIC
  }
}
