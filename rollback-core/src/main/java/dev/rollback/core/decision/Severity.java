package dev.rollback.core.decision;

/**
 * How bad an incident is, from the declared {@link Impact}.
 *
 * <ul>
 *   <li>SEV1: data loss, half or more of the users affected, or a critical business function down;
 *   <li>SEV2: revenue lost, or a tenth or more of the users affected;
 *   <li>SEV3: some users (1% or more) or a business function affected;
 *   <li>SEV4: anything smaller.
 * </ul>
 *
 * @since 0.1.0
 */
public enum Severity {
  /** Critical. */
  SEV1,
  /** Major. */
  SEV2,
  /** Minor. */
  SEV3,
  /** Low. */
  SEV4;

  /**
   * @param impact the declared impact
   * @return its severity
   */
  public static Severity of(Impact impact) {
    if (impact.dataLoss() || impact.usersAffectedPercent() >= 50 || !impact.criticalFunctions().isEmpty()) {
      return SEV1;
    }
    if (impact.revenueLoss() || impact.usersAffectedPercent() >= 10) {
      return SEV2;
    }
    if (impact.usersAffectedPercent() >= 1 || !impact.businessFunctions().isEmpty()) {
      return SEV3;
    }
    return SEV4;
  }
}
