package dev.rollback.core.version;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One file in a diff, as {@code git show --stat} counts it.
 *
 * @param path the file's path after the change (before it, for a deletion)
 * @param oldPath the path before a rename or copy, otherwise null
 * @param type ADD, MODIFY, DELETE, RENAME or COPY
 * @param linesAdded lines added (0 for binary files)
 * @param linesDeleted lines deleted (0 for binary files)
 * @since 0.1.0
 */
public record FileChange(String path, @Nullable String oldPath, Type type, int linesAdded, int linesDeleted) {
  /** Checks the components. */
  public FileChange {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
  }

  /** The kind of change. */
  public enum Type {
    /** A new file. */
    ADD,
    /** A changed file. */
    MODIFY,
    /** A removed file. */
    DELETE,
    /** A moved file (possibly changed). */
    RENAME,
    /** A copied file. */
    COPY
  }
}
