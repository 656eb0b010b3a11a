package dev.rollback.host.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;

/**
 * A throw-away copy of the live config folder with the candidate files applied, for the validation
 * command to check before anything live is replaced. Backups ({@code *.pre-rollback-*}) are not
 * copied; symbolic links are copied as links. Closing it deletes the folder.
 */
public final class ConfigStaging implements AutoCloseable {
  private final Path folder;

  private ConfigStaging(Path folder) {
    this.folder = folder;
  }

  /**
   * Creates the staging folder (in the system's temporary folder).
   *
   * @param configFolder the live folder to copy
   * @param changes the candidate changes to apply to the copy
   * @return the staging folder
   */
  public static ConfigStaging of(Path configFolder, List<ConfigPlan.Change> changes) throws IOException {
    Path staging = Files.createTempDirectory("config-rollback-staging-");
    ConfigStaging s = new ConfigStaging(staging);
    try {
      if (Files.isDirectory(configFolder)) {
        try (Stream<Path> files = Files.walk(configFolder)) {
          for (Path p : (Iterable<Path>) files::iterator) {
            if (ConfigFiles.isBackup(p)) {
              continue;
            }
            Path to = staging.resolve(configFolder.relativize(p).toString());
            if (Files.isSymbolicLink(p)) {
              // Links (nginx's sites-enabled) are copied as links, so a relative one points into the staging copy.
              Files.createDirectories(to.getParent());
              Files.copy(p, to, LinkOption.NOFOLLOW_LINKS);
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
              Files.createDirectories(to.getParent());
              Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
            }
          }
        }
      }
      for (ConfigPlan.Change c : changes) {
        Path to = staging.resolve(c.relative());
        byte[] content = c.content();
        if (content == null) {
          Files.deleteIfExists(to);
        } else {
          Files.createDirectories(to.getParent());
          Files.write(to, content);
        }
      }
      return s;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** @return the staging folder */
  public Path folder() {
    return folder;
  }

  /** Deletes the staging folder and everything in it. */
  @Override
  public void close() throws IOException {
    if (!Files.exists(folder)) {
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
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
