package dev.rollback.db.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code pg_dump} and {@code pg_restore} argument lists that backups and restores run. */
public final class PgDumpCommand {
  private PgDumpCommand() {}

  /**
   * @param db the database
   * @param file the archive to write
   * @return {@code pg_dump -Fc --host … --port … --username … --no-password --file <file> --dbname <db>}
   */
  public static List<String> dump(PgConnectionSpec db, Path file) {
    List<String> args = new ArrayList<>();
    args.add(db.program("pg_dump"));
    args.add("-Fc");
    args.addAll(db.connectionArguments());
    args.add("--file");
    args.add(file.toString());
    args.add("--dbname");
    args.add(db.database());
    return args;
  }

  /**
   * @param db where the client programs are
   * @param archive the archive to read
   * @param listFile where to write its table of contents
   * @return {@code pg_restore --list --file <listFile> <archive>}
   */
  public static List<String> list(PgConnectionSpec db, Path archive, Path listFile) {
    return List.of(db.program("pg_restore"), "--list", "--file", listFile.toString(), archive.toString());
  }

  /**
   * @param db the database to restore into
   * @param archive the archive
   * @param jobs 1 for a single transaction (all or nothing), more for parallel jobs
   * @return {@code pg_restore --clean --if-exists --no-owner --exit-on-error (--single-transaction | --jobs n) … --dbname <db> <archive>}
   */
  public static List<String> restore(PgConnectionSpec db, Path archive, int jobs) {
    List<String> args = new ArrayList<>();
    args.add(db.program("pg_restore"));
    args.add("--clean");
    args.add("--if-exists");
    args.add("--no-owner");
    args.add("--exit-on-error");
    if (jobs <= 1) {
      args.add("--single-transaction");
    } else {
      args.add("--jobs");
      args.add(String.valueOf(jobs));
    }
    args.addAll(db.connectionArguments());
    args.add("--dbname");
    args.add(db.database());
    args.add(archive.toString());
    return args;
  }
}
