package dev.rollback.db.internal;

import dev.rollback.db.MigrationRisk;
import dev.rollback.db.internal.SqlStatementSplitter.SqlStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sorts the statements of a migration script into {@link MigrationRisk} classes by their leading
 * keywords, on the masked form from {@link SqlStatementSplitter} (literals emptied, so keywords in
 * strings never count). It is a keyword classifier, not a parser: what it does not recognise is
 * UNKNOWN, never ADDITIVE.
 *
 * <p>The script's class is the worst of its statements: DESTRUCTIVE over UNKNOWN over ADDITIVE.
 * Each statement that is not plainly additive gives a reason with an excerpt and its line.
 */
public final class SqlRiskClassifier {
  private static final int EXCERPT = 90;
  private static final Pattern ALTER_TABLE =
      Pattern.compile("^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?(\"[^\"]+\"|[^ ]+) (.*)$");
  private static final Pattern WHERE = Pattern.compile("\\bWHERE\\b");

  private SqlRiskClassifier() {}

  /**
   * What the classifier concluded for a script.
   *
   * @param risk the worst class of its statements
   * @param reasons one line per statement that is not plainly additive, or for an empty script
   * @param statements how many statements it has
   */
  public record Classification(MigrationRisk risk, List<String> reasons, int statements) {
    /** Copies the list. */
    public Classification {
      reasons = List.copyOf(reasons);
    }
  }

  /**
   * @param sql the migration script
   * @return its class and the reasons
   */
  public static Classification classify(String sql) {
    SqlStatementSplitter.Result split = SqlStatementSplitter.split(sql);
    MigrationRisk worst = MigrationRisk.ADDITIVE;
    List<String> reasons = new ArrayList<>();
    if (split.problem() != null) {
      worst = MigrationRisk.UNKNOWN;
      reasons.add("UNKNOWN: the script cannot be split into statements (" + split.problem() + ")");
    }
    for (SqlStatement s : split.statements()) {
      Verdict v = statement(s);
      if (v.risk != MigrationRisk.ADDITIVE) {
        reasons.add(v.risk + ": " + v.why + " (line " + s.line() + ": " + excerpt(s.text()) + ")");
      }
      worst = worse(worst, v.risk);
    }
    if (split.statements().isEmpty() && split.problem() == null) {
      reasons.add("ADDITIVE: the script has no statements");
    }
    return new Classification(worst, reasons, split.statements().size());
  }

  private record Verdict(MigrationRisk risk, String why) {}

  private static Verdict additive(String why) {
    return new Verdict(MigrationRisk.ADDITIVE, why);
  }

  private static Verdict destructive(String why) {
    return new Verdict(MigrationRisk.DESTRUCTIVE, why);
  }

  private static Verdict unknown(String why) {
    return new Verdict(MigrationRisk.UNKNOWN, why);
  }

  static Verdict statement(SqlStatement s) {
    String m = s.masked().toUpperCase(Locale.ROOT);
    if (m.startsWith("DO ") || m.equals("DO") || m.startsWith("CALL ") || m.startsWith("EXECUTE ") || m.startsWith("BEGIN")
        || m.startsWith("DECLARE ")) {
      return unknown("procedural block or call: its effect cannot be read from keywords");
    }
    if (m.startsWith("CREATE ")) {
      return create(m, s);
    }
    if (m.startsWith("ALTER TABLE ")) {
      return alterTable(m);
    }
    if (m.startsWith("DROP INDEX ")) {
      return additive("drops an index: no data is lost");
    }
    if (m.startsWith("DROP ")) {
      return destructive(firstWords(m, 2) + " removes what the old version may use, with its data");
    }
    if (m.startsWith("TRUNCATE ")) {
      return destructive("TRUNCATE deletes every row");
    }
    if (m.startsWith("RENAME ")) {
      return destructive("RENAME breaks the old version's queries");
    }
    if (m.startsWith("DELETE ")) {
      return WHERE.matcher(m).find() ? unknown("DELETE with a WHERE clause removes some rows: review it")
          : destructive("DELETE without WHERE deletes every row");
    }
    if (m.startsWith("UPDATE ")) {
      return WHERE.matcher(m).find() ? unknown("UPDATE with a WHERE clause rewrites some rows: review it")
          : destructive("UPDATE without WHERE rewrites every row");
    }
    if (m.startsWith("INSERT ") || m.startsWith("COMMENT ON ") || m.startsWith("GRANT ") || m.startsWith("SET ")
        || m.startsWith("SELECT ") || m.startsWith("ANALYZE") || m.startsWith("VACUUM") || m.startsWith("REFRESH MATERIALIZED VIEW ")
        || m.startsWith("ALTER SEQUENCE ") || m.startsWith("ALTER INDEX ")) {
      return additive(firstWords(m, 2) + " changes no schema the old version uses");
    }
    if (m.startsWith("ALTER VIEW ") && m.contains(" RENAME ")) {
      return destructive("renaming a view breaks the old version's queries");
    }
    return unknown("not a statement the classifier knows");
  }

  private static Verdict create(String m, SqlStatement s) {
    if (m.matches("^CREATE (OR REPLACE )?(FUNCTION|PROCEDURE|TRIGGER|RULE|CONSTRAINT TRIGGER|EVENT TRIGGER|AGGREGATE)\\b.*")
        || s.dollarQuoted()) {
      return unknown("procedural code (" + firstWords(m, 3) + "): its effect cannot be read from keywords");
    }
    if (m.matches("^CREATE (GLOBAL |LOCAL )?(TEMPORARY |TEMP |UNLOGGED |CACHED |MEMORY )?TABLE\\b.*")
        || m.matches("^CREATE (UNIQUE )?INDEX\\b.*")
        || m.matches("^CREATE (OR REPLACE )?(FORCE )?(TEMP |TEMPORARY |RECURSIVE )?(MATERIALIZED )?VIEW\\b.*")
        || m.matches("^CREATE (SEQUENCE|SCHEMA|TYPE|DOMAIN|EXTENSION|ROLE|USER|ALIAS|SYNONYM|COLLATION|STATISTICS)\\b.*")) {
      return additive("creates something new");
    }
    return unknown("not a CREATE the classifier knows (" + firstWords(m, 3) + ")");
  }

  private static Verdict alterTable(String m) {
    Matcher t = ALTER_TABLE.matcher(m);
    if (!t.matches()) {
      return unknown("ALTER TABLE without a table name");
    }
    String rest = t.group(2);
    MigrationRisk worst = MigrationRisk.ADDITIVE;
    List<String> whys = new ArrayList<>();
    for (String action : topLevelCommas(rest)) {
      Verdict v = alterAction(action.trim());
      if (v.risk != MigrationRisk.ADDITIVE) {
        whys.add(v.why);
      }
      worst = worse(worst, v.risk);
    }
    return new Verdict(worst, whys.isEmpty() ? "adds to the table" : String.join("; ", whys));
  }

  private static Verdict alterAction(String a) {
    if (a.startsWith("RENAME ")) {
      return destructive("RENAME breaks the old version's queries");
    }
    if (a.startsWith("DROP CONSTRAINT ") || a.startsWith("DROP PRIMARY KEY") || a.startsWith("DROP INDEX ")) {
      return additive("relaxes a constraint");
    }
    if (a.startsWith("DROP ")) {
      return destructive("DROP COLUMN deletes the column's data");
    }
    if (a.startsWith("ADD CONSTRAINT ") || a.startsWith("ADD PRIMARY KEY") || a.startsWith("ADD FOREIGN KEY") || a.startsWith("ADD UNIQUE")
        || a.startsWith("ADD CHECK") || a.startsWith("ADD INDEX") || a.startsWith("ADD KEY")) {
      return unknown("adds a constraint that the old version's writes may violate: review it");
    }
    if (a.startsWith("ADD ")) {
      boolean notNull = a.contains(" NOT NULL") || a.contains(" PRIMARY KEY");
      boolean defaulted = a.contains(" DEFAULT ") || a.endsWith(" DEFAULT") || a.contains(" SERIAL") || a.contains(" GENERATED ")
          || a.contains(" AUTO_INCREMENT") || a.contains(" IDENTITY");
      return notNull && !defaulted ? destructive("a NOT NULL column without a default breaks the old version's inserts")
          : additive("adds a nullable or defaulted column");
    }
    if (a.startsWith("ALTER ") || a.startsWith("MODIFY ")) {
      String c = a.replaceFirst("^(ALTER|MODIFY) (COLUMN )?(\"[^\"]+\"|[^ ]+) ?", "");
      if (c.startsWith("SET NOT NULL")) {
        return destructive("SET NOT NULL breaks the old version's inserts that leave it empty");
      }
      if (c.startsWith("DROP NOT NULL") || c.startsWith("SET DEFAULT") || c.startsWith("DROP DEFAULT") || c.startsWith("SET STATISTICS")
          || c.startsWith("SET STORAGE") || c.startsWith("RESTART") || c.startsWith("SET NULL") || c.startsWith("SET VISIBLE")
          || c.startsWith("SELECTIVITY")) {
        return additive("relaxes or tunes a column");
      }
      if (c.startsWith("RENAME")) {
        return destructive("RENAME breaks the old version's queries");
      }
      if (c.startsWith("TYPE ") || c.startsWith("SET DATA TYPE ") || !c.startsWith("SET ")) {
        return destructive("changing a column's type can narrow or rewrite its data");
      }
      return unknown("ALTER COLUMN " + firstWords(c, 2) + " is not known to the classifier");
    }
    if (a.startsWith("OWNER TO") || a.startsWith("SET (") || a.startsWith("ENABLE ") || a.startsWith("CLUSTER ")) {
      return additive("changes table settings only");
    }
    return unknown("ALTER TABLE " + firstWords(a, 2) + " is not known to the classifier");
  }

  private static List<String> topLevelCommas(String s) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(s.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(s.substring(start));
    return parts;
  }

  static MigrationRisk worse(MigrationRisk a, MigrationRisk b) {
    return a.ordinal() >= b.ordinal() ? a : b;
  }

  private static String firstWords(String m, int n) {
    String[] w = m.split(" ");
    return String.join(" ", java.util.Arrays.copyOf(w, Math.min(n, w.length)));
  }

  /**
   * @param text a statement
   * @return its first characters on one line, for a reason
   */
  public static String excerpt(String text) {
    String one = text.replaceAll("\\s+", " ").trim();
    return one.length() <= EXCERPT ? one : one.substring(0, EXCERPT - 1) + "…";
  }
}
