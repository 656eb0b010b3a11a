package dev.rollback.core;

import java.util.Objects;

/**
 * A typed name for a fact that steps share through {@link StepContext#put(Key, Object)} and
 * {@link StepContext#get(Key)}.
 *
 * <p>Values put by a step are written to the journal with the step's completion (as JSON), so a
 * resumed run that skips the step still sees them. Values that Jackson cannot write, and {@link
 * Secret}s (whose JSON form is redacted), are kept in memory only, and a warning says so.
 *
 * <pre>{@code
 * static final Key<String> BACKUP = Key.of("db.backup", String.class);
 * }</pre>
 *
 * @param name unique name of the fact
 * @param type the value's type
 * @param <T> the value's type
 * @since 0.1.0
 */
public record Key<T>(String name, Class<T> type) {
  /** Checks the components. */
  public Key {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (name.isBlank()) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "key name must not be blank");
    }
  }

  /**
   * Creates a key.
   *
   * @param name unique name of the fact
   * @param type the value's type
   * @param <T> the value's type
   * @return the key
   */
  public static <T> Key<T> of(String name, Class<T> type) {
    return new Key<>(name, type);
  }
}
