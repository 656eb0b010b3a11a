package dev.rollback.db.internal;

import dev.rollback.core.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A temporary password file ({@code PGPASSFILE}) readable by its owner only (0600), so a client
 * program gets the password through neither its command line nor its environment. Deleted on
 * {@link #close()}.
 */
public final class PgPassFile implements AutoCloseable {
  private final @Nullable Path file;

  private PgPassFile(@Nullable Path file) {
    this.file = file;
  }

  /**
   * Writes the file when there is a password.
   *
   * @param user the role the line is for
   * @param password the password, or null for none (then no file is written)
   * @return the file, to close after the program ended
   * @throws IOException when it cannot be written
   */
  public static PgPassFile create(String user, @Nullable Secret password) throws IOException {
    if (password == null) {
      return new PgPassFile(null);
    }
    Path f = Files.createTempFile("rollback-pgpass-", "", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      // hostname:port:database:username:password; ':' and '\' inside a field are escaped with '\'.
      String line = "*:*:*:" + escape(user) + ":" + escape(password.reveal()) + "\n";
      Files.writeString(f, line, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(f);
      throw e;
    }
    return new PgPassFile(f);
  }

  /**
   * @return the variables to give the program: {@code PGPASSFILE}, and an empty {@code PGPASSWORD}
   *     so that a password inherited from this process's environment cannot override the file
   */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    if (file != null) {
      env.put("PGPASSFILE", file.toString());
      env.put("PGPASSWORD", "");
    }
    return env;
  }

  /** @return the file, or null when there is no password */
  public @Nullable Path file() {
    return file;
  }

  /** Deletes the file. */
  @Override
  public void close() throws IOException {
    if (file != null) {
      Files.deleteIfExists(file);
    }
  }

  private static String escape(String field) {
    return field.replace("\\", "\\\\").replace(":", "\\:");
  }
}
