package dev.rollback.core;

import java.util.Objects;

/**
 * Reads the version that is running now (an HTTP endpoint, the image a platform runs, a fixed value
 * in tests).
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface VersionProbe {

  /**
   * @return the running version, e.g. {@code v1.3.0}
   * @throws Exception when the source cannot be read
   */
  String currentVersion() throws Exception;

  /**
   * @param version the version to report
   * @return a probe that always reports it
   */
  static VersionProbe fixed(String version) {
    Objects.requireNonNull(version, "version");
    return () -> version;
  }
}
