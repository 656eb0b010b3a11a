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
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input to {@link GitVersionCatalog.Builder}: each gives a {@link RollbackException} naming the
 * value and the fix, never a {@link NullPointerException} or a JGit exception; and every problem is
 * reported at once. None of these needs git.
 */
class GitVersionCatalogBuilderTest {
  @TempDir Path temp;

  @ParameterizedTest
  @ValueSource(strings = {"ht tp://example.com/app.git", "not a url", "https://", "https:///team/app.git",
      "gti://example.com/app.git", "example.com/app.git", "://example.com/app.git", "https://example.com",
      "file://"})
  void aMalformedRemoteUrlIsRefusedNamingIt(String url) {
    assertThatThrownBy(() -> GitVersionCatalog.builder().remote(url, temp.resolve("cache")).build())
        .isInstanceOfSatisfying(RollbackException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
          assertThat(e.problems()).singleElement().asString()
              .startsWith("remote URL '" + url + "' is malformed")
              .contains("give e.g. \"https://git.example.com/team/app.git\"");
        });
    assertThat(temp.resolve("cache")).doesNotExist();
  }

  @Test
  void aMalformedUrlWithAPasswordIsShownWithoutThePassword() {
    assertThatThrownBy(() -> GitVersionCatalog.builder().remote("https://bot:hunter2@exa mple.com/app.git",
        temp.resolve("cache")).build())
        .hasMessageContaining("remote URL 'https://bot:****@exa mple.com/app.git' is malformed")
        .hasMessageNotContaining("hunter2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://git.example.com/team/app.git", "http://localhost:8080/app.git",
      "file:///srv/git/app.git", "/srv/git/app.git"})
  void wellFormedRemoteUrlsPassTheCheckAndFailOnlyLaterWhenUnreachable(String url) throws IOException {
    Path cache = temp.resolve("cache");
    Files.createDirectories(cache);
    Files.writeString(cache.resolve("other.txt"), "x"); // so that build() stops before any network access

    assertThatThrownBy(() -> GitVersionCatalog.builder().remote(url, cache).build())
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.problems()).singleElement().asString()
            .startsWith("cache folder " + cache + " holds other files"));
  }

  /** JGit's core has no SSH client; the catalogue says so up front instead of failing inside JGit. */
  @ParameterizedTest
  @ValueSource(strings = {"git@git.example.com:team/app.git", "ssh://git@git.example.com:2222/team/app.git"})
  void anSshRemoteWithoutAnSshTransportOnTheClasspathIsRefusedWithTheModuleToAdd(String url) {
    assertThatThrownBy(() -> GitVersionCatalog.builder().remote(url, temp.resolve("cache")).build())
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.problems()).singleElement().asString()
            .isEqualTo("remote URL '" + url + "' needs SSH, and no SSH transport for JGit is on the classpath: add"
                + " org.eclipse.jgit:org.eclipse.jgit.ssh.apache (same version as org.eclipse.jgit), or use the https"
                + " URL with .credentials(user, token)"));
    assertThat(temp.resolve("cache")).doesNotExist();
  }

  @Test
  void aRepositoryPathThatDoesNotExistIsRefusedNamingIt() {
    Path missing = temp.resolve("missing");

    assertThatThrownBy(() -> GitVersionCatalog.open(missing))
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("repository " + missing + " does not exist: give the folder of a git repository");
  }

  @Test
  void aRepositoryPathThatIsAFileIsRefusedNamingIt() throws IOException {
    Path file = Files.writeString(temp.resolve("app.txt"), "not a folder");

    assertThatThrownBy(() -> GitVersionCatalog.open(file))
        .hasMessageContaining("repository " + file + " is not a folder");
  }

  @Test
  void aFolderThatIsNotARepositoryIsRefusedNamingIt() throws IOException {
    Path folder = Files.createDirectories(temp.resolve("plain"));
    Files.writeString(folder.resolve("README.md"), "hello");

    assertThatThrownBy(() -> GitVersionCatalog.open(folder))
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("repository " + folder + " is not a git repository (it has no .git and is not a bare"
            + " repository): give the folder that holds .git, or create one with git init");
  }

  @Test
  void aDotGitFilePointingNowhereCannotBeReadAsARepository() throws IOException {
    Path worktree = Files.createDirectories(temp.resolve("worktree"));
    Files.writeString(worktree.resolve(".git"), "gitdir: " + temp.resolve("gone/.git/worktrees/w") + "\n");

    assertThatThrownBy(() -> GitVersionCatalog.open(worktree))
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("repository " + worktree + " could not be opened as a git repository");
  }

  @Test
  void anEmptyBuilderSaysWhereTheRepositoryComesFrom() {
    assertThatThrownBy(() -> GitVersionCatalog.builder().build())
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.problems()).containsExactly(
            "no repository: give .repository(Path) for a local repository or .remote(url, cacheDir) for a remote one"));
  }

  @Test
  void nullsAreReportedAsProblemsNotAsNullPointerExceptions() {
    assertThatThrownBy(() -> GitVersionCatalog.builder()
        .repository(null)
        .credentials(null, null)
        .branch(null)
        .filter(null)
        .versionSortSuffixes(null)
        .requiredFiles((String[]) null)
        .timeout(null)
        .build())
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.problems()).containsExactly(
            "repository must not be null: give the folder of a git repository, e.g. Path.of(\"/srv/app\")",
            "credentials user must not be blank, but was null: give the account name, e.g. \"deploy-bot\"",
            "credentials password must not be null: give Secret.of(token)",
            "branch must not be blank, but was null: give e.g. \"main\"",
            "filter must not be null: give e.g. TagFilter.glob(\"v*\") or TagFilter.all()",
            "versionSortSuffixes must not be null: give e.g. List.of(\"-rc\"), or List.of() for none",
            "requiredFiles must not be null: give e.g. \"deploy/app.yaml\", \"migrations/\"",
            "timeout must be positive, but was null: give e.g. Duration.ofSeconds(60)",
            "credentials apply to a remote only: give .remote(url, cacheDir), or drop .credentials(...)"));
    assertThatThrownBy(() -> GitVersionCatalog.builder().remote(null, null).build())
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.problems()).hasSize(2)
            .anySatisfy(p -> assertThat(p).startsWith("remote URL must not be blank, but was null"))
            .anySatisfy(p -> assertThat(p).startsWith("remote cache folder must not be null")));
    assertThatThrownBy(() -> GitVersionCatalog.open(null)).isInstanceOf(RollbackException.class);
  }

  @Test
  void everyProblemIsReportedAtOnce() throws IOException {
    Path folder = Files.createDirectories(temp.resolve("plain"));

    assertThatThrownBy(() -> GitVersionCatalog.builder()
        .repository(folder)
        .remote("not a url", temp.resolve("cache"))
        .branch("bad..name")
        .versionSortSuffixes(Arrays.asList("-rc", "", null))
        .requiredFiles("/etc/passwd", "deploy/../secrets", "ok.yaml")
        .timeout(Duration.ZERO)
        .build())
        .isInstanceOfSatisfying(RollbackException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
          assertThat(e.getMessage()).startsWith("invalid git version catalogue: 9 problems");
          assertThat(e.problems()).containsExactly(
              "remote URL 'not a url' is malformed: it contains whitespace or control characters (percent-encode them,"
                  + " e.g. %20): give e.g. \"https://git.example.com/team/app.git\", \"git@git.example.com:team/app.git\""
                  + " or \"file:///srv/git/app.git\"",
              "branch 'bad..name' is not a valid branch name: give e.g. \"main\" or \"release/2024\"",
              "versionSortSuffixes must not contain an empty suffix, but was [-rc, , null]: give e.g. List.of(\"-rc\")",
              "versionSortSuffixes must not contain null, but was [-rc, , null]: give e.g. List.of(\"-rc\")",
              "requiredFiles: file path '/etc/passwd' is absolute: give it relative to the repository root, e.g."
                  + " 'etc/passwd'",
              "requiredFiles: file path 'deploy/../secrets' is not a repository path (empty, '.' or '..' segments):"
                  + " give it as git shows it, e.g. 'deploy/app.yaml'",
              "timeout must be positive, but was PT0S: give e.g. Duration.ofSeconds(60)",
              "both .repository(...) and .remote(...) were given: choose one",
              "repository " + folder + " is not a git repository (it has no .git and is not a bare repository): give"
                  + " the folder that holds .git, or create one with git init");
        });
  }

  @Test
  void aBlankSecretOrUserIsRefusedBeforeAnythingIsCloned() {
    assertThatThrownBy(() -> GitVersionCatalog.builder()
        .remote("https://git.example.com/team/app.git", temp.resolve("cache"))
        .credentials(" ", Secret.of("token"))
        .build())
        .hasMessageContaining("credentials user must not be blank, but was ' '");
    assertThat(temp.resolve("cache")).doesNotExist();
  }

  @Test
  void aBlankGlobIsRefusedByTheFilterItself() {
    assertThatThrownBy(() -> TagFilter.glob(" "))
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION));
    assertThat(List.of("v1", "x")).filteredOn(TagFilter.glob("v*")::accepts).containsExactly("v1");
  }
}
