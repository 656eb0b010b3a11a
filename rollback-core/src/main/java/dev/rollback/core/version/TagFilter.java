package dev.rollback.core.version;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Chooses which tags count as versions: a glob ({@code v*}, {@code release-2024.*}) or a regular
 * expression.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface TagFilter {

  /**
   * @param tagName a tag's short name
   * @return whether it counts
   */
  boolean accepts(String tagName);

  /** @return a filter that accepts every tag */
  static TagFilter all() {
    return new TagFilter() {
      @Override
      public boolean accepts(String tagName) {
        return true;
      }

      @Override
      public String toString() {
        return "all tags";
      }
    };
  }

  /**
   * A glob as {@code git tag -l} takes it: {@code *} matches any run of characters (including
   * {@code /}), {@code ?} one character, {@code [abc]} one of a set; everything else literally.
   *
   * @param glob the pattern, e.g. {@code v1.*}
   * @return the filter
   * @throws RollbackException when the glob is blank
   */
  static TagFilter glob(String glob) {
    if (glob == null || glob.isBlank()) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "tag glob must not be blank, but was "
          + (glob == null ? "null" : "'" + glob + "'") + ": give e.g. \"v*\"");
    }
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        case '[' -> {
          int end = glob.indexOf(']', i + 1);
          if (end < 0) {
            re.append("\\[");
          } else {
            String set = glob.substring(i + 1, end).replace("\\", "\\\\");
            re.append('[').append(set.startsWith("!") ? "^" + set.substring(1) : set).append(']');
            i = end;
          }
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    Pattern p = Pattern.compile(re.toString());
    return new TagFilter() {
      @Override
      public boolean accepts(String tagName) {
        return p.matcher(tagName).matches();
      }

      @Override
      public String toString() {
        return "glob '" + glob + "'";
      }
    };
  }

  /**
   * @param regex a Java regular expression the whole tag name must match
   * @return the filter
   * @throws RollbackException naming the problem when the expression is invalid
   */
  static TagFilter regex(String regex) {
    Objects.requireNonNull(regex, "regex");
    Pattern p;
    try {
      p = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "tag regex '" + regex + "' is invalid: " + e.getDescription(), e);
    }
    return new TagFilter() {
      @Override
      public boolean accepts(String tagName) {
        return p.matcher(tagName).matches();
      }

      @Override
      public String toString() {
        return "regex '" + regex + "'";
      }
    };
  }
}
