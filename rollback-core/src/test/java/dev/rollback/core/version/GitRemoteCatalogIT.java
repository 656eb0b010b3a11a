package dev.rollback.core.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalogue of a remote repository: cloned into a cache folder, fetched on open and on refresh.
 * The remote is a repository made with the git CLI, reached through a {@code file://} URL.
 */
class GitRemoteCatalogIT {
  @TempDir Path temp;
  GitCli origin;
  String url;
  Path cache;

  @BeforeEach
  void remote() {
    origin = GitCli.init(temp.resolve("origin"));
    origin.write("app.txt", "1\n").commitAll("one");
    origin.tag("v1.0", true);
    origin.write("app.txt", "2\n").commitAll("two");
    origin.tag("v1.1", false);
    url = "file://" + origin.dir().toAbsolutePath();
    cache = temp.resolve("cache/app");
  }

  @Test
  void theFirstOpenClonesIntoTheCacheFolderAndListsTheRemotesTagsInGitsOrder() {
    try (GitVersionCatalog versions = GitVersionCatalog.builder().remote(url, cache).build()) {
      assertThat(versions.tags()).extracting(VersionTag::name).containsExactlyElementsOf(origin.tagsNewestFirst());
      assertThat(versions.branch()).contains("main");
      assertThat(versions.verify("v1.0").commit()).isEqualTo(origin.run("rev-parse", "v1.0^{commit}").trim());
      assertThat(versions.read("v1.0", "app.txt")).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("1\n"));
      assertThat(versions.toString()).contains(url).contains(cache.toString());
    }
    assertThat(GitCli.at(cache).run("rev-parse", "--is-bare-repository").trim()).isEqualTo("true");
  }

  @Test
  void aTagAddedInTheRemoteIsFetchedByTheNextOpenAndByRefreshAndADeletedOneIsPruned() {
    try (GitVersionCatalog first = GitVersionCatalog.builder().remote(url, cache).build()) {
      origin.write("app.txt", "3\n").commitAll("three");
      origin.tag("v1.2", true);

      assertThat(first.tags()).extracting(VersionTag::name).containsExactly("v1.1", "v1.0");
      try (GitVersionCatalog second = GitVersionCatalog.builder().remote(url, cache).build()) {
        assertThat(second.tags()).extracting(VersionTag::name).containsExactly("v1.2", "v1.1", "v1.0");
      }

      first.refresh();

      assertThat(first.tags()).extracting(VersionTag::name).containsExactly("v1.2", "v1.1", "v1.0");
      // The branch moved with the fetch, so the new tag is on it.
      assertThat(first.verify("v1.2").name()).isEqualTo("v1.2");

      origin.run("tag", "-d", "v1.0");
      first.refresh();

      assertThat(first.tags()).extracting(VersionTag::name).containsExactly("v1.2", "v1.1");
    }
  }

  @Test
  void aCloneMadeWithGitIsAcceptedAsTheCacheAndItsRemoteTrackingBranchDecidesReachability() {
    GitCli.at(temp).run("clone", "-q", url, cache.toString());
    origin.write("app.txt", "3\n").commitAll("three");
    origin.tag("v1.2", true);

    try (GitVersionCatalog versions = GitVersionCatalog.builder().remote(url, cache).build()) {
      assertThat(versions.tags()).extracting(VersionTag::name).containsExactly("v1.2", "v1.1", "v1.0");
      // The clone's own main still points at "two"; origin/main was fetched to "three".
      assertThat(versions.verify("v1.2").name()).isEqualTo("v1.2");
    }
  }

  @Test
  void theDefaultReleaseBranchIsTheRemotesHead() {
    origin.run("checkout", "-q", "-b", "develop");
    origin.write("dev.txt", "d\n").commitAll("develop work");
    origin.tag("v1.2-dev", false);
    origin.run("checkout", "-q", "main");
    origin.write("main.txt", "m\n").commitAll("main only");
    origin.tag("v1.2-main", false);
    origin.run("symbolic-ref", "HEAD", "refs/heads/develop");

    try (GitVersionCatalog versions = GitVersionCatalog.builder().remote(url, cache).build()) {
      assertThat(versions.branch()).contains("develop");
      assertThat(versions.verify("v1.2-dev").name()).isEqualTo("v1.2-dev");
      assertThatThrownBy(() -> versions.verify("v1.2-main"))
          .hasMessageContaining("tag 'v1.2-main'")
          .hasMessageContaining("is not reachable from release branch 'develop'");
    }
    try (GitVersionCatalog onMain = GitVersionCatalog.builder().remote(url, cache).branch("main").build()) {
      assertThat(onMain.verify("v1.2-main").name()).isEqualTo("v1.2-main");
    }
  }

  @Test
  void aBranchTheRemoteDoesNotHaveIsRefusedNamingTheBranchesItHas() {
    assertThatThrownBy(() -> GitVersionCatalog.builder().remote(url, cache).branch("release").build())
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("branch 'release' does not exist in repository " + url)
        .hasMessageContaining("give one of main");
  }

  @Test
  void aCacheFolderHoldingACloneOfAnotherRemoteIsRefused() {
    GitVersionCatalog.builder().remote(url, cache).build().close();
    GitCli other = GitCli.init(temp.resolve("other"));
    other.commitAll("other");
    String otherUrl = "file://" + other.dir().toAbsolutePath();

    assertThatThrownBy(() -> GitVersionCatalog.builder().remote(otherUrl, cache).build())
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("cache folder " + cache + " holds a clone of " + url + ", not of " + otherUrl);
  }

  @Test
  void aCacheFolderHoldingOtherFilesIsRefused() throws IOException {
    Files.createDirectories(cache);
    Files.writeString(cache.resolve("notes.txt"), "mine");

    assertThatThrownBy(() -> GitVersionCatalog.builder().remote(url, cache).build())
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("cache folder " + cache + " holds other files and is not a git repository");
    assertThat(cache.resolve("notes.txt")).hasContent("mine");
  }

  @Test
  void aRemoteThatDoesNotExistFailsNamingTheUrlAndLeavesNoHalfClone() throws IOException {
    String missing = "file://" + temp.resolve("no-such-repo").toAbsolutePath();

    assertThatThrownBy(() -> GitVersionCatalog.builder().remote(missing, cache).build())
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REPOSITORY_FAILURE))
        .hasMessageContaining("could not clone " + missing + " into " + cache);
    assertThat(!Files.exists(cache) || isEmpty(cache)).as("cache folder is missing or empty").isTrue();
    // So that the next attempt can clone.
    try (GitVersionCatalog versions = GitVersionCatalog.builder().remote(url, cache).build()) {
      assertThat(versions.tags()).hasSize(2);
    }
  }

  @Test
  void aPasswordNeverAppearsInTheMessageOfAFailedClone() {
    RollbackException inUrl = (RollbackException) org.assertj.core.api.Assertions.catchThrowable(() ->
        GitVersionCatalog.builder().remote("https://bot:hunter2@127.0.0.1:1/app.git", cache)
            .timeout(Duration.ofSeconds(5)).build());
    RollbackException inCredentials = (RollbackException) org.assertj.core.api.Assertions.catchThrowable(() ->
        GitVersionCatalog.builder().remote("https://127.0.0.1:1/app.git", temp.resolve("cache2"))
            .credentials("bot", Secret.of("s3cr3t-token")).timeout(Duration.ofSeconds(5)).build());

    assertThat(inUrl.code()).isEqualTo(ErrorCode.REPOSITORY_FAILURE);
    assertThat(inUrl.getMessage()).contains("could not clone https://bot:****@127.0.0.1:1/app.git").doesNotContain("hunter2");
    assertThat(inCredentials.code()).isEqualTo(ErrorCode.REPOSITORY_FAILURE);
    assertThat(inCredentials.getMessage()).contains("could not clone https://127.0.0.1:1/app.git").doesNotContain("s3cr3t");
    for (Throwable t = inCredentials; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain("s3cr3t");
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}
