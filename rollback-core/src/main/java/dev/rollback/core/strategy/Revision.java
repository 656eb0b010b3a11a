package dev.rollback.core.strategy;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a platform's history: a ReplicaSet revision, a Swarm spec, a release folder.
 *
 * @param id the platform's id for it ("3", a folder name)
 * @param version the application version it ran
 * @param createdAt when it was created, if known
 * @param details extra facts (change cause, image)
 * @since 0.1.0
 */
public record Revision(String id, String version, @Nullable Instant createdAt, Map<String, String> details) {
  /** Checks and copies the components. */
  public Revision {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(version, "version");
    details = Map.copyOf(details);
  }
}
