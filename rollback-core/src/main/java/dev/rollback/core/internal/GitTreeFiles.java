package dev.rollback.core.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.jspecify.annotations.Nullable;

/**
 * Files of one tree: read a file, list a folder, check that a file or folder is present. A "file"
 * is anything stored as a blob (a regular or executable file, or a symbolic link, whose content is
 * its target); submodules and folders are not files.
 */
public final class GitTreeFiles {
  private GitTreeFiles() {}

  /**
   * Checks a path given by a user and brings it to git's form.
   *
   * @param path e.g. {@code deploy/app.yaml}, or {@code deploy/} for a folder when {@code folder}
   * @param folder whether the path names a folder ({@code ""} then means the root)
   * @return the path without a trailing {@code /}
   * @throws IllegalArgumentException naming the path and the fix when it is not a repository path
   */
  public static String normalize(@Nullable String path, boolean folder) {
    String what = folder ? "folder" : "file";
    if (path == null) {
      throw new IllegalArgumentException(what + " path must not be null: give a path relative to the repository root,"
          + " e.g. " + (folder ? "\"deploy/\" (or \"\" for the root)" : "\"deploy/app.yaml\""));
    }
    String p = folder && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (p.isEmpty()) {
      if (folder) {
        return p;
      }
      throw new IllegalArgumentException("file path must not be empty: give a path relative to the repository root,"
          + " e.g. \"deploy/app.yaml\"");
    }
    if (p.startsWith("/")) {
      throw new IllegalArgumentException(what + " path '" + path + "' is absolute: give it relative to the repository"
          + " root, e.g. '" + p.replaceFirst("^/+", "") + "'");
    }
    for (String segment : p.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(what + " path '" + path + "' is not a repository path (empty, '.' or '..'"
            + " segments): give it as git shows it, e.g. 'deploy/app.yaml'");
      }
    }
    return p;
  }

  /**
   * @param repo the repository
   * @param tree the tree
   * @param path a normalized file path
   * @return the file's bytes, or empty when there is no file at that path
   * @throws IOException when an object cannot be read
   */
  public static Optional<byte[]> read(Repository repo, RevTree tree, String path) throws IOException {
    try (ObjectReader reader = repo.newObjectReader(); TreeWalk walk = TreeWalk.forPath(reader, path, tree)) {
      if (walk == null || walk.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
        return Optional.empty();
      }
      return Optional.of(reader.open(walk.getObjectId(0), Constants.OBJ_BLOB).getBytes(Integer.MAX_VALUE));
    }
  }

  /**
   * @param repo the repository
   * @param tree the tree
   * @param path a normalized file path
   * @return whether a file is at that path
   * @throws IOException when an object cannot be read
   */
  public static boolean hasFile(Repository repo, RevTree tree, String path) throws IOException {
    try (TreeWalk walk = TreeWalk.forPath(repo, path, tree)) {
      return walk != null && walk.getFileMode(0).getObjectType() == Constants.OBJ_BLOB;
    }
  }

  /**
   * @param repo the repository
   * @param tree the tree
   * @param dir a normalized folder path ({@code ""} for the root)
   * @return whether at least one file is under the folder, at any depth
   * @throws IOException when an object cannot be read
   */
  public static boolean hasFileUnder(Repository repo, RevTree tree, String dir) throws IOException {
    return !files(repo, tree, dir, 1).isEmpty();
  }

  /**
   * @param repo the repository
   * @param tree the tree
   * @param dir a normalized folder path ({@code ""} for the root)
   * @return the paths of every file under the folder, at any depth, sorted; empty when the folder
   *     does not exist or is a file
   * @throws IOException when an object cannot be read
   */
  public static List<String> list(Repository repo, RevTree tree, String dir) throws IOException {
    List<String> paths = files(repo, tree, dir, Integer.MAX_VALUE);
    Collections.sort(paths);
    return paths;
  }

  private static List<String> files(Repository repo, RevTree tree, String dir, int limit) throws IOException {
    List<String> paths = new ArrayList<>();
    String prefix = dir.isEmpty() ? "" : dir + "/";
    try (TreeWalk walk = new TreeWalk(repo)) {
      walk.addTree(tree);
      walk.setRecursive(true);
      if (!dir.isEmpty()) {
        walk.setFilter(PathFilter.create(dir));
      }
      while (walk.next() && paths.size() < limit) {
        String path = walk.getPathString();
        if (path.startsWith(prefix) && walk.getFileMode(0).getObjectType() == Constants.OBJ_BLOB) {
          paths.add(path);
        }
      }
    }
    return paths;
  }
}
