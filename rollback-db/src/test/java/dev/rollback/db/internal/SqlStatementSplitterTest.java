package dev.rollback.db.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.db.internal.SqlStatementSplitter.SqlStatement;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlStatementSplitterTest {

  private static List<String> texts(String sql) {
    return SqlStatementSplitter.split(sql).statements().stream().map(SqlStatement::text).toList();
  }

  @Test
  void splitsAtTopLevelSemicolonsAndDropsEmptyStatements() {
    assertThat(texts("CREATE TABLE a (id INT);\n\n;  DROP TABLE b;\nSELECT 1")).containsExactly(
        "CREATE TABLE a (id INT)", "DROP TABLE b", "SELECT 1");
  }

  @Test
  void semicolonsInStringsIdentifiersAndCommentsDoNotSplitAndLeadingCommentsBelongToNoStatement() {
    String sql = "INSERT INTO t VALUES ('a;b', 'it''s; fine');\n"
        + "CREATE TABLE \"odd;name\" (id INT); -- a comment; still a comment\n"
        + "/* block; /* nested; */ still comment; */ SELECT E'x\\';y' FROM t;";
    assertThat(texts(sql)).containsExactly(
        "INSERT INTO t VALUES ('a;b', 'it''s; fine')",
        "CREATE TABLE \"odd;name\" (id INT)",
        "SELECT E'x\\';y' FROM t");
  }

  @Test
  void dollarQuotedBodiesStayWholeAndAreMarked() {
    String sql = "CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql;\n"
        + "DO $$ BEGIN PERFORM 1; END $$;\nSELECT $1";
    List<SqlStatement> s = SqlStatementSplitter.split(sql).statements();
    assertThat(s).extracting(SqlStatement::masked).containsExactly(
        "CREATE FUNCTION f() RETURNS int AS $$ LANGUAGE plpgsql", "DO $$", "SELECT $1");
    assertThat(s).extracting(SqlStatement::dollarQuoted).containsExactly(true, true, false);
  }

  @Test
  void theMaskedFormEmptiesLiteralsSoTheirKeywordsNeverCount() {
    SqlStatement s = SqlStatementSplitter.split("INSERT INTO t VALUES ('DROP TABLE orders')").statements().get(0);
    assertThat(s.masked()).isEqualTo("INSERT INTO t VALUES ('')");
  }

  @Test
  void statementsKnowTheirLineWithoutALeadingComment() {
    List<SqlStatement> s = SqlStatementSplitter.split("-- header\n/* note */\nCREATE TABLE a (id INT);\n\nDROP TABLE b;").statements();
    assertThat(s).extracting(SqlStatement::line).containsExactly(3, 5);
    assertThat(s.get(0).text()).isEqualTo("CREATE TABLE a (id INT)");
  }

  @Test
  void anUnterminatedQuoteIsAProblemNotASilentSplit() {
    SqlStatementSplitter.Result r = SqlStatementSplitter.split("SELECT 1;\nINSERT INTO t VALUES ('open; DROP TABLE x;");
    assertThat(r.problem()).isEqualTo("unterminated string starting on line 2");
    assertThat(r.statements()).hasSize(2);
  }

  @Test
  void unterminatedCommentsAndDollarQuotesAreProblemsToo() {
    assertThat(SqlStatementSplitter.split("/* open").problem()).startsWith("unterminated block comment");
    assertThat(SqlStatementSplitter.split("DO $x$ BEGIN").problem()).isEqualTo("unterminated dollar quote $x$ starting on line 1");
  }
}
