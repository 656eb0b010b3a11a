package dev.rollback.host.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Names of failed releases kept for forensics: {@code <version>.failed-<yyyyMMdd-HHmmss>} in UTC. */
public final class FailedReleaseNames {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final Pattern FAILED = Pattern.compile("^(.+)\\.failed-(\\d{8}-\\d{6})$");

  private FailedReleaseNames() {}

  /**
   * @param version the release that failed
   * @param at when it was marked failed
   * @return its new folder name
   */
  public static String of(String version, Instant at) {
    return version + ".failed-" + STAMP.format(LocalDateTime.ofInstant(at, ZoneOffset.UTC));
  }

  /**
   * @param name a folder name
   * @return whether it names a failed release
   */
  public static boolean isFailed(String name) {
    return FAILED.matcher(name).matches();
  }

  /**
   * @param name a failed release's folder name
   * @return when it was marked failed, if the name says so
   */
  public static Optional<Instant> failedAt(String name) {
    Matcher m = FAILED.matcher(name);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDateTime.parse(m.group(2), STAMP).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * @param name a failed release's folder name
   * @return the version it held
   */
  public static Optional<String> versionOf(String name) {
    Matcher m = FAILED.matcher(name);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
