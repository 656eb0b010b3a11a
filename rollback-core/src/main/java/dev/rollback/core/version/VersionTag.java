package dev.rollback.core.version;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A version as the catalogue knows it: a git tag, peeled to the commit it names.
 *
 * @param name the tag's short name, e.g. {@code v1.2.9}
 * @param commit the full id of the commit the tag resolves to
 * @param annotated true for an annotated tag object, false for a lightweight tag
 * @param taggedAt when the tag was made (annotated tags; null when the tag has no tagger), or the
 *     commit's time (lightweight tags)
 * @since 0.1.0
 */
public record VersionTag(String name, String commit, boolean annotated, @Nullable Instant taggedAt) {
  /** Checks the components. */
  public VersionTag {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(commit, "commit");
  }
}
