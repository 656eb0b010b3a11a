package dev.rollback.db.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.journal.JournalEntry;
import dev.rollback.core.journal.JournalEntryType;
import dev.rollback.core.journal.JournalReplay;
import dev.rollback.core.journal.JournalWriter;
import dev.rollback.core.journal.RunJournal;
import dev.rollback.db.ConnectionSource;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run journal in one table: a row per entry, keyed by run id and sequence number, never updated
 * nor deleted. {@link JournalWriter#append} buffers; {@link JournalWriter#flush()} inserts every
 * buffered entry in one transaction and returns once it committed, so a step's end and the next
 * step's start reach the database together (group commit), and a crash leaves either all of them or
 * none. Maps are stored as JSON text; times to the microsecond.
 */
public final class JdbcRunJournal implements RunJournal {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {};
  private static final int MAX_ID = 200;
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(JdbcRunJournal.class);

  private final ConnectionSource source;
  private final String table;
  private final JdbcStoreSchema schema;

  /**
   * @param source where to connect
   * @param prefix the table prefix, checked by {@link JdbcIdentifiers#prefixProblem}
   */
  public JdbcRunJournal(ConnectionSource source, String prefix) {
    this.source = source;
    this.table = prefix + "journal";
    this.schema = new JdbcStoreSchema(table, List.of(
        "CREATE TABLE IF NOT EXISTS " + table + " ("
            + "run_id VARCHAR(" + MAX_ID + ") NOT NULL, "
            + "seq BIGINT NOT NULL, "
            + "entry_at TIMESTAMP WITH TIME ZONE NOT NULL, "
            + "entry_type VARCHAR(40) NOT NULL, "
            + "step_id VARCHAR(" + MAX_ID + "), "
            + "attempt INTEGER NOT NULL, "
            + "data_json TEXT NOT NULL, "
            + "facts_json TEXT NOT NULL, "
            + "attributes_json TEXT NOT NULL, "
            + "PRIMARY KEY (run_id, seq))"));
  }

  /** @return the table */
  public String table() {
    return table;
  }

  private static String checkRunId(String runId) {
    if (runId == null || runId.isBlank() || runId.length() > MAX_ID) {
      throw new RollbackException(ErrorCode.JOURNAL_FAILURE, "run id must be 1 to " + MAX_ID + " characters, but was '" + runId + "'");
    }
    return runId;
  }

  @Override
  public JournalWriter open(String runId) {
    checkRunId(runId);
    try {
      schema.ensure(source);
    } catch (SQLException e) {
      throw new RollbackException(ErrorCode.JOURNAL_FAILURE,
          "cannot open journal of run " + runId + ": table " + table + " cannot be created through " + source + ": " + e.getMessage(), e);
    }
    return new Writer(runId);
  }

  @Override
  public Optional<JournalReplay> read(String runId) {
    checkRunId(runId);
    List<JournalEntry> entries = new ArrayList<>();
    try (Connection c = source.open()) {
      schema.ensure(c);
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT seq, entry_at, entry_type, step_id, attempt, data_json, facts_json, attributes_json FROM " + table
              + " WHERE run_id = ? ORDER BY seq")) {
        ps.setString(1, runId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            entries.add(entry(runId, rs));
          }
        }
      }
    } catch (SQLException e) {
      throw new RollbackException(ErrorCode.JOURNAL_FAILURE,
          "cannot read journal of run " + runId + " from table " + table + " through " + source + ": " + e.getMessage(), e);
    }
    return entries.isEmpty() ? Optional.empty() : Optional.of(new JournalReplay(runId, entries, List.of()));
  }

  private JournalEntry entry(String runId, ResultSet rs) throws SQLException {
    long seq = rs.getLong("seq");
    try {
      Instant at = JdbcTimes.get(rs, "entry_at");
      if (at == null) {
        throw new IllegalArgumentException("entry_at is null");
      }
      return new JournalEntry(seq, at, runId, JournalEntryType.valueOf(rs.getString("entry_type")), rs.getString("step_id"),
          rs.getInt("attempt"), map(rs.getString("data_json")), map(rs.getString("facts_json")), map(rs.getString("attributes_json")));
    } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
      throw new RollbackException(ErrorCode.JOURNAL_FAILURE,
          "journal of run " + runId + " in table " + table + " is corrupt at seq " + seq + " (" + e.getMessage()
              + "); rows are only ever inserted, so someone changed it: inspect the rows before resuming", e);
    }
  }

  private static Map<String, String> map(String json) throws JsonProcessingException {
    Map<String, String> m = JSON.readValue(json, MAP);
    if (m == null) {
      throw new IllegalArgumentException("a map column holds JSON null");
    }
    return m;
  }

  private static String json(Map<String, String> m) {
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new RollbackException(ErrorCode.JOURNAL_FAILURE, "cannot write a journal map as JSON: " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public List<String> runIds() {
    List<String> ids = new ArrayList<>();
    try (Connection c = source.open()) {
      schema.ensure(c);
      try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT run_id FROM " + table + " ORDER BY run_id");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new RollbackException(ErrorCode.JOURNAL_FAILURE, "cannot list runs in table " + table + " through " + source + ": " + e.getMessage(), e);
    }
    return ids;
  }

  @Override
  public String toString() {
    return "JdbcRunJournal[" + table + " via " + source + "]";
  }

  private static String describe(SQLException e) {
    String msg = e.getMessage();
    SQLException next = e instanceof BatchUpdateException ? e.getNextException() : null;
    return next != null && next.getMessage() != null && !next.getMessage().equals(msg) ? msg + " (" + next.getMessage() + ")" : msg;
  }

  private final class Writer implements JournalWriter {
    private final String runId;
    private final List<JournalEntry> buffer = new ArrayList<>();
    private boolean closed;

    Writer(String runId) {
      this.runId = runId;
    }

    @Override
    public synchronized void append(JournalEntry entry) {
      if (closed) {
        throw new RollbackException(ErrorCode.JOURNAL_FAILURE, "journal of run " + runId + " in table " + table + " is closed");
      }
      if (!entry.runId().equals(runId)) {
        throw new RollbackException(ErrorCode.JOURNAL_FAILURE,
            "journal writer of run " + runId + " was given an entry of run " + entry.runId() + " (seq " + entry.seq() + ")");
      }
      buffer.add(entry);
    }

    @Override
    public synchronized void flush() {
      if (closed) {
        throw new RollbackException(ErrorCode.JOURNAL_FAILURE, "journal of run " + runId + " in table " + table + " is closed");
      }
      if (buffer.isEmpty()) {
        return;
      }
      String range = "entries " + buffer.get(0).seq() + " to " + buffer.get(buffer.size() - 1).seq();
      Connection c;
      try {
        c = source.open();
      } catch (SQLException e) {
        throw new RollbackException(ErrorCode.JOURNAL_FAILURE,
            "cannot write journal of run " + runId + " durably: no connection through " + source + " (" + range + " not written): "
                + e.getMessage(), e);
      }
      try {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
            + " (run_id, seq, entry_at, entry_type, step_id, attempt, data_json, facts_json, attributes_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          for (JournalEntry e : buffer) {
            ps.setString(1, runId);
            ps.setLong(2, e.seq());
            JdbcTimes.set(ps, 3, e.at());
            ps.setString(4, e.type().name());
            ps.setString(5, e.stepId());
            ps.setInt(6, e.attempt());
            ps.setString(7, json(e.data()));
            ps.setString(8, json(e.facts()));
            ps.setString(9, json(e.attributes()));
            ps.addBatch();
          }
          ps.executeBatch();
        }
        c.commit();
      } catch (SQLException e) {
        try {
          c.rollback();
        } catch (SQLException r) {
          e.addSuppressed(r);
        }
        closeAfterFailure(c, e);
        throw new RollbackException(ErrorCode.JOURNAL_FAILURE,
            "cannot write journal of run " + runId + " durably to table " + table + " (" + range + ", none written): " + describe(e), e);
      }
      buffer.clear();
      try {
        c.close();
      } catch (SQLException e) {
        // The entries are committed; only returning the connection failed.
        log.warn("journal of run {}: {} committed, but closing the connection failed: {}", runId, range, e.toString());
      }
    }

    private void closeAfterFailure(Connection c, SQLException failure) {
      try {
        c.close();
      } catch (SQLException e) {
        failure.addSuppressed(e);
      }
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      try {
        flush();
      } finally {
        closed = true;
      }
    }
  }
}
