package dev.rollback.host;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.host.internal.FailedReleaseNames;
import dev.rollback.host.internal.ReleaseFolders;
import dev.rollback.host.internal.ReleaseNames;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A Capistrano-style release layout on the local filesystem:
 *
 * <pre>
 * &lt;root&gt;/releases/&lt;version&gt;/      one folder per release
 * &lt;root&gt;/current -&gt; releases/&lt;version&gt;   a relative symlink to the running release
 * &lt;root&gt;/revisions.log              one line per deploy or rollback ({@link RevisionLogEntry})
 * </pre>
 *
 * <p>{@link #switchTo} replaces {@code current} atomically: it creates a temporary symlink next to
 * it and renames it over {@code current} ({@code rename(2)}), so a reader resolving {@code current}
 * at any moment sees either the old or the new release, never a missing link. Failed releases kept
 * for forensics are renamed {@code <version>.failed-<yyyyMMdd-HHmmss>} (UTC) and are not releases:
 * {@link #releases()} leaves them out, {@link #failedReleases()} lists them.
 *
 * <pre>{@code
 * SymlinkReleases layout = SymlinkReleases.at(Path.of("/srv/checkout"));
 * String running = layout.current().orElseThrow();
 * layout.switchTo("v1.2.9");
 * }</pre>
 *
 * <p>Version names are checked ({@link #checkVersion}): no path separators, no {@code ..}, not
 * absolute, not empty, not hidden. A hostile name is rejected before it touches the filesystem.
 *
 * @since 0.1.0
 */
public final class SymlinkReleases {
  private final Path root;

  private SymlinkReleases(Path root) {
    this.root = root;
  }

  /**
   * @param root the layout's root folder (it holds {@code releases/} and {@code current})
   * @return the layout; nothing is read or created yet
   */
  public static SymlinkReleases at(Path root) {
    Objects.requireNonNull(root, "root");
    return new SymlinkReleases(root.toAbsolutePath().normalize());
  }

  /**
   * Checks a version name for use as a release folder.
   *
   * @param version the name
   * @return the same name
   * @throws RollbackException with {@link ErrorCode#VERSION_REJECTED} naming the value and the rule
   *     it breaks
   */
  public static String checkVersion(String version) {
    ReleaseNames.problem(version).ifPresent(p -> {
      throw new RollbackException(ErrorCode.VERSION_REJECTED, p);
    });
    return version;
  }

  /** @return the root folder */
  public Path root() {
    return root;
  }

  /** @return {@code <root>/releases} */
  public Path releasesFolder() {
    return root.resolve("releases");
  }

  /** @return {@code <root>/current} */
  public Path currentLink() {
    return root.resolve("current");
  }

  /** @return {@code <root>/revisions.log} */
  public Path revisionsLog() {
    return root.resolve("revisions.log");
  }

  /**
   * @param version a release name, checked with {@link #checkVersion}
   * @return {@code <root>/releases/<version>} (it may not exist)
   */
  public Path release(String version) {
    return releasesFolder().resolve(checkVersion(version));
  }

  /**
   * @param version a release name
   * @return whether {@code releases/<version>} is a folder (not a symlink to one)
   */
  public boolean exists(String version) {
    return Files.isDirectory(release(version), LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Reads which release {@code current} points to.
   *
   * @return the release's name, or empty when there is no {@code current} link yet
   * @throws IOException when {@code current} exists but is not a symlink into {@code releases/}
   */
  public Optional<String> current() throws IOException {
    Path link = currentLink();
    if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    if (!Files.isSymbolicLink(link)) {
      throw new IOException(link + " is not a symlink: a release layout needs current -> releases/<version>; move it aside and create the link");
    }
    Path target = Files.readSymbolicLink(link);
    Path resolved = (target.isAbsolute() ? target : root.resolve(target)).normalize();
    if (!releasesFolder().equals(resolved.getParent()) || resolved.getFileName() == null) {
      throw new IOException(link + " points to " + target + ", which is not a folder directly under " + releasesFolder());
    }
    return Optional.of(resolved.getFileName().toString());
  }

  /**
   * Lists the releases, newest first: by the last time the revisions log made each one current,
   * then by the folder's modification time. Failed releases, hidden entries and files are left out.
   *
   * @return the release names
   * @throws IOException when {@code releases/} cannot be read
   */
  public List<String> releases() throws IOException {
    Map<String, Instant> lastCurrent = lastCurrentTimes();
    List<String> names = new ArrayList<>();
    Map<String, Instant> modified = new HashMap<>();
    for (Path p : ReleaseFolders.list(releasesFolder())) {
      String name = p.getFileName().toString();
      if (ReleaseNames.problem(name).isPresent() || FailedReleaseNames.isFailed(name)) {
        continue;
      }
      names.add(name);
      modified.put(name, Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant());
    }
    names.sort(Comparator.<String, Instant>comparing(n -> lastCurrent.getOrDefault(n, modified.get(n)))
        .thenComparing(n -> modified.get(n))
        .thenComparing(Comparator.naturalOrder())
        .reversed());
    return names;
  }

  /**
   * @return the folder names of failed releases kept for forensics ({@code
   *     <version>.failed-<yyyyMMdd-HHmmss>}), newest first
   * @throws IOException when {@code releases/} cannot be read
   */
  public List<String> failedReleases() throws IOException {
    List<String> names = new ArrayList<>();
    for (Path p : ReleaseFolders.list(releasesFolder())) {
      String name = p.getFileName().toString();
      if (FailedReleaseNames.isFailed(name)) {
        names.add(name);
      }
    }
    names.sort(Comparator.comparing((String n) -> FailedReleaseNames.failedAt(n).orElse(Instant.EPOCH)).thenComparing(Comparator.naturalOrder()).reversed());
    return names;
  }

  /**
   * Points {@code current} at a release, atomically: a temporary symlink next to {@code current}
   * is renamed over it with {@link StandardCopyOption#ATOMIC_MOVE}. Does nothing when {@code current}
   * already points there.
   *
   * @param version the release; its folder must exist
   * @return true when the link changed, false when it already pointed to {@code version}
   * @throws IOException when the link cannot be created or renamed
   * @throws RollbackException when the name is not a valid version or the folder is missing
   */
  public boolean switchTo(String version) throws IOException {
    checkVersion(version);
    if (!exists(version)) {
      throw new RollbackException(ErrorCode.VERSION_REJECTED, "release '" + version + "' does not exist: no folder " + release(version));
    }
    if (current().filter(version::equals).isPresent()) {
      return false;
    }
    Path tmp = root.resolve(".current.tmp-" + UUID.randomUUID());
    Files.createSymbolicLink(tmp, Path.of("releases", version));
    try {
      Files.move(tmp, currentLink(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    syncFolder(root);
    return true;
  }

  /**
   * Renames a release that failed to {@code <version>.failed-<yyyyMMdd-HHmmss>} (UTC), keeping it
   * for forensics. Refuses while {@code current} points to it.
   *
   * @param version the failed release
   * @param at the time for the suffix (the run's clock)
   * @return the new folder
   * @throws IOException when the rename fails or the new name is taken
   * @throws RollbackException when {@code current} points to the release or it does not exist
   */
  public Path markFailed(String version, Instant at) throws IOException {
    Path folder = release(version);
    if (current().filter(version::equals).isPresent()) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION,
          "release '" + version + "' cannot be marked failed while current points to it: switch current to another release first");
    }
    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
      throw new RollbackException(ErrorCode.VERSION_REJECTED, "release '" + version + "' does not exist: no folder " + folder);
    }
    Path renamed = releasesFolder().resolve(FailedReleaseNames.of(version, at));
    if (Files.exists(renamed, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("cannot mark '" + version + "' failed: " + renamed + " already exists");
    }
    return Files.move(folder, renamed, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Appends a line to {@code revisions.log} and forces it to disk.
   *
   * @param entry the line
   * @throws IOException when the log cannot be written
   */
  public void appendRevision(RevisionLogEntry entry) throws IOException {
    Files.createDirectories(root);
    byte[] line = (entry.toLine() + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileOutputStream out = new FileOutputStream(revisionsLog().toFile(), true)) {
      out.write(line);
      out.getFD().sync();
    }
  }

  /**
   * @return the lines of {@code revisions.log} that parse, oldest first; empty when there is no log
   * @throws IOException when the log cannot be read
   */
  public List<RevisionLogEntry> revisions() throws IOException {
    if (!Files.exists(revisionsLog())) {
      return List.of();
    }
    List<RevisionLogEntry> out = new ArrayList<>();
    try (Stream<String> lines = Files.lines(revisionsLog(), StandardCharsets.UTF_8)) {
      lines.forEach(l -> RevisionLogEntry.parse(l).ifPresent(out::add));
    }
    return out;
  }

  /**
   * Removes old releases. It keeps the {@code keep} newest releases (see {@link #releases()}), and
   * never removes the release {@code current} points to, any release named in {@code protect} (the
   * rollback's target), or a failed release younger than {@code failedMinAge}. Failed releases older
   * than that are removed. Symlinks inside a release are removed, never followed.
   *
   * @param keep how many releases to keep; at least 1
   * @param protect releases never to remove
   * @param now the current time (the run's clock)
   * @param failedMinAge how long failed releases are kept, e.g. one day
   * @return the folders removed
   * @throws IOException when a folder cannot be removed
   */
  public List<Path> cleanUp(int keep, Set<String> protect, Instant now, Duration failedMinAge) throws IOException {
    if (keep < 1) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "keep must be at least 1, but was " + keep);
    }
    Set<String> kept = new LinkedHashSet<>(protect);
    current().ifPresent(kept::add);
    List<Path> removed = new ArrayList<>();
    List<String> releases = releases();
    for (int i = 0; i < releases.size(); i++) {
      String name = releases.get(i);
      if (i < keep || kept.contains(name)) {
        continue;
      }
      Path folder = releasesFolder().resolve(name);
      ReleaseFolders.deleteTree(folder);
      removed.add(folder);
    }
    for (String name : failedReleases()) {
      Instant failedAt = FailedReleaseNames.failedAt(name).orElse(now);
      if (failedAt.plus(failedMinAge).isAfter(now)) {
        continue;
      }
      Path folder = releasesFolder().resolve(name);
      ReleaseFolders.deleteTree(folder);
      removed.add(folder);
    }
    return removed;
  }

  private Map<String, Instant> lastCurrentTimes() throws IOException {
    Map<String, Instant> times = new HashMap<>();
    for (RevisionLogEntry e : revisions()) {
      if (!e.action().equals(RevisionLogEntry.DEPLOY) && !e.action().equals(RevisionLogEntry.ROLLBACK)) {
        continue;
      }
      times.merge(e.version(), e.time(), (a, b) -> a.isAfter(b) ? a : b);
    }
    return times;
  }

  /** Forces a folder's entries to disk, where the platform allows it (Linux does). */
  private static void syncFolder(Path folder) {
    try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // best effort: not every platform can open a folder for sync
    }
  }

  @Override
  public String toString() {
    return "SymlinkReleases[" + root + "]";
  }
}
