package dev.rollback.core.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad or empty input against real repositories: no tags, a glob that matches nothing, tags and
 * paths that are not there or not valid. Empty answers where nothing is wrong, a clear {@link
 * RollbackException} where something is; never a {@link NullPointerException}.
 */
class GitVersionCatalogBadInputIT {
  @TempDir Path temp;

  @Test
  void aRepositoryWithoutCommitsHasAnEmptyCatalogueAndVerifySaysItHasNoTags() {
    GitCli empty = GitCli.init(temp.resolve("empty"));

    try (GitVersionCatalog versions = GitVersionCatalog.open(empty.dir())) {
      assertThat(versions.tags()).isEmpty();
      assertThat(versions.branch()).contains("main");
      assertThatThrownBy(() -> versions.verify("v1.0"))
          .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VERSION_REJECTED))
          .hasMessageContaining("tag 'v1.0' does not exist in repository " + empty.dir().toAbsolutePath().normalize()
              + " (repository " + empty.dir().toAbsolutePath().normalize() + " has no tags)");
    }
  }

  @Test
  void aRepositoryWithCommitsButNoTagsHasAnEmptyCatalogue() {
    GitCli untagged = GitCli.init(temp.resolve("untagged"));
    untagged.write("app.txt", "1\n").commitAll("one");

    try (GitVersionCatalog versions = GitVersionCatalog.open(untagged.dir())) {
      assertThat(versions.tags()).isEmpty();
      assertThat(versions.find("v1")).isEmpty();
      assertThat(versions.tags(TagFilter.glob("v*"))).isEmpty();
    }
  }

  @Test
  void aGlobThatMatchesNothingGivesAnEmptyListNotAnError() {
    GitCli repo = tagged();

    try (GitVersionCatalog versions = GitVersionCatalog.open(repo.dir());
        GitVersionCatalog filtered = GitVersionCatalog.builder().repository(repo.dir())
            .filter(TagFilter.glob("nomatch*")).build()) {
      assertThat(versions.tags()).hasSize(2);
      assertThat(versions.tags(TagFilter.glob("nomatch*"))).isEmpty();
      assertThat(filtered.tags()).isEmpty();
      assertThatThrownBy(() -> versions.tags(null))
          .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
          .hasMessageStartingWith("tag filter must not be null");
      assertThatThrownBy(() -> filtered.verify("v1.0"))
          .hasMessageContaining("tag 'v1.0' is not a version of this catalogue: it does not match the tag filter (glob"
              + " 'nomatch*')");
    }
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "  "})
  void aBlankTagNameIsRejectedByEveryMethodThatTakesOne(String tag) {
    try (GitVersionCatalog versions = GitVersionCatalog.open(tagged().dir())) {
      for (Runnable call : java.util.List.<Runnable>of(
          () -> versions.verify(tag),
          () -> versions.changes(tag),
          () -> versions.changesBetween("v1.0", tag),
          () -> versions.read(tag, "app.txt"),
          () -> versions.list(tag, ""))) {
        assertThatThrownBy(call::run)
            .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VERSION_REJECTED))
            .hasMessageStartingWith("tag name must not be blank, but was " + (tag == null ? "null" : "'" + tag + "'"));
      }
      assertThat(versions.find(tag)).isEmpty();
    }
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "/app.txt", "../app.txt", "a//b", "./app.txt"})
  void aPathThatIsNotARelativeRepositoryPathIsRefusedByRead(String path) {
    try (GitVersionCatalog versions = GitVersionCatalog.open(tagged().dir())) {
      assertThatThrownBy(() -> versions.read("v1.0", path))
          .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
          .hasMessageContaining("file path")
          .hasMessageContaining("e.g.");
    }
  }

  @Test
  void aFolderPathOutsideTheRepositoryIsRefusedByList() {
    try (GitVersionCatalog versions = GitVersionCatalog.open(tagged().dir())) {
      assertThatThrownBy(() -> versions.list("v1.0", "../other"))
          .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
          .hasMessageContaining("folder path '../other' is not a repository path");
      assertThat(versions.list("v1.0", "no/such/folder")).isEmpty();
    }
  }

  @Test
  void aReleaseBranchTheRepositoryDoesNotHaveIsRefusedNamingTheBranchesItHas() {
    GitCli repo = tagged();
    repo.run("branch", "develop");

    assertThatThrownBy(() -> GitVersionCatalog.builder().repository(repo.dir()).branch("release").build())
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("branch 'release' does not exist in repository " + repo.dir().toAbsolutePath().normalize()
            + ": give one of develop, main");
  }

  private GitCli tagged() {
    Path dir = temp.resolve("tagged");
    if (dir.toFile().exists()) {
      return GitCli.at(dir);
    }
    GitCli repo = GitCli.init(dir);
    repo.write("app.txt", "1\n").commitAll("one");
    repo.tag("v1.0", true);
    repo.write("app.txt", "2\n").commitAll("two");
    repo.tag("v1.1", false);
    return repo;
  }
}
