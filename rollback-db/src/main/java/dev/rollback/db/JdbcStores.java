package dev.rollback.db;

import dev.rollback.core.RollbackException;
import dev.rollback.core.journal.RunJournal;
import dev.rollback.core.lock.RollbackLock;
import dev.rollback.core.release.ReleaseLedger;
import dev.rollback.db.internal.JdbcIdentifiers;
import dev.rollback.db.internal.JdbcReleaseLedger;
import dev.rollback.db.internal.JdbcRunJournal;
import dev.rollback.db.internal.JdbcTableLock;
import dev.rollback.db.internal.PostgresAdvisoryLock;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Core's stores in a database: the run journal, the release ledger and the lock. Each store creates
 * its own table on first use ({@code CREATE TABLE IF NOT EXISTS}), named by a prefix ({@code
 * rollback_} by default): {@code <prefix>journal}, {@code <prefix>releases}, {@code <prefix>locks},
 * {@code <prefix>advisory_locks}. Plain SQL with {@code TIMESTAMP WITH TIME ZONE}; tested on
 * PostgreSQL 15 and H2 (the advisory lock needs PostgreSQL). Times are kept to the microsecond.
 *
 * <pre>{@code
 * JdbcStores db = JdbcStores.builder(ConnectionSource.of(dataSource)).tablePrefix("ops_rollback_").build();
 * RollbackRunner runner = RollbackRunner.builder()
 *     .journal(db.runJournal())
 *     .lock(db.postgresAdvisoryLock(Clock.systemUTC()))
 *     .build();
 * ReleaseLedger ledger = db.releaseLedger();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class JdbcStores {
  /** The table prefix unless told otherwise. */
  public static final String DEFAULT_PREFIX = "rollback_";

  private final ConnectionSource source;
  private final String prefix;

  private JdbcStores(ConnectionSource source, String prefix) {
    this.source = source;
    this.prefix = prefix;
  }

  /**
   * @param source where the stores connect; a pool is best (each journal flush, ledger change and
   *     table-lock operation takes a connection and gives it back; an advisory lock keeps one for
   *     its lease)
   * @return a builder
   */
  public static Builder builder(ConnectionSource source) {
    return new Builder(source);
  }

  /** @return the table prefix */
  public String tablePrefix() {
    return prefix;
  }

  /**
   * The run journal: a row per entry, never updated; a flush is one committed transaction.
   *
   * @return the journal store
   */
  public RunJournal runJournal() {
    return new JdbcRunJournal(source, prefix);
  }

  /** @return the release ledger, with the rules of core's ledgers */
  public ReleaseLedger releaseLedger() {
    return new JdbcReleaseLedger(source, prefix);
  }

  /**
   * A lock as a row per service with a TTL: an expired lease (on this clock) is taken over. Works on
   * any database with {@code TIMESTAMP WITH TIME ZONE}, H2 and PostgreSQL among them.
   *
   * @param clock the clock leases are measured on (the run's clock)
   * @return the lock
   */
  public RollbackLock tableLock(Clock clock) {
    return new JdbcTableLock(source, prefix, Objects.requireNonNull(clock, "clock"));
  }

  /**
   * A PostgreSQL session advisory lock per service, held on a connection of its own for the
   * lease: released by PostgreSQL the moment the holder's session ends, so no TTL needs to pass
   * after a crash. The holder goes into a table so a refused run can name it.
   *
   * @param clock the clock the holder's times come from
   * @return the lock
   */
  public RollbackLock postgresAdvisoryLock(Clock clock) {
    return new PostgresAdvisoryLock(source, prefix, Objects.requireNonNull(clock, "clock"));
  }

  @Override
  public String toString() {
    return "JdbcStores[" + prefix + "* via " + source + "]";
  }

  /** Builds {@link JdbcStores}; {@link #build()} reports every problem at once. */
  public static final class Builder {
    private final List<String> problems = new ArrayList<>();
    private final ConnectionSource source;
    private String prefix = DEFAULT_PREFIX;

    private Builder(ConnectionSource source) {
      this.source = source;
      if (source == null) {
        problems.add("source must not be null: e.g. ConnectionSource.of(dataSource)");
      }
    }

    /**
     * @param prefix what every table name starts with; 1 to 40 letters, digits or '_', not
     *     starting with a digit; default {@value JdbcStores#DEFAULT_PREFIX}
     * @return this builder
     */
    public Builder tablePrefix(String prefix) {
      String p = JdbcIdentifiers.prefixProblem(prefix);
      if (p != null) {
        problems.add(p);
      } else {
        this.prefix = prefix;
      }
      return this;
    }

    /**
     * @return the stores
     * @throws RollbackException naming every problem
     */
    public JdbcStores build() {
      if (!problems.isEmpty()) {
        throw RollbackException.invalid("invalid JDBC stores", problems);
      }
      return new JdbcStores(source, prefix);
    }
  }
}
