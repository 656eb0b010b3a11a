package dev.rollback.core.database;

import dev.rollback.core.StepContext;
import java.util.List;

/**
 * A schema migration tool as a rollback sees it: what it has applied, and how to take the schema
 * back to an earlier migration. Implemented in {@code rollback-db} for Flyway, Rails, Django and
 * Node (knex, Sequelize); a runbook may add its own.
 *
 * @since 0.1.0
 */
public interface MigrationTool {

  /** @return the tool's name, e.g. {@code flyway}, {@code rails} */
  String name();

  /**
   * Reads the migrations the database has applied, oldest first.
   *
   * @return the applied migrations
   * @throws Exception when the status cannot be read
   */
  List<AppliedMigration> applied() throws Exception;

  /**
   * Undoes every applied migration newer than {@code version}, newest first.
   *
   * @param version the migration to keep as the newest applied one
   * @param ctx the run's context (commands run with its timeout, output goes to its log)
   * @throws Exception when a migration cannot be undone; what was undone is reported
   */
  void migrateDownTo(String version, StepContext ctx) throws Exception;
}
