package dev.rollback.host.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;

/** Filesystem chores of a release layout: listing release folders, removing one safely. */
public final class ReleaseFolders {
  private ReleaseFolders() {}

  /**
   * @param releases the {@code releases/} folder
   * @return its sub-folders that are real folders (not symlinks, not hidden); empty when it is missing
   * @throws IOException when it cannot be read
   */
  public static List<Path> list(Path releases) throws IOException {
    if (!Files.isDirectory(releases)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(releases)) {
      return s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .toList();
    }
  }

  /**
   * Removes a folder and everything in it. Symlinks are removed, never followed.
   *
   * @param folder the folder
   * @throws IOException when something cannot be removed
   */
  public static void deleteTree(Path folder) throws IOException {
    if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(folder, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        if (exc != null) {
          throw exc;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
