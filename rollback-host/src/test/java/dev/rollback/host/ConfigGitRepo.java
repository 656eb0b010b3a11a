package dev.rollback.host;

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
 * A real git repository made with the {@code git} command line, isolated from the machine's
 * configuration (own HOME, no system config, fixed authors and dates, no signing).
 */
final class ConfigGitRepo {
  private final Path dir;
  private final Path home;
  private Instant now = Instant.parse("2026-11-01T10:00:00Z");

  private ConfigGitRepo(Path dir, Path home) {
    this.dir = dir;
    this.home = home;
  }

  /** Runs {@code git init} in a new folder; skips the test when git is missing, unless CI=true. */
  static ConfigGitRepo init(Path dir) {
    try {
      Files.createDirectories(dir);
      Path home = dir.toAbsolutePath().resolveSibling(dir.getFileName() + ".home");
      Files.createDirectories(home);
      ConfigGitRepo git = new ConfigGitRepo(dir, home);
      git.requireGit();
      git.run("init", "-q", "-b", "main");
      return git;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path dir() {
    return dir;
  }

  /** Writes a file in the work tree. */
  ConfigGitRepo write(String path, String content) {
    try {
      Path file = dir.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a file from the work tree. */
  ConfigGitRepo delete(String path) {
    try {
      Files.delete(dir.resolve(path));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Commits everything and puts an annotated tag on the commit. */
  ConfigGitRepo commitAndTag(String tag) {
    run("add", "-A");
    run("commit", "-q", "--allow-empty", "-m", "release " + tag);
    run("tag", "-a", "-m", "release " + tag, tag);
    return this;
  }

  private void requireGit() {
    try {
      Process p = new ProcessBuilder("git", "--version").redirectErrorStream(true).start();
      if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return;
      }
    } catch (IOException e) {
      // not installed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if ("true".equals(System.getenv("CI"))) {
      fail("git is not on the PATH, and CI=true: install git");
    }
    Assumptions.abort("git is not on the PATH: install git to run the config rollback tests");
  }

  String run(String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-c", "tag.gpgSign=false", "-c", "commit.gpgSign=false"));
    command.addAll(Arrays.asList(args));
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
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
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("git " + String.join(" ", args) + " did not finish within 60 s");
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        fail("git " + String.join(" ", args) + " exited " + p.exitValue() + ": " + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running git", e);
    }
  }
}
