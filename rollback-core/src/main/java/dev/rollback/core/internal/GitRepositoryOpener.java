package dev.rollback.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.FS;
import org.jspecify.annotations.Nullable;

/**
 * Opens a git repository on disk from a folder a user named: a work tree (with a {@code .git}
 * folder or a {@code .git} file of a linked work tree) or a bare repository. Never searches parent
 * folders, so a folder that is not a repository is reported as such even inside another one.
 * Reads no {@code GIT_DIR}-style environment variables.
 */
public final class GitRepositoryOpener {
  private GitRepositoryOpener() {}

  /**
   * Opens a repository, or records why it cannot be opened.
   *
   * @param path the folder
   * @param what how the folder is named in messages, e.g. {@code "repository"}
   * @param problems where a problem is added (naming the path and the fix) when the folder cannot
   *     be opened
   * @return the repository, or null when a problem was added
   */
  public static @Nullable Repository open(Path path, String what, List<String> problems) {
    Path abs = path.toAbsolutePath().normalize();
    if (!Files.exists(abs)) {
      problems.add(what + " " + abs + " does not exist: give the folder of a git repository (one holding .git, or a"
          + " bare repository)");
      return null;
    }
    if (!Files.isDirectory(abs)) {
      problems.add(what + " " + abs + " is not a folder: give the folder of a git repository, not a file in it");
      return null;
    }
    if (!Files.isReadable(abs) || !Files.isExecutable(abs)) {
      problems.add(what + " " + abs + " cannot be read by this process: grant read access or run as its owner");
      return null;
    }
    FileRepositoryBuilder builder = new FileRepositoryBuilder().setMustExist(true);
    Path dotGit = abs.resolve(Constants.DOT_GIT);
    if (Files.exists(dotGit)) {
      // A work tree; the .git may also be a file pointing at the git folder (linked work tree).
      builder.setWorkTree(abs.toFile());
    } else if (RepositoryCache.FileKey.isGitRepository(abs.toFile(), FS.DETECTED)) {
      builder.setGitDir(abs.toFile());
    } else {
      problems.add(what + " " + abs + " is not a git repository (it has no .git and is not a bare repository):"
          + " give the folder that holds .git, or create one with git init");
      return null;
    }
    try {
      Repository repo = builder.build();
      if (!repo.getObjectDatabase().exists()) {
        repo.close();
        problems.add(what + " " + abs + " is not a git repository (its .git names no object folder): repair it or"
            + " clone it again");
        return null;
      }
      return repo;
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      problems.add(what + " " + abs + " could not be opened as a git repository (" + e.getClass().getSimpleName()
          + ": " + e.getMessage() + "): repair it or clone it again");
      return null;
    }
  }

  /**
   * @param path a folder
   * @return whether the folder is a git repository (work tree or bare), without opening it
   */
  public static boolean isRepository(Path path) {
    return Files.exists(path.resolve(Constants.DOT_GIT))
        || RepositoryCache.FileKey.isGitRepository(path.toFile(), FS.DETECTED);
  }
}
