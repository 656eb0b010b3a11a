package dev.rollback.host.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * File operations of the config and env-file steps: timestamped backups next to the live file,
 * atomic replacement (temporary file in the same folder, fsync, {@code ATOMIC_MOVE}) that keeps the
 * file's mode, and restoring a backup the same way.
 */
public final class ConfigFiles {
  /** What a backup's name carries after the live file's name. */
  public static final String BACKUP_MARKER = ".pre-rollback-";

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private ConfigFiles() {}

  /**
   * @param at the run clock's time
   * @return {@code yyyyMMdd-HHmmss} in UTC
   */
  public static String stamp(Instant at) {
    return STAMP.format(at);
  }

  /**
   * @param live a live file
   * @param bytes content to compare
   * @return true when the file exists and holds exactly these bytes
   */
  public static boolean sameContent(Path live, byte[] bytes) throws IOException {
    return Files.isRegularFile(live) && Files.size(live) == bytes.length && Arrays.equals(Files.readAllBytes(live), bytes);
  }

  /**
   * Copies the live file to {@code <name>.pre-rollback-<stamp>} beside it, keeping its mode. When a
   * backup of that name exists with the same content it is reused; with other content a {@code -2},
   * {@code -3}… suffix is added, so no backup is ever overwritten.
   *
   * @param live the file to back up; must exist
   * @param at the run clock's time
   * @return the backup
   */
  public static Path backup(Path live, Instant at) throws IOException {
    String base = live.getFileName() + BACKUP_MARKER + stamp(at);
    byte[] current = Files.readAllBytes(live);
    for (int n = 1; ; n++) {
      Path candidate = live.resolveSibling(n == 1 ? base : base + "-" + n);
      if (Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
        if (sameContent(candidate, current)) {
          return candidate;
        }
        continue;
      }
      write(candidate, current, permissions(live).orElse(null));
      return candidate;
    }
  }

  /**
   * Replaces (or creates) a file atomically: the bytes go to a temporary file in the same folder,
   * are forced to disk, get the mode of the file they replace, and are moved over it with {@code
   * ATOMIC_MOVE}; a reader sees the old file or the new one, never a partial one.
   *
   * @param target the file
   * @param bytes its new content
   * @param mode the permissions to give it, or null to keep the current file's (or the default for
   *     a new file)
   */
  public static void write(Path target, byte[] bytes, @Nullable Set<PosixFilePermission> mode) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Set<PosixFilePermission> keep = mode != null ? mode : permissions(target).orElse(null);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      if (keep != null) {
        Files.setPosixFilePermissions(tmp, keep);
      } else if (permissionsSupported(tmp)) {
        // createTempFile makes the file owner-only; a new config file gets the usual rw-r--r--.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      move(tmp, target);
      syncFolder(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Puts a backup back over its live file, atomically, with the backup's mode. The backup stays.
   *
   * @param backup the backup
   * @param live the live file
   */
  public static void restore(Path backup, Path live) throws IOException {
    write(live, Files.readAllBytes(backup), permissions(backup).orElse(null));
  }

  /**
   * Removes a live file by renaming it to its backup name (atomically, so nothing is lost).
   *
   * @param live the file to remove
   * @param at the run clock's time
   * @return the backup it became
   */
  public static Path removeWithBackup(Path live, Instant at) throws IOException {
    Path backup = backup(live, at);
    Files.delete(live);
    syncFolder(live.toAbsolutePath().getParent());
    return backup;
  }

  /**
   * @param file a file
   * @return its POSIX permissions, when it exists and the file system has them
   */
  public static Optional<Set<PosixFilePermission>> permissions(Path file) throws IOException {
    if (!Files.exists(file) || !permissionsSupported(file)) {
      return Optional.empty();
    }
    return Optional.of(Files.getPosixFilePermissions(file));
  }

  /**
   * @param path a path
   * @return true when it is a backup written by these steps
   */
  public static boolean isBackup(Path path) {
    return path.getFileName().toString().contains(BACKUP_MARKER);
  }

  private static boolean permissionsSupported(Path file) {
    return Files.getFileAttributeView(file, PosixFileAttributeView.class) != null;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot replace " + to + " atomically (the file system does not support an atomic rename "
          + "within a folder): nothing was changed", e);
    }
  }

  private static void syncFolder(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some platforms cannot open a folder for fsync; the rename itself is still atomic.
    }
  }
}
