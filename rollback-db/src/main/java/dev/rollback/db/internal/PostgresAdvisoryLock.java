package dev.rollback.db.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackInProgressException;
import dev.rollback.core.lock.LockHolder;
import dev.rollback.core.lock.LockLease;
import dev.rollback.core.lock.RollbackLock;
import dev.rollback.db.ConnectionSource;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL session advisory lock per service ({@code pg_try_advisory_lock}), held on a
 * connection of its own for as long as the lease lives: when the holding process dies, its session
 * ends and PostgreSQL releases the lock at once, with no TTL to wait for. The lease's holder (run
 * id, owner, times, backend pid) goes into a table so that a refused run, and {@link #holder},
 * can name it.
 *
 * <p>The key is the first 8 bytes of SHA-256 over {@code "dev.rollback.lock:" + service}: stable
 * across processes, versions and JVMs. A second key per service ({@code "dev.rollback.lock-holder:"})
 * is taken as a transaction lock while the main lock and the holder row change together, so a
 * refused run always reads the holder row of the run that beat it.
 *
 * <p>The TTL only fills {@link LockHolder#expiresAt()}: liveness is the session. {@link
 * LockLease#renew()} checks that the session still holds the lock and moves {@code expires_at}.
 */
public final class PostgresAdvisoryLock implements RollbackLock {
  private static final String LOCK_TIMEOUT = "10s";

  private final ConnectionSource source;
  private final Clock clock;
  private final String table;
  private final JdbcStoreSchema schema;

  /**
   * @param source where to connect; each lease keeps one connection open
   * @param prefix the table prefix, checked by {@link JdbcIdentifiers#prefixProblem}
   * @param clock the clock the holder's times are read from
   */
  public PostgresAdvisoryLock(ConnectionSource source, String prefix, Clock clock) {
    this.source = source;
    this.clock = clock;
    this.table = prefix + "advisory_locks";
    this.schema = new JdbcStoreSchema(table, List.of(
        "CREATE TABLE IF NOT EXISTS " + table + " ("
            + "service VARCHAR(200) NOT NULL PRIMARY KEY, "
            + "lock_key BIGINT NOT NULL, "
            + "run_id VARCHAR(200) NOT NULL, "
            + "owner VARCHAR(400) NOT NULL, "
            + "backend_pid INTEGER NOT NULL, "
            + "acquired_at TIMESTAMP WITH TIME ZONE NOT NULL, "
            + "expires_at TIMESTAMP WITH TIME ZONE NOT NULL)"));
  }

  /** @return the holder table */
  public String table() {
    return table;
  }

  /**
   * @param service a service
   * @return the advisory lock key of its lock
   */
  public static long key(String service) {
    return key("dev.rollback.lock:", service);
  }

  private static long holderKey(String service) {
    return key("dev.rollback.lock-holder:", service);
  }

  private static long key(String namespace, String service) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest((namespace + service).getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest, 0, 8).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public LockLease acquire(String service, String runId, String owner, Duration ttl) {
    LockArguments.check(service, runId, owner, ttl);
    Connection c;
    try {
      c = source.open();
    } catch (SQLException e) {
      throw failure(service, "cannot connect", e);
    }
    try {
      schema.ensure(c);
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
      }
      exclusive(c, holderKey(service));
      boolean won;
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
        ps.setLong(1, key(service));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          won = rs.getBoolean(1);
        }
      }
      if (!won) {
        Stored current = read(c, service);
        c.commit();
        close(c, null);
        if (current != null) {
          LockHolder h = current.holder();
          throw new RollbackInProgressException(service, h.runId(), h.owner(), h.acquiredAt(), h.expiresAt());
        }
        throw new RollbackException(ErrorCode.ROLLBACK_IN_PROGRESS,
            "a rollback of '" + service + "' may be in progress: advisory lock " + key(service)
                + " is held by a database session that left no holder row in " + table + "; see pg_locks for its pid");
      }
      Instant now = JdbcTimes.stored(clock.instant());
      LockHolder mine = new LockHolder(service, runId, owner, now, JdbcTimes.stored(now.plus(ttl)));
      int pid;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
        rs.next();
        pid = rs.getInt(1);
      }
      try (PreparedStatement del = c.prepareStatement("DELETE FROM " + table + " WHERE service = ?")) {
        del.setString(1, service);
        del.executeUpdate();
      }
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + table
          + " (service, lock_key, run_id, owner, backend_pid, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        ins.setString(1, service);
        ins.setLong(2, key(service));
        ins.setString(3, runId);
        ins.setString(4, owner);
        ins.setInt(5, pid);
        JdbcTimes.set(ins, 6, mine.acquiredAt());
        JdbcTimes.set(ins, 7, mine.expiresAt());
        ins.executeUpdate();
      }
      c.commit();
      c.setAutoCommit(true);
      return new Lease(c, mine, ttl);
    } catch (SQLException e) {
      // Closing the session releases the advisory lock if it was taken.
      RollbackException f = failure(service, "cannot take the advisory lock", e);
      close(c, f);
      throw f;
    } catch (RuntimeException e) {
      close(c, e);
      throw e;
    }
  }

  private static void exclusive(Connection c, long key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
      ps.setLong(1, key);
      ps.executeQuery().close();
    }
  }

  private RollbackException failure(String service, String what, SQLException e) {
    return new RollbackException(ErrorCode.LOCK_FAILURE,
        what + " of '" + service + "' through " + source + " (holder table " + table + "): " + e.getMessage(), e);
  }

  private static void close(Connection c, @Nullable Throwable failure) {
    try {
      c.close();
    } catch (SQLException e) {
      if (failure != null) {
        failure.addSuppressed(e);
      } else {
        throw new RollbackException(ErrorCode.LOCK_FAILURE, "cannot close the advisory lock's connection: " + e.getMessage(), e);
      }
    }
  }

  private record Stored(int pid, LockHolder holder) {}

  private @Nullable Stored read(Connection c, String service) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT run_id, owner, backend_pid, acquired_at, expires_at FROM " + table + " WHERE service = ?")) {
      ps.setString(1, service);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new Stored(rs.getInt("backend_pid"), new LockHolder(service, rs.getString("run_id"), rs.getString("owner"),
            JdbcTimes.get(rs, "acquired_at"), JdbcTimes.get(rs, "expires_at")));
      }
    }
  }

  /** Whether the session with this pid (or, with pid 0, any session) holds the service's lock now. */
  private static boolean held(Connection c, String service, int pid) throws SQLException {
    long key = key(service);
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
        + " AND objsubid = 1 AND classid::bigint = ? AND objid::bigint = ?" + (pid == 0 ? "" : " AND pid = ?"))) {
      ps.setLong(1, key >>> 32);
      ps.setLong(2, key & 0xFFFFFFFFL);
      if (pid != 0) {
        ps.setInt(3, pid);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>A holder row whose session no longer holds the lock (its process died) is not a holder:
   * the lock is free.
   */
  @Override
  public Optional<LockHolder> holder(String service) {
    try (Connection c = source.open()) {
      schema.ensure(c);
      Stored s = read(c, service);
      return s != null && held(c, service, s.pid()) ? Optional.of(s.holder()) : Optional.empty();
    } catch (SQLException e) {
      throw failure(service, "cannot read the holder", e);
    }
  }

  @Override
  public String toString() {
    return "PostgresAdvisoryLock[" + table + " via " + source + "]";
  }

  private final class Lease implements LockLease {
    private final Connection connection;
    private final Duration ttl;
    private LockHolder holder;
    private boolean closed;

    Lease(Connection connection, LockHolder holder, Duration ttl) {
      this.connection = connection;
      this.holder = holder;
      this.ttl = ttl;
    }

    @Override
    public synchronized LockHolder holder() {
      return holder;
    }

    @Override
    public synchronized void renew() {
      String service = holder.service();
      if (closed) {
        throw new RollbackException(ErrorCode.LOCK_FAILURE, "lock of '" + service + "' for run " + holder.runId() + " was lost (the lease was closed)");
      }
      Instant expires = JdbcTimes.stored(clock.instant().plus(ttl));
      try {
        if (!heldHere(service)) {
          throw new RollbackException(ErrorCode.LOCK_FAILURE,
              "lock of '" + service + "' for run " + holder.runId() + " was lost: its database session no longer holds advisory lock " + key(service));
        }
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + table + " SET expires_at = ? WHERE service = ? AND run_id = ?")) {
          JdbcTimes.set(ps, 1, expires);
          ps.setString(2, service);
          ps.setString(3, holder.runId());
          ps.executeUpdate();
        }
      } catch (SQLException e) {
        throw new RollbackException(ErrorCode.LOCK_FAILURE,
            "lock of '" + service + "' for run " + holder.runId() + " was lost: its database session failed (" + e.getMessage() + ")", e);
      }
      holder = new LockHolder(service, holder.runId(), holder.owner(), holder.acquiredAt(), expires);
    }

    private boolean heldHere(String service) throws SQLException {
      try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
        rs.next();
        return held(connection, service, rs.getInt(1));
      }
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      String service = holder.service();
      RollbackException failure = null;
      try {
        connection.setAutoCommit(false);
        exclusive(connection, holderKey(service));
        try (PreparedStatement del = connection.prepareStatement("DELETE FROM " + table + " WHERE service = ? AND run_id = ? AND backend_pid = pg_backend_pid()")) {
          del.setString(1, service);
          del.setString(2, holder.runId());
          del.executeUpdate();
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
          ps.setLong(1, key(service));
          ps.executeQuery().close();
        }
        connection.commit();
      } catch (SQLException e) {
        // Closing the session below releases the lock anyway; the holder row may stay, and is
        // ignored by holder() and replaced by the next acquire.
        failure = new RollbackException(ErrorCode.LOCK_FAILURE,
            "releasing the lock of '" + service + "' for run " + holder.runId() + " failed (" + e.getMessage()
                + "); the session is closed, which releases it", e);
      }
      PostgresAdvisoryLock.close(connection, failure);
      if (failure != null) {
        throw failure;
      }
    }
  }
}
