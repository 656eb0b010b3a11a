package dev.rollback.db.internal;

import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.flywaydb.core.api.ClassProvider;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.jspecify.annotations.Nullable;

/**
 * Feeds Flyway the SQL migrations of one tag from memory (no checkout on disk), and no Java
 * migrations: what Flyway resolves is exactly what the tag ships in its migration folder.
 */
public final class InMemoryFlywayResources implements ResourceProvider {
  private final List<LoadableResource> resources;

  private InMemoryFlywayResources(List<LoadableResource> resources) {
    this.resources = List.copyOf(resources);
  }

  /**
   * @param scripts the tag's scripts; undo scripts are left out (the community edition has no undo)
   * @return the provider
   */
  public static InMemoryFlywayResources of(FlywayTagScripts scripts) {
    List<LoadableResource> r = new ArrayList<>();
    for (FlywayTagScripts.Script s : scripts.migrations()) {
      r.add(new TagResource(s.filename(), s.path(), s.content()));
    }
    return new InMemoryFlywayResources(r);
  }

  /** @return a provider with no migrations (for reading the history only) */
  public static InMemoryFlywayResources empty() {
    return new InMemoryFlywayResources(List.of());
  }

  @Override
  public @Nullable LoadableResource getResource(String name) {
    return resources.stream().filter(r -> r.getFilename().equals(name) || r.getRelativePath().equals(name)).findFirst().orElse(null);
  }

  @Override
  public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
    List<LoadableResource> out = new ArrayList<>();
    for (LoadableResource r : resources) {
      if (!r.getFilename().startsWith(prefix)) {
        continue;
      }
      for (String suffix : suffixes) {
        if (r.getFilename().endsWith(suffix)) {
          out.add(r);
          break;
        }
      }
    }
    return out;
  }

  /** @return a class provider that offers no Java migrations */
  public static ClassProvider<JavaMigration> noJavaMigrations() {
    return List::of;
  }

  private static final class TagResource extends LoadableResource {
    private final String filename;
    private final String path;
    private final String content;

    TagResource(String filename, String path, String content) {
      this.filename = filename;
      this.path = path;
      this.content = content;
    }

    @Override
    public Reader read() {
      return new StringReader(content);
    }

    @Override
    public String getAbsolutePath() {
      return path;
    }

    @Override
    public @Nullable String getAbsolutePathOnDisk() {
      return null;
    }

    @Override
    public String getFilename() {
      return filename;
    }

    @Override
    public String getRelativePath() {
      return filename;
    }
  }
}
