package dev.rollback.core.version;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real {@code git} command line, for building repositories in tests and for asking git what
 * the right answer is. Runs without a shell, with an argument list, a timeout and captured output.
 * Every run is isolated from the machine's configuration: {@code HOME} is a folder of the test's
 * own, the system configuration is off, and authors, committers and dates are fixed (each run one
 * minute after the previous, so times differ and can be compared). Signing is off.
 */
final class GitCli {
  private static final long TIMEOUT_SECONDS = 60;

  private final Path dir;
  private final Path home;
  private Instant now = Instant.parse("2024-01-01T10:00:00Z");

  private GitCli(Path dir, Path home) {
    this.dir = dir;
    this.home = home;
  }

  /**
   * Fails when git is missing on CI; skips with a message on a developer's machine.
   */
  static void requireGit() {
    boolean present;
    try {
      Process p = new ProcessBuilder("git", "--version").redirectErrorStream(true).start();
      present = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      present = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      present = false;
    }
    if (!present) {
      if ("true".equals(System.getenv("CI"))) {
        fail("git is not on the PATH, and CI=true: install git (2.39 was used to write these tests)");
      }
      Assumptions.abort("git is not on the PATH: install git to run the git version catalogue tests");
    }
  }

  /** Creates {@code dir} and runs {@code git init} there, with {@code main} as the first branch. */
  static GitCli init(Path dir) {
    requireGit();
    try {
      Files.createDirectories(dir);
      GitCli git = new GitCli(dir, homeNextTo(dir));
      git.run("init", "-q", "-b", "main");
      return git;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A git for an existing repository folder (e.g. a clone), with its own isolated HOME. */
  static GitCli at(Path dir) {
    requireGit();
    try {
      return new GitCli(dir, homeNextTo(dir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An empty HOME beside the repository, so it goes away with the test's temporary folder. */
  private static Path homeNextTo(Path dir) throws IOException {
    Path home = dir.toAbsolutePath().resolveSibling(dir.getFileName() + ".home");
    Files.createDirectories(home);
    return home;
  }

  Path dir() {
    return dir;
  }

  /** Runs git in the repository and returns its standard output; fails the test on a non-zero exit. */
  String run(String... args) {
    return new String(runBytes(null, args), StandardCharsets.UTF_8);
  }

  /** Like {@link #run} with bytes fed to standard input. */
  String runWithInput(String input, String... args) {
    return new String(runBytes(input.getBytes(StandardCharsets.UTF_8), args), StandardCharsets.UTF_8);
  }

  /** Runs git and returns the raw bytes it wrote to standard output; fails the test on a non-zero exit. */
  byte[] runBytes(byte[] input, String... args) {
    return execute(input, true, args).stdout;
  }

  /** Runs git and returns its exit status, whatever it is. */
  int status(String... args) {
    return execute(null, false, args).status;
  }

  private record Result(int status, byte[] stdout) {}

  private Result execute(byte[] input, boolean check, String... args) {
    List<String> command = new ArrayList<>(List.of("git",
        "-c", "tag.gpgSign=false", "-c", "commit.gpgSign=false", "-c", "init.defaultBranch=main",
        "-c", "advice.detachedHead=false", "-c", "advice.nestedTag=false"));
    command.addAll(Arrays.asList(args));
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("git-out-", ".txt");
      err = Files.createTempFile("git-err-", ".txt");
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      Map<String, String> env = pb.environment();
      env.keySet().removeIf(k -> k.startsWith("GIT_"));
      String date = "@" + now.getEpochSecond() + " +0000";
      env.put("HOME", home.toString());
      env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
      env.put("GIT_CONFIG_NOSYSTEM", "1");
      env.put("GIT_AUTHOR_NAME", "Rollback Tests");
      env.put("GIT_AUTHOR_EMAIL", "tests@rollback.dev");
      env.put("GIT_AUTHOR_DATE", date);
      env.put("GIT_COMMITTER_NAME", "Rollback Tests");
      env.put("GIT_COMMITTER_EMAIL", "tests@rollback.dev");
      env.put("GIT_COMMITTER_DATE", date);
      env.put("LC_ALL", "C");
      now = now.plusSeconds(60);
      if (input == null) {
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      }
      Process p = pb.start();
      if (input != null) {
        try (var stdin = p.getOutputStream()) {
          stdin.write(input);
        }
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("git " + String.join(" ", args) + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
      byte[] stdout = Files.readAllBytes(out);
      if (check && p.exitValue() != 0) {
        fail("git " + String.join(" ", args) + " in " + dir + " exited with " + p.exitValue() + ": "
            + Files.readString(err) + new String(stdout, StandardCharsets.UTF_8));
      }
      return new Result(p.exitValue(), stdout);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running git", e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  /** @return the lines git printed, without the trailing empty one */
  List<String> lines(String... args) {
    String out = run(args);
    return out.isEmpty() ? List.of() : List.of(out.split("\n"));
  }

  /** Writes a file in the work tree (creating folders). */
  GitCli write(String path, String content) {
    return write(path, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes a file in the work tree (creating folders). */
  GitCli write(String path, byte[] content) {
    try {
      Path file = dir.resolve(path);
      Files.createDirectories(file.getParent());
      Files.write(file, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stages everything and commits; returns the new commit's id. */
  String commitAll(String message) {
    run("add", "-A");
    run("commit", "-q", "--allow-empty", "-m", message);
    return run("rev-parse", "HEAD").trim();
  }

  /** Tags HEAD: annotated when asked, lightweight otherwise. */
  void tag(String name, boolean annotated) {
    if (annotated) {
      run("tag", "-a", "-m", "release " + name, name);
    } else {
      run("tag", name);
    }
  }

  /** @return what {@code git tag --sort=-version:refname} prints, one name per element */
  List<String> tagsNewestFirst(String... configArgs) {
    List<String> args = new ArrayList<>(Arrays.asList(configArgs));
    args.addAll(List.of("tag", "--sort=-version:refname"));
    return lines(args.toArray(new String[0]));
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a temporary file; the OS cleans up
      }
    }
  }
}
