package dev.rollback.db.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks the table names and prefixes that go into SQL text (they cannot be bind parameters), and
 * quotes framework table names the way the frameworks created them.
 */
public final class JdbcIdentifiers {
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,39}");
  private static final Pattern PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  private JdbcIdentifiers() {}

  /**
   * @param prefix a table prefix
   * @return the problem with it, or null when it is fine
   */
  public static @Nullable String prefixProblem(@Nullable String prefix) {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      return "tablePrefix must be 1 to 40 letters, digits or '_', not starting with a digit, but was '" + prefix
          + "': e.g. rollback_";
    }
    return null;
  }

  /**
   * @param what the setting, for the message
   * @param name a table name, optionally qualified by a schema ({@code ops.schema_migrations})
   * @return the problem with it, or null when it is fine
   */
  public static @Nullable String tableProblem(String what, @Nullable String name) {
    if (name != null) {
      String[] parts = name.split("\\.", -1);
      if (parts.length <= 2 && java.util.Arrays.stream(parts).allMatch(p -> PART.matcher(p).matches())) {
        return null;
      }
    }
    return what + " must be a table name (letters, digits, '_'), optionally qualified by a schema as schema.table, but was '" + name + "'";
  }

  /**
   * Quotes one identifier the SQL-standard way (double quotes, inner ones doubled), keeping its case;
   * for names read from the database's own catalogue.
   *
   * @param identifier a schema, table or column name
   * @return it double-quoted
   */
  public static String doubleQuoted(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /**
   * Quotes a (possibly schema-qualified) name with the database's quote character, keeping its
   * case: the frameworks create their tables with quoted names ({@code "SequelizeMeta"}).
   *
   * @param c a connection to the database
   * @param name a name checked by {@link #tableProblem}
   * @return the quoted name
   * @throws SQLException when the metadata cannot be read
   */
  public static String quoted(Connection c, String name) throws SQLException {
    String q = c.getMetaData().getIdentifierQuoteString();
    if (q == null || q.isBlank()) {
      return name;
    }
    q = q.strip();
    StringBuilder sb = new StringBuilder();
    for (String part : name.split("\\.")) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(q).append(part).append(q);
    }
    return sb.toString();
  }
}
