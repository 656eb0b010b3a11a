package dev.rollback.core.version;

import java.util.List;
import java.util.Optional;

/**
 * The versions that exist and what is in them. {@link GitVersionCatalog} reads them from git tags;
 * the testkit has an in-memory one.
 *
 * @since 0.1.0
 */
public interface VersionCatalog {

  /**
   * @return every version, newest first, in the order {@code git tag --sort=-version:refname}
   *     gives
   */
  List<VersionTag> tags();

  /**
   * @param filter which tags count
   * @return the versions the filter accepts, newest first
   */
  default List<VersionTag> tags(TagFilter filter) {
    return tags().stream().filter(t -> filter.accepts(t.name())).toList();
  }

  /**
   * @param name a tag name
   * @return the tag, if it exists
   */
  default Optional<VersionTag> find(String name) {
    return tags().stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /**
   * Checks that a version can be deployed: the tag exists, resolves to a commit, the commit is
   * reachable from the release branch, and the files the catalogue requires are present at it.
   *
   * @param tag the tag name
   * @return the verified tag
   * @throws dev.rollback.core.RollbackException with {@link dev.rollback.core.ErrorCode#VERSION_REJECTED}
   *     naming the tag and the reason
   */
  VersionTag verify(String tag);

  /**
   * @param tag a tag name (any tag that names a commit; the catalogue's filter does not apply to
   *     {@code changes}, {@code changesBetween}, {@code read} and {@code list})
   * @return the files the tagged commit changed against its (first) parent, like {@code git show
   *     <tag> --stat}
   */
  List<FileChange> changes(String tag);

  /**
   * @param from the older tag
   * @param to the newer tag
   * @return the files that differ between the two tagged trees, like {@code git diff --stat from to}
   */
  List<FileChange> changesBetween(String from, String to);

  /**
   * @param tag a tag name
   * @param path a file path in the repository
   * @return the file's bytes at the tag, or empty when the file does not exist there
   */
  Optional<byte[]> read(String tag, String path);

  /**
   * @param tag a tag name
   * @param dir a folder path in the repository ({@code ""} for the root)
   * @return the paths of the files under the folder at the tag, recursively, sorted
   */
  List<String> list(String tag, String dir);
}
