package dev.rollback.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/** Builds release layouts on a real filesystem for the tests. */
final class ReleaseLayoutFixture {
  private ReleaseLayoutFixture() {}

  /** Creates a complete release (with a REVISION marker and an app file) modified at {@code at}. */
  static Path release(Path root, String version, Instant at) throws IOException {
    Path dir = Files.createDirectories(root.resolve("releases").resolve(version));
    Files.writeString(dir.resolve("REVISION"), version + "\n");
    Files.writeString(dir.resolve("app.txt"), "app " + version + "\n");
    Files.setLastModifiedTime(dir, FileTime.from(at));
    return dir;
  }

  /** Creates releases v1..vn an hour apart, current -> the last one, with deploy lines in revisions.log. */
  static SymlinkReleases deployed(Path root, Instant first, String... versions) throws IOException {
    SymlinkReleases layout = SymlinkReleases.at(root);
    for (int i = 0; i < versions.length; i++) {
      Instant at = first.plusSeconds(3600L * i);
      release(root, versions[i], at);
      layout.appendRevision(new RevisionLogEntry(at, versions[i], "ci", RevisionLogEntry.DEPLOY, java.util.Map.of()));
    }
    layout.switchTo(versions[versions.length - 1]);
    return layout;
  }
}
