package dev.rollback.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * A real git repository, made with JGit, whose {@code db/migration} folder grows over three tagged
 * releases:
 *
 * <ul>
 *   <li>{@code v1.0.0}: V1 creates {@code orders} (with {@code legacy_code}), V2 creates {@code
 *       customers} and inserts one, R__order_summary creates a view.
 *   <li>{@code v1.1.0}: V3 adds the nullable column {@code orders.note} and an index (with
 *       U3), R__order_summary changes (additive).
 *   <li>{@code v1.2.0}: V4 drops {@code orders.legacy_code} (destructive, with U4), V5 creates
 *       {@code audit} (additive, with U5).
 * </ul>
 */
final class MigrationRepo {
  /** What the repository holds besides the default. */
  enum Variant {
    /** Every V3+ migration has an undo script. */
    WITH_UNDO,
    /** No undo scripts at all. */
    WITHOUT_UNDO,
    /** U4 fails half-way (after a statement that succeeds). */
    BROKEN_UNDO
  }

  static final String V1 = "CREATE TABLE orders (\n  id INT PRIMARY KEY,\n  customer VARCHAR(100),\n  legacy_code VARCHAR(20)\n);\n";
  static final String V2 = "-- customers; the ';' in this comment does not split\nCREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100));\n"
      + "INSERT INTO customers VALUES (1, 'DROP TABLE orders; -- not a statement');\n";
  static final String R1 = "CREATE OR REPLACE VIEW order_summary AS SELECT id, customer FROM orders;\n";
  static final String V3 = "ALTER TABLE orders ADD COLUMN note VARCHAR(200);\nCREATE INDEX orders_customer_idx ON orders (customer);\n";
  static final String U3 = "DROP INDEX orders_customer_idx;\nALTER TABLE orders DROP COLUMN note;\n";
  static final String R2 = "CREATE OR REPLACE VIEW order_summary AS SELECT id, customer, note FROM orders;\n";
  static final String V4 = "/* legacy codes moved to the archive */\nALTER TABLE orders DROP COLUMN legacy_code;\n";
  static final String U4 = "ALTER TABLE orders ADD COLUMN legacy_code VARCHAR(20);\n";
  static final String U4_BROKEN = "ALTER TABLE orders ADD COLUMN legacy_code VARCHAR(20);\nUPDATE orders SET legacy_code = no_such_column;\n";
  static final String V5 = "CREATE TABLE audit (id INT PRIMARY KEY, what VARCHAR(200) DEFAULT 'none' NOT NULL);\n";
  static final String U5 = "DROP TABLE audit;\n";

  private MigrationRepo() {}

  /**
   * @param dir an empty folder
   * @param variant which undo scripts exist
   * @return the folder, now a repository with the tags
   */
  static Path create(Path dir, Variant variant) {
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      Instant t = Instant.parse("2026-11-01T10:00:00Z");
      write(dir, "V1__create_orders.sql", V1);
      write(dir, "V2__create_customers.sql", V2);
      write(dir, "R__order_summary.sql", R1);
      write(dir, "README.txt", "not a migration");
      release(git, "v1.0.0", t);
      write(dir, "V3__add_order_note.sql", V3);
      write(dir, "R__order_summary.sql", R2);
      if (variant != Variant.WITHOUT_UNDO) {
        write(dir, "U3__add_order_note.sql", U3);
      }
      release(git, "v1.1.0", t.plusSeconds(3600));
      write(dir, "V4__drop_legacy_code.sql", V4);
      write(dir, "V5__create_audit.sql", V5);
      if (variant != Variant.WITHOUT_UNDO) {
        write(dir, "U4__drop_legacy_code.sql", variant == Variant.BROKEN_UNDO ? U4_BROKEN : U4);
        write(dir, "U5__create_audit.sql", U5);
      }
      release(git, "v1.2.0", t.plusSeconds(7200));
      return dir;
    } catch (GitAPIException e) {
      throw new IllegalStateException("building the test repository failed", e);
    }
  }

  private static void write(Path dir, String name, String content) {
    try {
      Path file = dir.resolve("db/migration").resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void release(Git git, String tag, Instant at) throws GitAPIException {
    PersonIdent who = new PersonIdent("Rollback Tests", "tests@rollback.dev", Date.from(at), TimeZone.getTimeZone("UTC"));
    git.add().addFilepattern(".").call();
    git.commit().setMessage("release " + tag).setAuthor(who).setCommitter(who).setSign(false).call();
    git.tag().setName(tag).setAnnotated(true).setMessage("release " + tag).setTagger(who).setSigned(false).call();
  }
}
