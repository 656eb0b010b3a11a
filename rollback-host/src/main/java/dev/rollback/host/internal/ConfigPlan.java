package dev.rollback.host.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.version.VersionCatalog;
import dev.rollback.host.ConfigMissingFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Works out which live config files a rollback to a tag changes, and to what. */
public final class ConfigPlan {
  private ConfigPlan() {}

  /**
   * A repository folder or file mapped into the config folder.
   *
   * @param repoPath the folder (without a trailing slash; {@code ""} for the root) or file
   * @param target for a file: its path relative to the config folder; null for a folder
   */
  public record Mapping(String repoPath, @Nullable String target) {
    /**
     * @param repoFolder a repository folder
     * @return the mapping of every file under it, by relative path
     */
    public static Mapping folder(String repoFolder) {
      String f = repoFolder.endsWith("/") ? repoFolder.substring(0, repoFolder.length() - 1) : repoFolder;
      return new Mapping(f, null);
    }

    /**
     * @param repoPath a repository file
     * @param target its path relative to the config folder
     * @return the mapping
     */
    public static Mapping file(String repoPath, String target) {
      return new Mapping(repoPath, target);
    }
  }

  /**
   * One live file and what it becomes.
   *
   * @param repoPath where its content comes from
   * @param relative its path relative to the config folder
   * @param live its absolute path
   * @param content the target content, or null when the file is to be removed
   * @param unchanged true when the live file already matches
   */
  public record Change(String repoPath, String relative, Path live, byte @Nullable [] content, boolean unchanged) {}

  /**
   * Checks a repository or relative path given to a builder.
   *
   * @param field the builder method, for the message
   * @param path the value
   * @param folder whether {@code ""} (the root) is allowed
   * @return the problem, or null when the path is fine
   */
  public static @Nullable String checkRepoPath(String field, @Nullable String path, boolean folder) {
    if (path == null || (!folder && path.isBlank())) {
      return field + " path must not be " + (path == null ? "null" : "blank") + ": pass a relative path such as 'deploy/nginx"
          + (folder ? "'" : "/nginx.conf'");
    }
    if (path.startsWith("/") || path.contains("\\") || List.of(path.split("/")).contains("..")) {
      return field + " path must be relative, use '/' and have no '..', but was '" + path + "'";
    }
    return null;
  }

  /**
   * @param versions the catalogue
   * @param tag the target tag
   * @param fromVersion the version being rolled back from (its files decide what is missing at the
   *     target; ignored when the catalogue does not know it)
   * @param configFolder the live folder
   * @param mappings what maps where
   * @param missing what to do with files the tag lacks
   * @return the changes, sorted by relative path; {@link Change#unchanged()} ones included
   */
  public static List<Change> changes(VersionCatalog versions, String tag, String fromVersion, Path configFolder, List<Mapping> mappings,
      ConfigMissingFiles missing) {
    if (versions.find(tag).isEmpty()) {
      throw new RollbackException(ErrorCode.VERSION_REJECTED, "cannot restore config files from '" + tag + "': the catalogue has no such tag");
    }
    boolean knowsFrom = versions.find(fromVersion).isPresent();
    Map<String, Change> out = new LinkedHashMap<>();
    for (Mapping m : mappings) {
      if (m.target() != null) {
        Optional<byte[]> content = versions.read(tag, m.repoPath());
        add(out, configFolder, m.repoPath(), m.target(), content.orElse(null), missing);
        continue;
      }
      String prefix = m.repoPath().isEmpty() ? "" : m.repoPath() + "/";
      List<String> atTag = versions.list(tag, m.repoPath());
      for (String repoFile : atTag) {
        byte[] content = versions.read(tag, repoFile).orElseThrow(() -> new RollbackException(ErrorCode.VERSION_REJECTED,
            "'" + repoFile + "' is listed at '" + tag + "' but cannot be read"));
        add(out, configFolder, repoFile, repoFile.substring(prefix.length()), content, missing);
      }
      if (knowsFrom) {
        for (String repoFile : versions.list(fromVersion, m.repoPath())) {
          if (!atTag.contains(repoFile)) {
            add(out, configFolder, repoFile, repoFile.substring(prefix.length()), null, missing);
          }
        }
      }
    }
    List<Change> sorted = new ArrayList<>(out.values());
    sorted.sort(Comparator.comparing(Change::relative));
    return sorted;
  }

  private static void add(Map<String, Change> out, Path configFolder, String repoPath, String relative, byte @Nullable [] content,
      ConfigMissingFiles missing) {
    Path live = configFolder.resolve(relative).normalize();
    if (!live.startsWith(configFolder) || live.equals(configFolder)) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "config file '" + relative + "' (from '" + repoPath
          + "') would land outside " + configFolder + ": map it to a path inside the config folder");
    }
    try {
      boolean exists = Files.isRegularFile(live);
      if (content == null) {
        if (missing == ConfigMissingFiles.KEEP || !exists) {
          return;
        }
        out.put(relative, new Change(repoPath, relative, live, null, false));
        return;
      }
      out.put(relative, new Change(repoPath, relative, live, content, ConfigFiles.sameContent(live, content)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read live config file " + live + ": " + e.getMessage(), e);
    }
  }
}
