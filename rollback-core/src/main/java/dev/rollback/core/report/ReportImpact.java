package dev.rollback.core.report;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The declared impact (a timeline entry with {@code kind=impact}); a field is null when the entry
 * lacked it or its value could not be read.
 *
 * @param severity the severity, or null
 * @param usersAffectedPercent the share of users affected, 0 to 100, or null
 * @param businessFunctions business functions affected
 * @param criticalFunctions critical business functions down
 * @param revenueLoss whether revenue was lost, or null
 * @param dataLoss whether data was lost, or null
 * @param description one sentence, "" when not recorded
 * @since 0.1.0
 */
public record ReportImpact(@Nullable String severity, @Nullable Double usersAffectedPercent, List<String> businessFunctions,
    List<String> criticalFunctions, @Nullable Boolean revenueLoss, @Nullable Boolean dataLoss, String description) {
  /** Checks and copies the components. */
  public ReportImpact {
    businessFunctions = List.copyOf(businessFunctions);
    criticalFunctions = List.copyOf(criticalFunctions);
    Objects.requireNonNull(description, "description");
  }
}
