package dev.rollback.examples;

import dev.rollback.host.RevisionLogEntry;
import dev.rollback.host.SymlinkReleases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Makes the demo's host layout: {@code releases/<version>/} with a VERSION file and a REVISION
 * marker (v1.3.0 also has a BAD file), {@code current -> releases/v1.3.0}, and a revisions log.
 */
final class DemoReleaseLayout {
  private DemoReleaseLayout() {}

  static Path create(Path root, Instant firstDeploy) throws IOException {
    Files.createDirectories(root.resolve("releases"));
    SymlinkReleases layout = SymlinkReleases.at(root);
    for (int i = 0; i < DemoRepository.RELEASES.length; i++) {
      String v = DemoRepository.RELEASES[i];
      Path release = Files.createDirectories(root.resolve("releases").resolve(v));
      Files.writeString(release.resolve("VERSION"), v + "\n", StandardCharsets.UTF_8);
      Files.writeString(release.resolve("REVISION"), "release " + v + "\n", StandardCharsets.UTF_8);
      if (v.equals(Demo.BAD)) {
        Files.writeString(release.resolve("BAD"), "this release fails half of its requests\n", StandardCharsets.UTF_8);
      }
      layout.switchTo(v);
      layout.appendRevision(new RevisionLogEntry(firstDeploy.plus(Duration.ofDays(2L * i)), v, "deploy-bot", RevisionLogEntry.DEPLOY,
          Map.of()));
    }
    return root;
  }
}
