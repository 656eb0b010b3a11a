package dev.rollback.core.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Follows a file like {@code tail -F}, driven by calls to {@link #poll()}: returns the complete
 * lines written since the last poll. A rotation (the name now points at another file: its file key,
 * the inode on Linux, changed) finishes the old file first, then reads the new one from the top. A
 * truncation (the file shrank below the read position) starts again from the top. A missing file
 * is waited for.
 */
public final class LogFileFollower implements AutoCloseable {
  private final Path file;
  private @Nullable SeekableByteChannel channel;
  private @Nullable Object key;
  private long position;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private boolean firstPoll = true;
  private boolean seen;
  private int rotations;
  private int truncations;

  /**
   * @param file the file to follow
   */
  public LogFileFollower(Path file) {
    this.file = file;
  }

  /**
   * Reads what was written since the last poll. The first poll starts at the end of the file as it
   * is then (a file that appears later is read from the top).
   *
   * @return the new complete lines, in order
   * @throws IOException when the file cannot be read
   */
  public synchronized List<String> poll() throws IOException {
    List<String> lines = new ArrayList<>();
    boolean first = firstPoll;
    firstPoll = false;
    if (channel == null) {
      if (!open(first)) {
        return lines;
      }
    }
    BasicFileAttributes now = attributes();
    boolean rotated = now != null && !Objects.equals(keyOf(now), key);
    if (!rotated && channel.size() < position) {
      truncations++;
      position = 0;
      partial.reset();
    }
    drain(lines);
    if (rotated) {
      rotations++;
      if (partial.size() > 0) {
        lines.add(partial.toString(StandardCharsets.UTF_8));
        partial.reset();
      }
      channel.close();
      channel = null;
      if (open(false)) {
        drain(lines);
      }
    }
    return lines;
  }

  /** @return true once the file existed at a poll */
  public synchronized boolean seen() {
    return seen;
  }

  /** @return how many rotations were followed */
  public synchronized int rotations() {
    return rotations;
  }

  /** @return how many truncations were noticed */
  public synchronized int truncations() {
    return truncations;
  }

  private boolean open(boolean atEnd) throws IOException {
    SeekableByteChannel ch;
    try {
      ch = Files.newByteChannel(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return false;
    }
    BasicFileAttributes attrs = attributes();
    key = attrs == null ? null : keyOf(attrs);
    channel = ch;
    position = atEnd ? ch.size() : 0;
    partial.reset();
    seen = true;
    return true;
  }

  private void drain(List<String> lines) throws IOException {
    SeekableByteChannel ch = channel;
    ch.position(position);
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    while (true) {
      buf.clear();
      int n = ch.read(buf);
      if (n <= 0) {
        break;
      }
      position += n;
      byte[] a = buf.array();
      for (int i = 0; i < n; i++) {
        byte b = a[i];
        if (b == '\n') {
          String line = partial.toString(StandardCharsets.UTF_8);
          lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
          partial.reset();
        } else {
          partial.write(b);
        }
      }
    }
  }

  private @Nullable BasicFileAttributes attributes() throws IOException {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static Object keyOf(BasicFileAttributes a) {
    Object k = a.fileKey();
    return k != null ? k : a.creationTime();
  }

  @Override
  public synchronized void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }
}
