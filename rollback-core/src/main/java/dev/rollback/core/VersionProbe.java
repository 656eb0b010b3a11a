package dev.rollback.core;

import dev.rollback.core.internal.HttpVersionProbe;
import dev.rollback.core.strategy.RollbackStrategy;
import java.net.URI;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads the version that is running now: an HTTP endpoint, the image a platform runs, or a fixed
 * value in tests. A plan may name two probes; they must agree before anything is touched.
 *
 * <pre>{@code
 * VersionProbe.http(URI.create("https://api.example.com/version"))              // plain text body
 * VersionProbe.httpJson(URI.create("https://api.example.com/info"), "/build/version")
 * VersionProbe.platform(kubernetesStrategy)                                      // the image tag it runs
 * }</pre>
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

  /** @return where the version comes from, for messages ("GET https://api/version") */
  default String source() {
    return getClass().getSimpleName().isEmpty() ? "version probe" : getClass().getSimpleName();
  }

  /**
   * @param version the version to report
   * @return a probe that always reports it
   */
  static VersionProbe fixed(String version) {
    Objects.requireNonNull(version, "version");
    return new VersionProbe() {
      @Override
      public String currentVersion() {
        return version;
      }

      @Override
      public String source() {
        return "fixed " + version;
      }
    };
  }

  /**
   * GET the URI; a 2xx answer's body, trimmed, is the version.
   *
   * @param uri the version endpoint
   * @return the probe
   */
  static VersionProbe http(URI uri) {
    return new HttpVersionProbe(uri, null);
  }

  /**
   * GET the URI; the text at a JSON pointer in a 2xx answer's body is the version.
   *
   * @param uri the endpoint
   * @param jsonPointer e.g. {@code /version} or {@code /build/tag}
   * @return the probe
   */
  static VersionProbe httpJson(URI uri, String jsonPointer) {
    return new HttpVersionProbe(uri, Objects.requireNonNull(jsonPointer, "jsonPointer"));
  }

  /**
   * The version a platform strategy reports it runs (the image tag of a Deployment, the release a
   * symlink points to).
   *
   * @param strategy the strategy
   * @return the probe
   */
  static VersionProbe platform(RollbackStrategy strategy) {
    Objects.requireNonNull(strategy, "strategy");
    return new VersionProbe() {
      @Override
      public String currentVersion() throws Exception {
        return strategy.inspect().currentVersion();
      }

      @Override
      public String source() {
        return "platform " + strategy.name();
      }
    };
  }

  /**
   * @param probe a probe
   * @return its source, or "version probe"
   */
  static String describe(@Nullable VersionProbe probe) {
    return probe == null ? "version probe" : probe.source();
  }
}
