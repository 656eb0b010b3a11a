package dev.rollback.db.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Splits a SQL script into statements at top-level semicolons, honestly and no further: it knows
 * single-quoted strings (with {@code ''} and, after {@code E}, backslash escapes), double-quoted
 * identifiers, PostgreSQL dollar quotes ({@code $$ … $$}, {@code $tag$ … $tag$}), {@code --} line
 * comments and nested block comments. It is not a parser.
 *
 * <p>Limits: MySQL's {@code DELIMITER} and backtick quoting, SQL Server's {@code GO}, Oracle's
 * {@code /} terminator and PL/SQL blocks without dollar quotes are not understood (a procedural
 * body whose inner semicolons are not dollar-quoted is split into fragments, which the classifier
 * then reports as UNKNOWN). Flyway placeholders ({@code ${name}}) are not replaced.
 *
 * <p>Each statement comes in three forms: the original text (for running it), the code without
 * comments, and a masked form for keyword matching where string and dollar-quoted contents are
 * emptied ({@code 'DROP TABLE x'} becomes {@code ''}), so that keywords inside literals never count.
 */
public final class SqlStatementSplitter {
  private SqlStatementSplitter() {}

  /**
   * One statement of a script.
   *
   * @param text the statement as written (comments kept, trimmed, without the closing semicolon)
   * @param masked the code without comments, literals emptied, whitespace collapsed to one space
   * @param line the 1-based line where the statement starts
   * @param dollarQuoted whether it holds a dollar-quoted body (a function or a {@code DO} block)
   */
  public record SqlStatement(String text, String masked, int line, boolean dollarQuoted) {
    /** Checks the components. */
    public SqlStatement {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(masked, "masked");
    }
  }

  /**
   * The statements of a script, and the first problem met (an unterminated quote or comment), if
   * any; after a problem the rest of the script is one last statement.
   *
   * @param statements the statements, in order; blank and comment-only ones are left out
   * @param problem what could not be read, or null
   */
  public record Result(List<SqlStatement> statements, @Nullable String problem) {
    /** Copies the list. */
    public Result {
      statements = List.copyOf(statements);
    }
  }

  /**
   * @param sql the script
   * @return its statements
   */
  public static Result split(String sql) {
    List<SqlStatement> out = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    StringBuilder masked = new StringBuilder();
    String problem = null;
    int line = 1;
    int startLine = 1;
    boolean dollar = false;
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      char next = i + 1 < n ? sql.charAt(i + 1) : '\0';
      if (text.length() == 0 && Character.isWhitespace(c)) {
        if (c == '\n') {
          line++;
        }
        i++;
        continue;
      }
      if (text.length() == 0) {
        startLine = line;
      }
      if (c == '-' && next == '-') {
        int end = sql.indexOf('\n', i);
        end = end < 0 ? n : end;
        if (text.length() > 0) { // a comment before a statement belongs to none
          text.append(sql, i, end);
        }
        masked.append(' ');
        i = end;
      } else if (c == '/' && next == '*') {
        int depth = 0;
        int j = i;
        while (j < n) {
          if (sql.startsWith("/*", j)) {
            depth++;
            j += 2;
          } else if (sql.startsWith("*/", j)) {
            depth--;
            j += 2;
            if (depth == 0) {
              break;
            }
          } else {
            j++;
          }
        }
        if (depth != 0) {
          problem = problem == null ? "unterminated block comment starting on line " + line : problem;
        }
        line += count(sql, i, j, '\n');
        if (text.length() > 0) {
          text.append(sql, i, j);
        }
        masked.append(' ');
        i = j;
      } else if (c == '\'') {
        boolean backslash = i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
            && (i < 2 || !Character.isLetterOrDigit(sql.charAt(i - 2)) && sql.charAt(i - 2) != '_');
        int j = i + 1;
        boolean closed = false;
        while (j < n) {
          char d = sql.charAt(j);
          if (backslash && d == '\\') {
            j += 2;
          } else if (d == '\'') {
            if (j + 1 < n && sql.charAt(j + 1) == '\'') {
              j += 2;
            } else {
              j++;
              closed = true;
              break;
            }
          } else {
            j++;
          }
        }
        if (!closed) {
          problem = problem == null ? "unterminated string starting on line " + line : problem;
          j = n;
        }
        line += count(sql, i, j, '\n');
        text.append(sql, i, j);
        masked.append("''");
        i = j;
      } else if (c == '"') {
        int j = sql.indexOf('"', i + 1);
        while (j > 0 && j + 1 < n && sql.charAt(j + 1) == '"') {
          j = sql.indexOf('"', j + 2);
        }
        if (j < 0) {
          problem = problem == null ? "unterminated quoted identifier starting on line " + line : problem;
          j = n - 1;
        }
        line += count(sql, i, j + 1, '\n');
        text.append(sql, i, j + 1);
        masked.append(sql, i, j + 1);
        i = j + 1;
      } else if (c == '$' && dollarTag(sql, i) != null) {
        String tag = dollarTag(sql, i);
        int end = sql.indexOf(tag, i + tag.length());
        int j = end < 0 ? n : end + tag.length();
        if (end < 0) {
          problem = problem == null ? "unterminated dollar quote " + tag + " starting on line " + line : problem;
        }
        line += count(sql, i, j, '\n');
        text.append(sql, i, j);
        masked.append("$$");
        dollar = true;
        i = j;
      } else if (c == ';') {
        flush(out, text, masked, startLine, dollar);
        dollar = false;
        i++;
      } else {
        if (c == '\n') {
          line++;
        }
        text.append(c);
        masked.append(Character.isWhitespace(c) ? ' ' : c);
        i++;
      }
    }
    flush(out, text, masked, startLine, dollar);
    return new Result(out, problem);
  }

  private static void flush(List<SqlStatement> out, StringBuilder text, StringBuilder masked, int line, boolean dollar) {
    String m = masked.toString().replaceAll("\\s+", " ").trim();
    if (!m.isEmpty()) {
      out.add(new SqlStatement(text.toString().trim(), m, line, dollar));
    }
    text.setLength(0);
    masked.setLength(0);
  }

  /** @return the dollar-quote tag starting at {@code i} ({@code $$} or {@code $name$}), or null */
  private static @Nullable String dollarTag(String sql, int i) {
    if (i > 0) {
      char before = sql.charAt(i - 1);
      if (Character.isLetterOrDigit(before) || before == '_' || before == '$') {
        return null; // part of an identifier such as a$b, or a positional parameter $1
      }
    }
    int j = i + 1;
    while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
      if (j == i + 1 && Character.isDigit(sql.charAt(j))) {
        return null; // $1 is a parameter, not a tag
      }
      j++;
    }
    return j < sql.length() && sql.charAt(j) == '$' ? sql.substring(i, j + 1) : null;
  }

  private static int count(String s, int from, int to, char c) {
    int k = 0;
    for (int i = from; i < Math.min(to, s.length()); i++) {
      if (s.charAt(i) == c) {
        k++;
      }
    }
    return k;
  }
}
