package dev.rollback.host.internal;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The rules for a release folder name: what makes a version name hostile. */
public final class ReleaseNames {
  private ReleaseNames() {}

  /**
   * @param version a version name
   * @return why it cannot be a release folder name, or empty when it can
   */
  public static Optional<String> problem(@Nullable String version) {
    if (version == null) {
      return Optional.of("version must not be null: pass the release folder name, e.g. 'v1.2.9'");
    }
    String shown = "'" + version.replace("\n", "\\n").replace("\t", "\\t") + "'";
    if (version.isEmpty()) {
      return Optional.of("version must not be empty: pass the release folder name, e.g. 'v1.2.9'");
    }
    if (version.startsWith("/") || version.startsWith("\\") || (version.length() > 1 && version.charAt(1) == ':')) {
      return Optional.of("version " + shown + " is an absolute path: pass a release folder name under releases/, e.g. 'v1.2.9'");
    }
    if (version.contains("/") || version.contains("\\")) {
      return Optional.of("version " + shown + " contains a path separator: pass a single folder name under releases/, e.g. 'v1.2.9'");
    }
    if (version.contains("..")) {
      return Optional.of("version " + shown + " contains '..': a release name must not climb out of releases/");
    }
    if (version.startsWith(".")) {
      return Optional.of("version " + shown + " starts with '.': hidden names are reserved for temporary links; pass a name such as 'v1.2.9'");
    }
    for (int i = 0; i < version.length(); i++) {
      char c = version.charAt(i);
      if (Character.isISOControl(c) || Character.isWhitespace(c)) {
        return Optional.of("version " + shown + " contains whitespace or a control character at index " + i
            + ": release names are single words, e.g. 'v1.2.9'");
      }
    }
    if (FailedReleaseNames.isFailed(version)) {
      return Optional.of("version " + shown + " ends like a failed release kept for forensics (.failed-<yyyyMMdd-HHmmss>): it cannot be a rollback target");
    }
    if (version.length() > 255) {
      return Optional.of("version is " + version.length() + " characters long: a folder name holds at most 255");
    }
    return Optional.empty();
  }
}
