package dev.rollback.core.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.release.ReleaseLedger;
import dev.rollback.core.release.ReleaseOutcome;
import dev.rollback.core.release.ReleaseRecord;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A ledger in one JSON file: read on every call, rewritten atomically (temporary file, fsync,
 * rename) on every change, so another process sees either the old or the new file.
 */
public final class JsonFileReleaseLedger implements ReleaseLedger {
  private static final TypeReference<List<ReleaseRecord>> RECORDS = new TypeReference<>() {};

  private final Path file;

  /** @param file the JSON file */
  public JsonFileReleaseLedger(Path file) {
    this.file = file.toAbsolutePath().normalize();
  }

  @Override
  public synchronized void deployed(String service, String version, Instant at) {
    change(list -> LedgerRecords.deployed(list, service, version, at));
  }

  @Override
  public synchronized void ended(String service, String version, Instant at, ReleaseOutcome outcome, List<String> incidents) {
    change(list -> LedgerRecords.ended(list, service, version, at, outcome, incidents));
  }

  @Override
  public synchronized void record(ReleaseRecord record) {
    change(list -> list.add(java.util.Objects.requireNonNull(record, "record")));
  }

  @Override
  public synchronized List<ReleaseRecord> releases(String service) {
    return LedgerRecords.of(load(), service);
  }

  private List<ReleaseRecord> load() {
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (bytes.length == 0) {
        return new ArrayList<>();
      }
      return new ArrayList<>(JournalCodec.MAPPER.readValue(bytes, RECORDS));
    } catch (NoSuchFileException e) {
      return new ArrayList<>();
    } catch (IOException e) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION,
          "release ledger " + file + " cannot be read: " + e.getMessage() + "; fix or move the file", e);
    }
  }

  private void change(Consumer<List<ReleaseRecord>> edit) {
    List<ReleaseRecord> list = load();
    edit.accept(list);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
        out.write(JournalCodec.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(list));
        out.getFD().sync();
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "release ledger " + file + " cannot be written: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "JsonFileReleaseLedger[" + file + "]";
  }
}
