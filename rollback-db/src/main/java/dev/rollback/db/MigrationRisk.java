package dev.rollback.db;

/**
 * How risky a migration is for a rollback, in increasing order of concern.
 *
 * @since 0.1.0
 */
public enum MigrationRisk {
  /**
   * The old version keeps working on the new schema and no data is lost: created tables, indexes
   * and views, nullable or defaulted columns, inserts. Expand/contract leaves these in place.
   */
  ADDITIVE,
  /**
   * The classifier cannot tell: Java migrations, procedural blocks, constraints, conditional
   * updates and deletes, statements it does not know, scripts it cannot split. Treated like
   * DESTRUCTIVE by the policy, since nothing shows it is safe.
   */
  UNKNOWN,
  /**
   * Data is lost or the old version breaks: dropped or renamed tables and columns, TRUNCATE,
   * DELETE or UPDATE without WHERE, column type changes, SET NOT NULL, NOT NULL columns without a
   * default.
   */
  DESTRUCTIVE
}
