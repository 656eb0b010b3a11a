package dev.rollback.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.TimeZone;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * Makes the demo's release repository with JGit (no git CLI needed): one commit per release, each
 * with a Dockerfile and its config, tagged v1.2.8, v1.2.9, v1.2.10 and v1.3.0.
 */
final class DemoRepository {
  static final String[] RELEASES = {"v1.2.8", "v1.2.9", "v1.2.10", "v1.3.0"};

  private DemoRepository() {}

  /**
   * @param dir where the repository goes; replaced if it exists
   * @param firstRelease when the first release was tagged; each next one is a day later
   * @return the repository folder
   * @throws IOException when it cannot be written
   */
  static Path create(Path dir, Instant firstRelease) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      for (int i = 0; i < RELEASES.length; i++) {
        String v = RELEASES[i];
        Files.writeString(dir.resolve("Dockerfile"), "FROM eclipse-temurin:17-jre\nCOPY app.jar /app.jar\nLABEL version=" + v + "\n",
            StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/app.yaml"), "version: " + v + "\npool: " + (20 + i) + "\n", StandardCharsets.UTF_8);
        PersonIdent who = new PersonIdent("Release Bot", "release@example.com",
            Date.from(firstRelease.plusSeconds(86_400L * i)), TimeZone.getTimeZone("UTC"));
        git.add().addFilepattern(".").call();
        git.commit().setMessage("release " + v).setAuthor(who).setCommitter(who).setSign(false).call();
        git.tag().setName(v).setAnnotated(true).setMessage("release " + v).setTagger(who).setSigned(false).call();
      }
    } catch (GitAPIException e) {
      throw new IOException("cannot create the demo repository in " + dir + ": " + e.getMessage(), e);
    }
    return dir;
  }
}
