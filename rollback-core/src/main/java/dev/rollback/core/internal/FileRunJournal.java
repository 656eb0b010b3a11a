package dev.rollback.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.journal.JournalEntry;
import dev.rollback.core.journal.JournalReplay;
import dev.rollback.core.journal.JournalWriter;
import dev.rollback.core.journal.RunJournal;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of JSON-lines files, one per run. {@link JournalWriter#flush()} writes the buffered
 * lines and fsyncs the file. Writes use a {@link FileOutputStream}, not an interruptible channel, so
 * cancelling a run (which interrupts the step's thread) can never close the journal under it.
 */
public final class FileRunJournal implements RunJournal {
  private static final Logger log = LoggerFactory.getLogger(FileRunJournal.class);
  private static final String SUFFIX = ".jsonl";

  private final Path folder;

  /** @param folder where the files go */
  public FileRunJournal(Path folder) {
    this.folder = folder.toAbsolutePath().normalize();
  }

  private Path file(String runId) {
    return folder.resolve(RunIds.requireSafe("run id", runId) + SUFFIX);
  }

  @Override
  public JournalWriter open(String runId) {
    Path file = file(runId);
    try {
      Files.createDirectories(folder);
      dropTornTail(file);
      return new Writer(file, new FileOutputStream(file.toFile(), true));
    } catch (IOException e) {
      throw new RollbackException(ErrorCode.JOURNAL_FAILURE, "cannot open journal " + file + " for appending: " + e.getMessage(), e);
    }
  }

  /** A crash can leave half a line at the end; cut it off so new lines start on a fresh line. */
  private static void dropTornTail(Path file) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      long len = raf.length();
      if (len == 0) {
        return;
      }
      raf.seek(len - 1);
      if (raf.read() == '\n') {
        return;
      }
      long pos = len - 1;
      while (pos > 0) {
        raf.seek(pos - 1);
        if (raf.read() == '\n') {
          break;
        }
        pos--;
      }
      log.warn("journal {}: cutting a torn last line of {} bytes left by a crash", file, len - pos);
      raf.setLength(pos);
      raf.getFD().sync();
    }
  }

  @Override
  public Optional<JournalReplay> read(String runId) {
    Path file = file(runId);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new RollbackException(ErrorCode.JOURNAL_FAILURE, "cannot read journal " + file + ": " + e.getMessage(), e);
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    List<JournalEntry> entries = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int start = 0;
    int lineNo = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      boolean last = nl < 0;
      String line = last ? text.substring(start) : text.substring(start, nl);
      lineNo++;
      start = last ? text.length() : nl + 1;
      if (line.isBlank()) {
        continue;
      }
      try {
        if (last) {
          // No line break: the write of this line never finished.
          throw new TornLine();
        }
        entries.add(JournalCodec.read(line));
      } catch (TornLine | JsonProcessingException e) {
        boolean isLast = start >= text.length();
        if (!isLast) {
          throw new RollbackException(
              ErrorCode.JOURNAL_FAILURE,
              "journal " + file + " is corrupt at line " + lineNo + " (not a torn last line, so not left by a crash): "
                  + e.getMessage() + "; inspect the file before resuming");
        }
        problems.add("journal " + file + ": torn last line " + lineNo + " (" + line.length() + " characters) ignored; it was being written when the process died");
      }
    }
    return Optional.of(new JournalReplay(runId, entries, problems));
  }

  @Override
  public List<String> runIds() {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(SUFFIX))
          .map(n -> n.substring(0, n.length() - SUFFIX.length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new RollbackException(ErrorCode.JOURNAL_FAILURE, "cannot list journal folder " + folder + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "FileRunJournal[" + folder + "]";
  }

  private static final class TornLine extends Exception {
    private static final long serialVersionUID = 1L;

    TornLine() {
      super("line has no line break", null, false, false);
    }
  }

  private static final class Writer implements JournalWriter {
    private final Path file;
    private final FileOutputStream out;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
    private boolean closed;

    Writer(Path file, FileOutputStream out) {
      this.file = file;
      this.out = out;
    }

    @Override
    public synchronized void append(JournalEntry entry) {
      if (closed) {
        throw new RollbackException(ErrorCode.JOURNAL_FAILURE, "journal " + file + " is closed");
      }
      byte[] line = JournalCodec.write(entry).getBytes(StandardCharsets.UTF_8);
      buffer.write(line, 0, line.length);
      buffer.write('\n');
    }

    @Override
    public synchronized void flush() {
      if (closed) {
        throw new RollbackException(ErrorCode.JOURNAL_FAILURE, "journal " + file + " is closed");
      }
      if (buffer.size() == 0) {
        return;
      }
      try {
        buffer.writeTo(out);
        buffer.reset();
        out.getFD().sync();
      } catch (IOException e) {
        throw new RollbackException(ErrorCode.JOURNAL_FAILURE, "cannot write journal " + file + " durably: " + e.getMessage(), e);
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
        try {
          out.close();
        } catch (IOException e) {
          throw new RollbackException(ErrorCode.JOURNAL_FAILURE, "cannot close journal " + file + ": " + e.getMessage(), e);
        }
      }
    }
  }
}
