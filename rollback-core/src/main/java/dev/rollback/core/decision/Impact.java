package dev.rollback.core.decision;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import java.util.List;
import java.util.Objects;

/**
 * The impact the runbook (or the operator) declares; it sets the {@link Severity}.
 *
 * @param usersAffectedPercent share of users affected, 0 to 100
 * @param businessFunctions business functions affected ("search", "recommendations")
 * @param criticalFunctions critical business functions down ("checkout", "login", "payments")
 * @param revenueLoss whether revenue is being lost
 * @param dataLoss whether data was lost or corrupted
 * @param description one sentence for the incident
 * @since 0.1.0
 */
public record Impact(double usersAffectedPercent, List<String> businessFunctions, List<String> criticalFunctions,
    boolean revenueLoss, boolean dataLoss, String description) {

  /** Checks and copies the components. */
  public Impact {
    if (!(usersAffectedPercent >= 0 && usersAffectedPercent <= 100)) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION,
          "usersAffectedPercent must be between 0 and 100, but was " + usersAffectedPercent);
    }
    businessFunctions = List.copyOf(businessFunctions);
    criticalFunctions = List.copyOf(criticalFunctions);
    Objects.requireNonNull(description, "description");
  }

  /** @return the severity this impact gives */
  public Severity severity() {
    return Severity.of(this);
  }
}
