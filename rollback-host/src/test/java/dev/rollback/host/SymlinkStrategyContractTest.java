package dev.rollback.host;

import dev.rollback.core.strategy.RollbackStrategy;
import dev.rollback.testkit.strategy.RollbackStrategyContract;
import dev.rollback.testkit.strategy.StrategyFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SymlinkStrategy} against the strategy contract, on a real release layout, with real
 * commands as the service: the restart writes the release {@code current} points to into {@code
 * running} (what the service runs) and counts itself in {@code restarts}.
 */
class SymlinkStrategyContractTest extends RollbackStrategyContract {
  /** Restarts the service: fails with the text of BROKEN when that file exists. $1 = the layout's root. */
  static final String RESTART = "if [ -e \"$1/BROKEN\" ]; then cat \"$1/BROKEN\"; exit 1; fi; "
      + "link=$(readlink \"$1/current\") && echo \"${link##*/}\" > \"$1/running\" && echo restarted >> \"$1/restarts\"";

  @TempDir Path root;

  @Override
  protected StrategyFixture createFixture() {
    return new SymlinkFixture(root);
  }

  /** A layout under {@code root}: releases/, current, revisions.log, and the service's files next to them. */
  static final class SymlinkFixture implements StrategyFixture {
    private static final Instant RELEASED = Instant.parse("2025-12-01T09:00:00Z");
    private final Path root;

    SymlinkFixture(Path root) {
      this.root = root;
    }

    @Override
    public void release(List<String> versions) throws Exception {
      SymlinkReleases layout = SymlinkReleases.at(root);
      for (int i = 0; i < versions.size(); i++) {
        Instant at = RELEASED.plus(Duration.ofDays(i));
        Path dir = Files.createDirectories(layout.release(versions.get(i)));
        Files.writeString(dir.resolve("REVISION"), versions.get(i) + "\n");
        Files.setLastModifiedTime(dir, FileTime.from(at));
        layout.appendRevision(new RevisionLogEntry(at, versions.get(i), "ci", RevisionLogEntry.DEPLOY, Map.of()));
      }
      String last = versions.get(versions.size() - 1);
      layout.switchTo(last);
      Files.writeString(root.resolve("running"), last + "\n");
    }

    @Override
    public RollbackStrategy strategy() {
      return SymlinkStrategy.builder(root)
          .marker("REVISION")
          .service(ServiceControls.commands(List.of("sh", "-c", RESTART, "restart", root.toString()),
              List.of("test", "-f", root.resolve("running").toString())))
          .readinessTimeout(Duration.ofSeconds(30))
          .build();
    }

    @Override
    public List<String> runningVersions() throws Exception {
      return ReleaseFolderSnapshot.bothOf(root);
    }

    @Override
    public Object snapshot() throws Exception {
      return ReleaseFolderSnapshot.of(root);
    }

    @Override
    public String failNextRollout() throws Exception {
      Files.writeString(root.resolve("BROKEN"), "exec format error: bin/app is not a binary for this machine\n", StandardCharsets.UTF_8);
      return "exec format error";
    }

    @Override
    public void remove(String version) throws Exception {
      ReleaseFolderSnapshot.deleteTree(root.resolve("releases").resolve(version));
    }
  }
}
