package dev.rollback.core.report;

/**
 * The renderings of an {@link IncidentReport}.
 *
 * @since 0.1.0
 */
public enum ReportFormat {
  /** Markdown (CommonMark with tables), for tickets and wikis. */
  MARKDOWN("md"),
  /** JSON in the documented schema (see the package documentation), for tools. */
  JSON("json"),
  /** One self-contained HTML file with inline SVG charts; no JavaScript, no network. */
  HTML("html");

  private final String extension;

  ReportFormat(String extension) {
    this.extension = extension;
  }

  /** @return the file name extension, without the dot */
  public String extension() {
    return extension;
  }
}
