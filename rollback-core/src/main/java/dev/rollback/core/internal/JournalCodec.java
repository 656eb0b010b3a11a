package dev.rollback.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.journal.JournalEntry;

/** Writes journal entries as single JSON lines and reads them back. */
public final class JournalCodec {
  /** The mapper for journal lines and attribute values. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private JournalCodec() {}

  /**
   * @param entry an entry
   * @return its JSON line, without the line break
   */
  public static String write(JournalEntry entry) {
    try {
      return MAPPER.writeValueAsString(entry);
    } catch (JsonProcessingException e) {
      throw new RollbackException(ErrorCode.JOURNAL_FAILURE, "cannot write journal entry " + entry.type() + " of run " + entry.runId(), e);
    }
  }

  /**
   * @param line one JSON line
   * @return the entry
   * @throws JsonProcessingException when the line is not a valid entry
   */
  public static JournalEntry read(String line) throws JsonProcessingException {
    // The record's constructor rejects a missing runId, type or time; only a bare JSON null is left.
    JournalEntry e = MAPPER.readValue(line, JournalEntry.class);
    if (e == null) {
      throw new com.fasterxml.jackson.core.JsonParseException(null, "journal line is null, not an entry");
    }
    return e;
  }
}
