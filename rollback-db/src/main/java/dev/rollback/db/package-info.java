/**
 * Database care around a rollback: the migrations between two versions and their risk, a verified
 * backup before anything changes, undo only when allowed, framework migration tools, schema and
 * data checks, and JDBC stores for the run journal, the release ledger and the lock.
 */
@NullMarked
package dev.rollback.db;

import org.jspecify.annotations.NullMarked;
