package dev.rollback.core.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Fixed, locale-independent formatting and escaping for the incident report's renderings. */
final class ReportText {
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HOUR_MINUTE = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  private ReportText() {}

  /** {@code 2026-11-28 09:31:00 UTC} */
  static String dateTime(Instant at) {
    return DATE_TIME.format(at) + " UTC";
  }

  /** {@code 09:31:00} */
  static String time(Instant at) {
    return TIME.format(at);
  }

  /** {@code 09:31} */
  static String hourMinute(Instant at) {
    return HOUR_MINUTE.format(at);
  }

  /** {@code +00:09:10}, or {@code -00:00:05} before the start. */
  static String offset(Duration d) {
    long s = d.getSeconds();
    String sign = s < 0 ? "-" : "+";
    s = Math.abs(s);
    return String.format(Locale.ROOT, "%s%02d:%02d:%02d", sign, s / 3600, (s % 3600) / 60, s % 60);
  }

  /** {@code 1 h 2 min 5 s}, {@code 9 min 10 s}, {@code 850 ms}. */
  static String duration(Duration d) {
    if (d.isNegative()) {
      return "-" + duration(d.negated());
    }
    long total = d.getSeconds();
    if (total == 0) {
      return d.toMillis() + " ms";
    }
    long h = total / 3600;
    long m = (total % 3600) / 60;
    long s = total % 60;
    StringBuilder sb = new StringBuilder();
    if (h > 0) {
      sb.append(h).append(" h");
    }
    if (m > 0) {
      sb.append(sb.length() > 0 ? " " : "").append(m).append(" min");
    }
    if (s > 0) {
      sb.append(sb.length() > 0 ? " " : "").append(s).append(" s");
    }
    return sb.toString();
  }

  /** A number with at most {@code decimals} decimals, no exponent, no trailing zeros, Locale.ROOT. */
  static String number(double v, int decimals) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return String.valueOf(v);
    }
    BigDecimal bd = BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros();
    String s = bd.toPlainString();
    return s.equals("-0") ? "0" : s;
  }

  /** A number for people: up to 4 decimals. */
  static String number(double v) {
    return number(v, 4);
  }

  /** Escapes text for HTML element content and attribute values. */
  static String html(@Nullable String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&':
          sb.append("&amp;");
          break;
        case '<':
          sb.append("&lt;");
          break;
        case '>':
          sb.append("&gt;");
          break;
        case '"':
          sb.append("&quot;");
          break;
        case '\'':
          sb.append("&#39;");
          break;
        default:
          sb.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
      }
    }
    return sb.toString();
  }

  /**
   * Escapes text for inline Markdown: HTML-significant characters become entities (so a message
   * with {@code <script>} shows as text), Markdown punctuation is backslash-escaped, line breaks
   * become spaces (one line per item or cell).
   */
  static String md(@Nullable String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&':
          sb.append("&amp;");
          break;
        case '<':
          sb.append("&lt;");
          break;
        case '>':
          sb.append("&gt;");
          break;
        case '\\':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '|':
        case '#':
        case '~':
          sb.append('\\').append(c);
          break;
        case '\r':
          break;
        case '\n':
          sb.append(' ');
          break;
        default:
          sb.append(c < 0x20 && c != '\t' ? ' ' : c);
      }
    }
    return sb.toString();
  }

  /** Escaped Markdown, or the placeholder in italics when the text is missing. */
  static String mdOr(@Nullable String s, String placeholder) {
    return s == null || s.isBlank() ? "_" + placeholder + "_" : md(s);
  }
}
