package dev.rollback.testkit;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.version.FileChange;
import dev.rollback.core.version.VersionCatalog;
import dev.rollback.core.version.VersionTag;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link VersionCatalog} for runbook tests: tags in the order given (newest first), each with the
 * files a test puts at it. {@link #verify} accepts a tag that exists, is not marked unreachable and
 * has the required files; {@link #changesBetween} compares the files line by line.
 *
 * <pre>{@code
 * InMemoryVersionCatalog versions = InMemoryVersionCatalog.newestFirst("v1.3.0", "v1.2.9")
 *     .file("v1.2.9", "config/app.yaml", "pool: 20\n");
 * }</pre>
 *
 * @since 0.1.0
 */
public final class InMemoryVersionCatalog implements VersionCatalog {
  private final List<VersionTag> tags = new ArrayList<>();
  private final Map<String, Map<String, String>> files = new LinkedHashMap<>();
  private final List<String> unreachable = new ArrayList<>();
  private final List<String> requiredFiles = new ArrayList<>();

  private InMemoryVersionCatalog() {}

  /**
   * @param names tag names, newest first
   * @return the catalogue
   */
  public static InMemoryVersionCatalog newestFirst(String... names) {
    InMemoryVersionCatalog c = new InMemoryVersionCatalog();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < names.length; i++) {
      String n = names[i];
      c.tags.add(new VersionTag(n, String.format("%040x", Math.abs((long) n.hashCode()) + i), true, t.minusSeconds(3600L * i)));
      c.files.put(n, new TreeMap<>());
    }
    return c;
  }

  /**
   * @param tag a tag given to {@link #newestFirst}
   * @param path a file path
   * @param content its content at that tag
   * @return this catalogue
   */
  public synchronized InMemoryVersionCatalog file(String tag, String path, String content) {
    filesOf(tag).put(path, content);
    return this;
  }

  /**
   * @param tag a tag whose commit {@link #verify} should treat as not reachable from the branch
   * @return this catalogue
   */
  public synchronized InMemoryVersionCatalog unreachable(String tag) {
    filesOf(tag);
    unreachable.add(tag);
    return this;
  }

  /**
   * @param paths files every deployable tag must have
   * @return this catalogue
   */
  public synchronized InMemoryVersionCatalog requiredFiles(String... paths) {
    requiredFiles.addAll(List.of(paths));
    return this;
  }

  private Map<String, String> filesOf(String tag) {
    Map<String, String> f = files.get(tag);
    if (f == null) {
      throw new RollbackException(ErrorCode.VERSION_REJECTED, "tag " + tag + " does not exist; tags: " + files.keySet());
    }
    return f;
  }

  @Override
  public synchronized List<VersionTag> tags() {
    return List.copyOf(tags);
  }

  @Override
  public synchronized VersionTag verify(String tag) {
    VersionTag t = find(tag).orElseThrow(() -> new RollbackException(ErrorCode.VERSION_REJECTED,
        "tag " + tag + " does not exist; tags: " + files.keySet()));
    if (unreachable.contains(tag)) {
      throw new RollbackException(ErrorCode.VERSION_REJECTED, "tag " + tag + " is not reachable from the release branch");
    }
    List<String> missing = requiredFiles.stream().filter(p -> !filesOf(tag).containsKey(p)).toList();
    if (!missing.isEmpty()) {
      throw new RollbackException(ErrorCode.VERSION_REJECTED, "tag " + tag + " is not deployable: missing " + missing);
    }
    return t;
  }

  @Override
  public synchronized List<FileChange> changes(String tag) {
    int i = tags.indexOf(verifyExists(tag));
    return i + 1 < tags.size() ? changesBetween(tags.get(i + 1).name(), tag) : changesBetween(null, tag);
  }

  private VersionTag verifyExists(String tag) {
    filesOf(tag);
    return find(tag).orElseThrow();
  }

  @Override
  public synchronized List<FileChange> changesBetween(String from, String to) {
    Map<String, String> a = from == null ? Map.of() : filesOf(from);
    Map<String, String> b = filesOf(to);
    TreeMap<String, FileChange> out = new TreeMap<>();
    for (Map.Entry<String, String> e : b.entrySet()) {
      String old = a.get(e.getKey());
      if (old == null) {
        out.put(e.getKey(), new FileChange(e.getKey(), null, FileChange.Type.ADD, lines(e.getValue()), 0));
      } else if (!old.equals(e.getValue())) {
        out.put(e.getKey(), new FileChange(e.getKey(), null, FileChange.Type.MODIFY, lines(e.getValue()), lines(old)));
      }
    }
    for (Map.Entry<String, String> e : a.entrySet()) {
      if (!b.containsKey(e.getKey())) {
        out.put(e.getKey(), new FileChange(e.getKey(), null, FileChange.Type.DELETE, 0, lines(e.getValue())));
      }
    }
    return List.copyOf(out.values());
  }

  private static int lines(String s) {
    return s.isEmpty() ? 0 : (int) s.lines().count();
  }

  @Override
  public synchronized Optional<byte[]> read(String tag, String path) {
    return Optional.ofNullable(filesOf(tag).get(path)).map(s -> s.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public synchronized List<String> list(String tag, String dir) {
    String prefix = dir.isEmpty() || dir.endsWith("/") ? dir : dir + "/";
    return filesOf(tag).keySet().stream().filter(p -> p.startsWith(prefix)).sorted().toList();
  }
}
