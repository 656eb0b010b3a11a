package dev.rollback.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Everything under a folder, read straight from the filesystem: each entry's relative path mapped
 * to {@code /} for a folder, {@code -> target} for a symlink (never followed) or the file's text.
 * Two snapshots are equal exactly when no entry was added, removed, re-linked or rewritten.
 */
final class ReleaseFolderSnapshot {
  private ReleaseFolderSnapshot() {}

  static Map<String, String> of(Path folder) throws IOException {
    Map<String, String> entries = new TreeMap<>();
    if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
      return entries;
    }
    try (Stream<Path> all = Files.walk(folder)) {
      for (Path p : all.toList()) {
        String name = folder.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          entries.put(name, "-> " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          entries.put(name + "/", "");
        } else {
          entries.put(name, Files.readString(p, StandardCharsets.UTF_8));
        }
      }
    }
    return entries;
  }

  /** The name of the release {@code <root>/current} points to, read without following it. */
  static String current(Path root) throws IOException {
    return Files.readSymbolicLink(root.resolve("current")).getFileName().toString();
  }

  /** The version the service last started with, as the fixtures' restart commands write it. */
  static String started(Path root) throws IOException {
    return Files.readString(root.resolve("running"), StandardCharsets.UTF_8).strip();
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Deletes everything inside {@code dir}, keeping the folder. */
  static void empty(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> children = Files.list(dir)) {
      for (Path p : children.toList()) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          deleteTree(p);
        } else {
          Files.delete(p);
        }
      }
    }
  }

  static List<String> bothOf(Path root) throws IOException {
    return List.of(current(root), started(root));
  }
}
