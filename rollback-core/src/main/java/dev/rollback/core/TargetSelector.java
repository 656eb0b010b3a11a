package dev.rollback.core;

import java.util.Objects;

/**
 * Picks the version to roll back to, once per run, when the run starts.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface TargetSelector {

  /**
   * @param selection what is known when the run starts
   * @return the target version
   * @throws Exception when no target can be chosen; the message says why
   */
  String select(Selection selection) throws Exception;

  /**
   * What a selector knows when it is asked.
   *
   * @param service the service
   * @param currentVersion the version running now
   */
  record Selection(String service, String currentVersion) {}

  /**
   * @param version the exact target, e.g. {@code v1.2.9}
   * @return a selector that always picks it
   */
  static TargetSelector exact(String version) {
    Objects.requireNonNull(version, "version");
    return new TargetSelector() {
      @Override
      public String select(Selection selection) {
        return version;
      }

      @Override
      public String toString() {
        return "exact(" + version + ")";
      }
    };
  }
}
