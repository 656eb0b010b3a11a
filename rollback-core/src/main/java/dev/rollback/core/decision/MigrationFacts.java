package dev.rollback.core.decision;

/**
 * Supplies the database facts between two versions; {@code rollback-db} implements it.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface MigrationFacts {
  /**
   * @param from the running version
   * @param to the target version
   * @return the migrations between them and their risk
   * @throws Exception when they cannot be read
   */
  DatabaseFacts between(String from, String to) throws Exception;
}
