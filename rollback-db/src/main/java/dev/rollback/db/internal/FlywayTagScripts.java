package dev.rollback.db.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.version.VersionCatalog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.api.MigrationVersion;
import org.jspecify.annotations.Nullable;

/**
 * The Flyway SQL scripts of one version: every file under the migration folder at a tag, read
 * through the version catalogue, with Flyway's default naming ({@code V<version>__<desc>.sql},
 * {@code U<version>__<desc>.sql}, {@code R__<desc>.sql}).
 */
public final class FlywayTagScripts {
  private static final Pattern NAME = Pattern.compile("^([VUR])([^_]*(?:_[^_]+)*?)__(.+)\\.sql$");

  /**
   * One script.
   *
   * @param path its path in the repository
   * @param filename its file name
   * @param kind {@code V}, {@code U} or {@code R}
   * @param version its version for V and U, null for R
   * @param description its description as Flyway records it (underscores as spaces)
   * @param content its text
   */
  public record Script(String path, String filename, char kind, @Nullable MigrationVersion version, String description, String content) {
    /** Checks the components. */
    public Script {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(filename, "filename");
      Objects.requireNonNull(content, "content");
    }
  }

  private final String tag;
  private final String folder;
  private final List<Script> scripts;

  private FlywayTagScripts(String tag, String folder, List<Script> scripts) {
    this.tag = tag;
    this.folder = folder;
    this.scripts = List.copyOf(scripts);
  }

  /**
   * Reads the scripts of a tag.
   *
   * @param catalog the version catalogue
   * @param tag the tag
   * @param folder the migration folder in the repository, e.g. {@code db/migration}
   * @return the scripts (files that do not follow Flyway's naming are left out)
   * @throws RollbackException with {@link ErrorCode#VERSION_REJECTED} when the tag does not exist
   */
  public static FlywayTagScripts read(VersionCatalog catalog, String tag, String folder) {
    if (catalog.find(tag).isEmpty() && catalog.list(tag, "").isEmpty()) {
      throw new RollbackException(ErrorCode.VERSION_REJECTED, "tag '" + tag + "' does not exist in " + catalog
          + ": the migrations of that version cannot be read");
    }
    List<Script> out = new ArrayList<>();
    for (String path : catalog.list(tag, folder)) {
      String filename = path.substring(path.lastIndexOf('/') + 1);
      Matcher m = NAME.matcher(filename);
      if (!m.matches()) {
        continue;
      }
      char kind = m.group(1).charAt(0);
      String v = m.group(2);
      if (kind == 'R' ? !v.isEmpty() : v.isEmpty()) {
        continue;
      }
      byte[] bytes = catalog.read(tag, path).orElseThrow(() -> new RollbackException(ErrorCode.REPOSITORY_FAILURE,
          path + " is listed at " + tag + " but cannot be read"));
      String content = new String(bytes, StandardCharsets.UTF_8);
      if (!content.isEmpty() && content.charAt(0) == '\uFEFF') {
        content = content.substring(1);
      }
      out.add(new Script(path, filename, kind, kind == 'R' ? null : MigrationVersion.fromVersion(v.replace('_', '.')),
          m.group(3).replace('_', ' '), content));
    }
    return new FlywayTagScripts(tag, folder, out);
  }

  /** @return the tag */
  public String tag() {
    return tag;
  }

  /** @return the folder */
  public String folder() {
    return folder;
  }

  /** @return every script */
  public List<Script> scripts() {
    return scripts;
  }

  /** @return the versioned and repeatable scripts, what Flyway migrates (undo scripts left out) */
  public List<Script> migrations() {
    return scripts.stream().filter(s -> s.kind() != 'U').toList();
  }

  /** @return the newest version of a V script, or null when there is none */
  public @Nullable MigrationVersion newest() {
    return scripts.stream().filter(s -> s.kind() == 'V').map(Script::version).filter(Objects::nonNull).max(MigrationVersion::compareTo)
        .orElse(null);
  }

  /**
   * @param version a version
   * @return whether a V script has it
   */
  public boolean ships(MigrationVersion version) {
    return scripts.stream().anyMatch(s -> s.kind() == 'V' && version.equals(s.version()));
  }

  /**
   * @param version a version
   * @return its undo script
   */
  public Optional<Script> undo(MigrationVersion version) {
    return scripts.stream().filter(s -> s.kind() == 'U' && version.equals(s.version())).findFirst();
  }

  /**
   * @param scriptName the script as the history table names it (a file name, maybe with a folder)
   * @return the script with that file name
   */
  public Optional<Script> byName(String scriptName) {
    String filename = scriptName.substring(scriptName.lastIndexOf('/') + 1);
    return scripts.stream().filter(s -> s.filename().equals(filename)).findFirst();
  }
}
