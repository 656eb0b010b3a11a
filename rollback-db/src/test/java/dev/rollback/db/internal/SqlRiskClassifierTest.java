package dev.rollback.db.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.db.MigrationRisk;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SqlRiskClassifierTest {

  @ParameterizedTest(name = "{0} is ADDITIVE")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "CREATE TABLE audit (id INT PRIMARY KEY)",
      "create unique index idx on t (a)",
      "CREATE INDEX CONCURRENTLY idx ON t (a)",
      "CREATE OR REPLACE VIEW v AS SELECT 1",
      "CREATE MATERIALIZED VIEW mv AS SELECT 1",
      "CREATE SEQUENCE s",
      "ALTER TABLE t ADD COLUMN note VARCHAR(200)",
      "ALTER TABLE t ADD note TEXT NULL",
      "ALTER TABLE t ADD COLUMN flag BOOLEAN NOT NULL DEFAULT false",
      "ALTER TABLE t ALTER COLUMN a DROP NOT NULL",
      "ALTER TABLE t ALTER COLUMN a SET DEFAULT 0",
      "ALTER TABLE t DROP CONSTRAINT t_a_check",
      "DROP INDEX idx",
      "INSERT INTO t VALUES (1)",
      "COMMENT ON TABLE t IS 'x'",
      "GRANT SELECT ON t TO app"})
  void additive(String sql) {
    assertThat(SqlRiskClassifier.classify(sql).risk()).isEqualTo(MigrationRisk.ADDITIVE);
  }

  @ParameterizedTest(name = "{0} is DESTRUCTIVE")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "DROP TABLE orders|DROP TABLE removes",
      "drop view v|DROP VIEW removes",
      "ALTER TABLE orders DROP COLUMN legacy|DROP COLUMN deletes",
      "ALTER TABLE orders RENAME TO orders_old|RENAME breaks",
      "ALTER TABLE orders RENAME COLUMN a TO b|RENAME breaks",
      "ALTER TABLE orders ALTER COLUMN a RENAME TO b|RENAME breaks",
      "TRUNCATE orders|TRUNCATE deletes every row",
      "DELETE FROM orders|DELETE without WHERE",
      "UPDATE orders SET a = 1|UPDATE without WHERE",
      "ALTER TABLE orders ALTER COLUMN a TYPE VARCHAR(10)|changing a column's type",
      "ALTER TABLE orders ALTER COLUMN a SET DATA TYPE SMALLINT|changing a column's type",
      "ALTER TABLE orders ALTER COLUMN a VARCHAR(10)|changing a column's type",
      "ALTER TABLE orders ALTER COLUMN a SET NOT NULL|SET NOT NULL",
      "ALTER TABLE orders ADD COLUMN b INT NOT NULL|NOT NULL column without a default",
      "ALTER TABLE orders ADD COLUMN ok INT, DROP COLUMN gone|DROP COLUMN deletes"})
  void destructive(String sql, String why) {
    SqlRiskClassifier.Classification c = SqlRiskClassifier.classify(sql);
    assertThat(c.risk()).isEqualTo(MigrationRisk.DESTRUCTIVE);
    assertThat(c.reasons()).singleElement().asString().startsWith("DESTRUCTIVE: ").contains(why).contains("(line 1: " + sql + ")");
  }

  @ParameterizedTest(name = "{0} is UNKNOWN")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "DO $$ BEGIN PERFORM 1; END $$|procedural block",
      "CREATE FUNCTION f() RETURNS INT AS $$ SELECT 1 $$ LANGUAGE sql|procedural code",
      "CREATE TRIGGER t BEFORE INSERT ON o FOR EACH ROW EXECUTE FUNCTION f()|procedural code",
      "CALL archive_orders()|procedural block or call",
      "DELETE FROM orders WHERE id < 10|DELETE with a WHERE clause",
      "UPDATE orders SET a = 1 WHERE b = 2|UPDATE with a WHERE clause",
      "ALTER TABLE orders ADD CONSTRAINT c CHECK (a > 0)|adds a constraint",
      "MERGE INTO t USING s ON (t.id = s.id) WHEN MATCHED THEN DELETE|not a statement the classifier knows"})
  void unknown(String sql, String why) {
    SqlRiskClassifier.Classification c = SqlRiskClassifier.classify(sql);
    assertThat(c.risk()).isEqualTo(MigrationRisk.UNKNOWN);
    assertThat(c.reasons()).singleElement().asString().startsWith("UNKNOWN: ").contains(why);
  }

  @Test
  void aScriptTakesTheWorstClassOfItsStatementsAndGivesAReasonPerRiskyOne() {
    SqlRiskClassifier.Classification c = SqlRiskClassifier.classify(
        "CREATE TABLE a (id INT);\nUPDATE a SET id = 2 WHERE id = 1;\n-- gone\nDROP TABLE b;");
    assertThat(c.risk()).isEqualTo(MigrationRisk.DESTRUCTIVE);
    assertThat(c.statements()).isEqualTo(3);
    assertThat(c.reasons()).containsExactly(
        "UNKNOWN: UPDATE with a WHERE clause rewrites some rows: review it (line 2: UPDATE a SET id = 2 WHERE id = 1)",
        "DESTRUCTIVE: DROP TABLE removes what the old version may use, with its data (line 4: DROP TABLE b)");
  }

  @Test
  void keywordsInsideStringsDoNotCount() {
    assertThat(SqlRiskClassifier.classify("INSERT INTO notes VALUES ('DROP TABLE orders; TRUNCATE x')").risk())
        .isEqualTo(MigrationRisk.ADDITIVE);
  }

  @Test
  void anUnsplittableScriptIsUnknownAndAnEmptyOneAdditive() {
    SqlRiskClassifier.Classification broken = SqlRiskClassifier.classify("CREATE TABLE a (note TEXT DEFAULT 'open);");
    assertThat(broken.risk()).isEqualTo(MigrationRisk.UNKNOWN);
    assertThat(broken.reasons().get(0)).contains("cannot be split into statements (unterminated string starting on line 1)");
    assertThat(SqlRiskClassifier.classify("-- nothing here\n").reasons()).containsExactly("ADDITIVE: the script has no statements");
  }
}
