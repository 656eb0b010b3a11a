package dev.rollback.core.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Makes run ids that people can read and that are safe as file names, and checks given ones. */
public final class RunIds {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private RunIds() {}

  /**
   * @param service the service
   * @param now the run's start
   * @return e.g. {@code checkout-api-20261128-091500-3fa9c2d1}
   */
  public static String next(String service, Instant now) {
    byte[] b = new byte[4];
    RANDOM.nextBytes(b);
    return service + "-" + STAMP.format(now) + "-" + HexFormat.of().formatHex(b);
  }

  /**
   * @param what what the id names, for the message
   * @param id an id
   * @return the id
   * @throws RollbackException when it is not safe as a file name
   */
  public static String requireSafe(String what, String id) {
    if (id == null || !SAFE.matcher(id).matches()) {
      throw new RollbackException(
          ErrorCode.INVALID_CONFIGURATION,
          what + " must be 1-200 characters of letters, digits, '.', '_' or '-', starting with a letter or digit, but was "
              + (id == null ? "null" : "'" + id + "'"));
    }
    return id;
  }

  /**
   * @param id an id
   * @return whether it is safe
   */
  public static boolean isSafe(String id) {
    return id != null && SAFE.matcher(id).matches();
  }
}
