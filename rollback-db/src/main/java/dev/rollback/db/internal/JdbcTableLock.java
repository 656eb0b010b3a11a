package dev.rollback.db.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackInProgressException;
import dev.rollback.core.lock.LockHolder;
import dev.rollback.core.lock.LockLease;
import dev.rollback.core.lock.RollbackLock;
import dev.rollback.db.ConnectionSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A lock as a row per service (owner, run id, acquired at, expires at, and a token naming the
 * lease). Taking it inserts the row; when the row exists, one conditional {@code UPDATE} takes it
 * over if its lease expired on the run's clock (or the same run takes it again, as a resume does);
 * otherwise the holder is read and named. Renewing and releasing touch the row only while it
 * carries the lease's token, so a lease that was taken over can neither renew nor delete the new
 * holder's row. Plain SQL: works on H2 and PostgreSQL, and any database with {@code TIMESTAMP WITH
 * TIME ZONE}.
 */
public final class JdbcTableLock implements RollbackLock {
  private static final int ATTEMPTS = 5;

  private final ConnectionSource source;
  private final Clock clock;
  private final String table;
  private final JdbcStoreSchema schema;

  /**
   * @param source where to connect
   * @param prefix the table prefix, checked by {@link JdbcIdentifiers#prefixProblem}
   * @param clock the clock leases are measured on
   */
  public JdbcTableLock(ConnectionSource source, String prefix, Clock clock) {
    this.source = source;
    this.clock = clock;
    this.table = prefix + "locks";
    this.schema = new JdbcStoreSchema(table, List.of(
        "CREATE TABLE IF NOT EXISTS " + table + " ("
            + "service VARCHAR(200) NOT NULL PRIMARY KEY, "
            + "run_id VARCHAR(200) NOT NULL, "
            + "owner VARCHAR(400) NOT NULL, "
            + "token VARCHAR(64) NOT NULL, "
            + "acquired_at TIMESTAMP WITH TIME ZONE NOT NULL, "
            + "expires_at TIMESTAMP WITH TIME ZONE NOT NULL)"));
  }

  /** @return the table */
  public String table() {
    return table;
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T withConnection(String service, Work<T> work) {
    try (Connection c = source.open()) {
      schema.ensure(c);
      return work.run(c);
    } catch (SQLException e) {
      throw new RollbackException(ErrorCode.LOCK_FAILURE,
          "cannot use the lock of '" + service + "' in table " + table + " through " + source + ": " + e.getMessage(), e);
    }
  }

  @Override
  public LockLease acquire(String service, String runId, String owner, Duration ttl) {
    LockArguments.check(service, runId, owner, ttl);
    return withConnection(service, c -> {
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        Instant now = JdbcTimes.stored(clock.instant());
        LockHolder mine = new LockHolder(service, runId, owner, now, JdbcTimes.stored(now.plus(ttl)));
        String token = UUID.randomUUID().toString();
        if (insert(c, mine, token) || takeOver(c, mine, token, now)) {
          return new Lease(mine, token, ttl);
        }
        Stored current = read(c, service);
        if (current != null) {
          LockHolder h = current.holder();
          throw new RollbackInProgressException(service, h.runId(), h.owner(), h.acquiredAt(), h.expiresAt());
        }
        // The holder released between our insert and our read: try again.
      }
      throw new RollbackException(ErrorCode.LOCK_FAILURE,
          "cannot take the lock of '" + service + "' in table " + table + ": it changed hands " + ATTEMPTS + " times while trying");
    });
  }

  private boolean insert(Connection c, LockHolder h, String token) throws SQLException {
    if (read(c, h.service()) != null) {
      return false;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO " + table + " (service, run_id, owner, token, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, h.service());
      ps.setString(2, h.runId());
      ps.setString(3, h.owner());
      ps.setString(4, token);
      JdbcTimes.set(ps, 5, h.acquiredAt());
      JdbcTimes.set(ps, 6, h.expiresAt());
      ps.executeUpdate();
      return true;
    } catch (SQLException e) {
      // Another acquirer inserted the row first (a unique violation, SQLSTATE class 23).
      if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
        return false;
      }
      throw e;
    }
  }

  private boolean takeOver(Connection c, LockHolder h, String token, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + table
        + " SET run_id = ?, owner = ?, token = ?, acquired_at = ?, expires_at = ? WHERE service = ? AND (expires_at <= ? OR run_id = ?)")) {
      ps.setString(1, h.runId());
      ps.setString(2, h.owner());
      ps.setString(3, token);
      JdbcTimes.set(ps, 4, h.acquiredAt());
      JdbcTimes.set(ps, 5, h.expiresAt());
      ps.setString(6, h.service());
      JdbcTimes.set(ps, 7, now);
      ps.setString(8, h.runId());
      return ps.executeUpdate() == 1;
    }
  }

  private record Stored(String token, LockHolder holder) {}

  private @Nullable Stored read(Connection c, String service) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT run_id, owner, token, acquired_at, expires_at FROM " + table + " WHERE service = ?")) {
      ps.setString(1, service);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new Stored(rs.getString("token"), new LockHolder(service, rs.getString("run_id"), rs.getString("owner"),
            JdbcTimes.get(rs, "acquired_at"), JdbcTimes.get(rs, "expires_at")));
      }
    }
  }

  @Override
  public Optional<LockHolder> holder(String service) {
    return withConnection(service, c -> Optional.ofNullable(read(c, service)).map(Stored::holder));
  }

  @Override
  public String toString() {
    return "JdbcTableLock[" + table + " via " + source + "]";
  }

  private final class Lease implements LockLease {
    private LockHolder holder;
    private final String token;
    private final Duration ttl;
    private boolean closed;

    Lease(LockHolder holder, String token, Duration ttl) {
      this.holder = holder;
      this.token = token;
      this.ttl = ttl;
    }

    @Override
    public synchronized LockHolder holder() {
      return holder;
    }

    @Override
    public synchronized void renew() {
      String service = holder.service();
      Instant expires = JdbcTimes.stored(clock.instant().plus(ttl));
      withConnection(service, c -> {
        int n = 0;
        if (!closed) {
          try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET expires_at = ? WHERE service = ? AND token = ?")) {
            JdbcTimes.set(ps, 1, expires);
            ps.setString(2, service);
            ps.setString(3, token);
            n = ps.executeUpdate();
          }
        }
        if (n != 1) {
          Stored current = closed ? null : read(c, service);
          throw new RollbackException(ErrorCode.LOCK_FAILURE,
              "lock of '" + service + "' for run " + holder.runId() + " was lost"
                  + (closed ? " (the lease was closed)" : current == null ? "" : "; now held by run " + current.holder().runId()));
        }
        holder = new LockHolder(service, holder.runId(), holder.owner(), holder.acquiredAt(), expires);
        return null;
      });
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      String service = holder.service();
      withConnection(service, c -> {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE service = ? AND token = ?")) {
          ps.setString(1, service);
          ps.setString(2, token);
          ps.executeUpdate();
        }
        return null;
      });
      closed = true;
    }
  }
}
