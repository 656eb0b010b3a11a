/**
 * The database SPI: {@link dev.rollback.core.database.MigrationTool} reads what a migration tool
 * applied and takes the schema back; {@code rollback-db} implements it.
 */
@NullMarked
package dev.rollback.core.database;

import org.jspecify.annotations.NullMarked;
