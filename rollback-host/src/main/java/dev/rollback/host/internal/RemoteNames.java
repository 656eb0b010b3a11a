package dev.rollback.host.internal;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Validation of the values that end up on remote command lines: versions, paths, users, hosts. */
public final class RemoteNames {
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]{0,31}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:-]{0,252}");

  private RemoteNames() {}

  /**
   * @param version a version name
   * @return null when it is a safe folder name, else the problem
   */
  public static @Nullable String versionProblem(@Nullable String version) {
    if (version == null || !VERSION.matcher(version).matches() || version.equals(".") || version.equals("..")) {
      return "version " + show(version) + " is not a release folder name: it must be 1-128 letters, digits, '.', '_' or '-', "
          + "starting with a letter or digit (no '/', no '..', no spaces or shell characters)";
    }
    if (version.contains("..")) {
      return "version " + show(version) + " must not contain '..'";
    }
    return null;
  }

  /**
   * @param path an absolute remote path
   * @return null when it is absolute and every segment is safe, else the problem
   */
  public static @Nullable String pathProblem(@Nullable String path) {
    if (path == null || path.isEmpty()) {
      return "must be an absolute path, but was " + show(path);
    }
    if (!path.startsWith("/")) {
      return "must be an absolute path, but was " + show(path);
    }
    if (path.equals("/")) {
      return "must not be the root folder '/'";
    }
    String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    for (String seg : trimmed.substring(1).split("/", -1)) {
      if (seg.isEmpty() || seg.equals(".") || seg.equals("..") || !SEGMENT.matcher(seg).matches()) {
        return "must be an absolute path of letters, digits, '.', '_' and '-' without empty, '.' or '..' segments, but was "
            + show(path);
      }
    }
    return null;
  }

  /**
   * @param path a valid absolute path
   * @return it without a trailing slash
   */
  public static String normalize(String path) {
    return path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
  }

  /**
   * @param user a login name
   * @return whether it is a plain login name
   */
  public static boolean isUser(String user) {
    return USER.matcher(user).matches();
  }

  /**
   * @param host a host name or address
   * @return whether it is a plain host name or address
   */
  public static boolean isHostName(String host) {
    return HOST.matcher(host).matches();
  }

  /**
   * @param value any value
   * @return it quoted for a message, with control characters escaped
   */
  public static String show(@Nullable String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder("'");
    for (char c : value.toCharArray()) {
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('\'').toString();
  }
}
