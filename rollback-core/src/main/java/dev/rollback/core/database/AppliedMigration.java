package dev.rollback.core.database;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One migration a database has applied.
 *
 * @param scope where the version lives when the tool has several sequences (a Django app), or
 *     {@code ""}
 * @param version the migration's version or name, e.g. {@code 3}, {@code 20240105120000}, {@code
 *     0003_add_email}
 * @param description what the migration does, or {@code ""} when the tool does not say
 * @param appliedAt when it was applied, if the tool records it
 * @since 0.1.0
 */
public record AppliedMigration(String scope, String version, String description, @Nullable Instant appliedAt) {
  /** Checks the components. */
  public AppliedMigration {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(description, "description");
  }
}
