package dev.rollback.db;

import dev.rollback.core.Secret;
import java.util.Locale;
import java.util.UUID;

/** In-memory H2 databases that live until the JVM exits, one per call. */
final class H2ConnectionSources {
  private H2ConnectionSources() {}

  /** @return a source for a new, empty H2 database */
  static ConnectionSource fresh() {
    return fresh("");
  }

  /**
   * @param mode extra URL settings, e.g. {@code ;MODE=PostgreSQL}
   * @return a source for a new, empty H2 database
   */
  static ConnectionSource fresh(String mode) {
    String name = "rb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    return ConnectionSource.of("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1" + mode, "sa", Secret.of("h2-test-password"));
  }
}
