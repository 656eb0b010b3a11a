package dev.rollback.db.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * Instants in {@code TIMESTAMP WITH TIME ZONE} columns, on H2 and PostgreSQL alike. Both keep
 * microseconds, so instants are truncated to microseconds before they are written: what is read
 * back equals what was written.
 */
final class JdbcTimes {
  private JdbcTimes() {}

  /**
   * @param t an instant
   * @return it, truncated to what the column keeps
   */
  static Instant stored(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS);
  }

  static void set(PreparedStatement ps, int index, @Nullable Instant t) throws SQLException {
    if (t == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, OffsetDateTime.ofInstant(stored(t), ZoneOffset.UTC));
    }
  }

  static @Nullable Instant get(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
