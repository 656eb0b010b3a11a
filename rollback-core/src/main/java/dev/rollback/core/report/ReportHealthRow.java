package dev.rollback.core.report;

import java.util.Objects;

/**
 * One row of a health suite's table; every cell is text as recorded, "" when missing.
 *
 * @param endpoint the endpoint's name or URL
 * @param required how many consecutive passes it needed
 * @param passes how many it got
 * @param status the last HTTP status (or result)
 * @param latencyMs total latency of the last request, in milliseconds
 * @param ttfbMs time to first byte of the last request, in milliseconds
 * @param reason a short reason
 * @since 0.1.0
 */
public record ReportHealthRow(String endpoint, String required, String passes, String status, String latencyMs, String ttfbMs,
    String reason) {
  /** Checks the components. */
  public ReportHealthRow {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(required, "required");
    Objects.requireNonNull(passes, "passes");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(latencyMs, "latencyMs");
    Objects.requireNonNull(ttfbMs, "ttfbMs");
    Objects.requireNonNull(reason, "reason");
  }
}
