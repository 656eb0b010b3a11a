package dev.rollback.core.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A catalogue over a real repository built with the git CLI: what it lists, what verify accepts and
 * rejects, and that diffs and files at a tag are what git shows.
 *
 * <pre>
 * v1.0.0  (annotated, root commit)  README.md, src/app.txt, assets/logo.bin, deploy/app.yaml, migrations/V1__init.sql
 * v1.1.0  (lightweight)  app.txt edited, README.md renamed to docs/, logo.bin changed, V1__init.sql deleted, notes.txt added
 * v1.2.0-feature (annotated)  on branch feature, which was then deleted: unreachable from main
 * v0.9-orphan    (lightweight) on an orphan commit whose branch was deleted: unreachable
 * v1.3.0  (annotated)  deploy/app.yaml deleted, migrations/V2__more.sql added
 * v1.4.0  (annotated)  a merge of branch topic into main; v1.4.0-again is a tag of that tag
 * tree-tag, blob-tag   tags on a tree and on a blob: not versions
 * </pre>
 */
class GitVersionCatalogIT {
  private static final String EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

  @TempDir static Path temp;
  static GitCli git;
  static GitVersionCatalog catalog;
  static GitVersionCatalog strict;

  @BeforeAll
  static void repository() {
    git = GitCli.init(temp.resolve("app"));
    StringBuilder app = new StringBuilder();
    for (int i = 1; i <= 20; i++) {
      app.append("line ").append(i).append('\n');
    }
    git.write("README.md", "# app\n\nThe app.\n")
        .write("src/app.txt", app.toString())
        .write("assets/logo.bin", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 1, 2, 3, 0, (byte) 0xff})
        .write("deploy/app.yaml", "replicas: 3\n")
        .write("migrations/V1__init.sql", "create table t (id int);\n")
        .commitAll("first");
    git.tag("v1.0.0", true);

    git.write("src/app.txt", app.toString().replace("line 3\nline 4\n", "line three\nline four\n")
            + "line 21\nline 22\nline 23\nline 24\nline 25\n")
        .write("assets/logo.bin", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 9, 9, 9, 0})
        .write("notes.txt", "no newline at the end");
    git.run("rm", "-q", "README.md");
    git.write("docs/README.md", "# app\n\nThe app.\nMore about it.\n"); // a rename with one line added
    git.run("rm", "-q", "migrations/V1__init.sql");
    git.commitAll("second");
    git.tag("v1.1.0", false);

    git.run("checkout", "-q", "-b", "feature");
    git.write("feature.txt", "experimental\n").commitAll("feature work");
    git.tag("v1.2.0-feature", true);
    git.run("checkout", "-q", "main");
    git.run("branch", "-q", "-D", "feature");

    git.run("checkout", "-q", "--orphan", "lonely");
    git.run("rm", "-rfq", ".");
    git.write("lonely.txt", "alone\n").commitAll("orphan");
    git.tag("v0.9-orphan", false);
    git.run("checkout", "-q", "-f", "main");
    git.run("branch", "-q", "-D", "lonely");

    git.run("rm", "-q", "deploy/app.yaml");
    git.write("migrations/V2__more.sql", "alter table t add column name text;\n").commitAll("third");
    git.tag("v1.3.0", true);

    git.run("checkout", "-q", "-b", "topic");
    git.write("src/app.txt", app.toString() + "topic line\n").commitAll("topic work");
    git.run("checkout", "-q", "main");
    git.write("other.txt", "main work\n").commitAll("main work");
    git.run("merge", "-q", "--no-ff", "-m", "merge topic", "topic");
    git.tag("v1.4.0", true);
    git.run("tag", "-a", "-m", "the same release again", "v1.4.0-again", "v1.4.0");

    git.run("tag", "tree-tag", "v1.0.0^{tree}");
    git.run("tag", "-a", "-m", "a blob", "blob-tag", git.run("rev-parse", "v1.0.0:README.md").trim());

    catalog = GitVersionCatalog.open(git.dir());
    strict = GitVersionCatalog.builder().repository(git.dir()).requiredFiles("deploy/app.yaml", "migrations/").build();
  }

  @AfterAll
  static void close() {
    catalog.close();
    strict.close();
  }

  @Test
  void tagsAreTheCommitTagsOfGitTagSortedNewestFirstWithCommitKindAndTime() {
    List<String> gitOrder = new ArrayList<>(git.tagsNewestFirst());
    gitOrder.removeAll(List.of("tree-tag", "blob-tag"));
    Map<String, String> created = new HashMap<>();
    Map<String, String> types = new HashMap<>();
    for (String line : git.lines("for-each-ref", "--format=%(refname:strip=2) %(objecttype) %(creatordate:unix)", "refs/tags")) {
      String[] f = line.split(" ");
      if (f.length < 3) {
        continue; // a tag on a tree has no date
      }
      types.put(f[0], f[1]);
      created.put(f[0], f[2]);
    }

    List<VersionTag> tags = catalog.tags();

    assertThat(tags).extracting(VersionTag::name).containsExactlyElementsOf(gitOrder);
    assertThat(tags).hasSize(7).allSatisfy(t -> {
      assertThat(t.commit()).as(t.name()).isEqualTo(git.run("rev-parse", t.name() + "^{commit}").trim());
      assertThat(t.annotated()).as(t.name()).isEqualTo(types.get(t.name()).equals("tag"));
      assertThat(t.taggedAt()).as(t.name()).isEqualTo(Instant.ofEpochSecond(Long.parseLong(created.get(t.name()))));
    });
    assertThat(catalog.find("v1.4.0-again")).hasValueSatisfying(t -> {
      assertThat(t.annotated()).isTrue();
      assertThat(t.commit()).isEqualTo(git.run("rev-parse", "v1.4.0^{commit}").trim());
    });
  }

  @Test
  void tagsOnATreeOrABlobAreNotVersionsAndVerifySaysWhy() {
    assertThat(catalog.tags()).extracting(VersionTag::name).doesNotContain("tree-tag", "blob-tag");
    assertThat(catalog.find("tree-tag")).isEmpty();

    assertThatThrownBy(() -> catalog.verify("tree-tag"))
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VERSION_REJECTED))
        .hasMessageContaining("tag 'tree-tag' points to a tree")
        .hasMessageContaining("not to a commit");
    assertThatThrownBy(() -> catalog.verify("blob-tag"))
        .hasMessageContaining("tag 'blob-tag' points to a blob");
  }

  @Test
  void verifyAcceptsATagOnTheReleaseBranchThatHasTheRequiredFiles() {
    VersionTag verified = strict.verify("v1.0.0");

    assertThat(verified.name()).isEqualTo("v1.0.0");
    assertThat(verified.commit()).isEqualTo(git.run("rev-parse", "v1.0.0^{commit}").trim());
    assertThat(strict.branch()).contains("main");
  }

  @Test
  void verifyRejectsAMissingTagAndNamesTheNearestExistingTags() {
    assertThatThrownBy(() -> catalog.verify("v1.1.1"))
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VERSION_REJECTED))
        .hasMessageContaining("tag 'v1.1.1' does not exist in repository " + git.dir().toAbsolutePath().normalize())
        .hasMessageContaining("nearest existing tags: v1.1.0, v1.0.0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.2.0-feature", "v0.9-orphan"})
  void verifyRejectsATagWhoseCommitIsNotReachableFromTheReleaseBranch(String tag) {
    String commit = git.run("rev-parse", "--short=7", tag + "^{commit}").trim();

    assertThatThrownBy(() -> catalog.verify(tag))
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VERSION_REJECTED))
        .hasMessageContaining("tag '" + tag + "' (commit " + commit + ") is not reachable from release branch 'main'");
  }

  @Test
  void verifyChecksReachabilityFromTheConfiguredBranch() {
    try (GitVersionCatalog topic = GitVersionCatalog.builder().repository(git.dir()).branch("topic").build()) {
      assertThat(topic.verify("v1.1.0").name()).isEqualTo("v1.1.0");
      assertThatThrownBy(() -> topic.verify("v1.4.0"))
          .hasMessageContaining("tag 'v1.4.0'")
          .hasMessageContaining("is not reachable from release branch 'topic'");
    }
  }

  @Test
  void verifyRejectsATagWithoutTheRequiredFilesAndNamesThem() {
    assertThatThrownBy(() -> strict.verify("v1.3.0"))
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VERSION_REJECTED))
        .hasMessageContaining("tag 'v1.3.0' lacks required file 'deploy/app.yaml' at commit")
        .hasMessageNotContaining("migrations/");
    assertThatThrownBy(() -> strict.verify("v1.1.0"))
        .hasMessageContaining("tag 'v1.1.0' lacks required file 'migrations/' (a folder with at least one file)");
    try (GitVersionCatalog stricter = GitVersionCatalog.builder().repository(git.dir())
        .requiredFiles("deploy/app.yaml", "migrations/", "Dockerfile").build()) {
      assertThatThrownBy(() -> stricter.verify("v1.1.0"))
          .hasMessageContaining("tag 'v1.1.0' lacks required files 'migrations/' (a folder with at least one file),"
              + " 'Dockerfile'");
    }
  }

  @Test
  void verifyRejectsATagTheFilterDoesNotAcceptAndTagsListsOnlyAcceptedOnes() {
    try (GitVersionCatalog v1 = GitVersionCatalog.builder().repository(git.dir()).filter(TagFilter.glob("v1.*")).build()) {
      assertThat(v1.tags()).extracting(VersionTag::name)
          .containsExactly("v1.4.0-again", "v1.4.0", "v1.3.0", "v1.2.0-feature", "v1.1.0", "v1.0.0");
      assertThatThrownBy(() -> v1.verify("v0.9-orphan"))
          .hasMessageContaining("tag 'v0.9-orphan' is not a version of this catalogue: it does not match the tag filter"
              + " (glob 'v1.*')");
      // Diffs and files still work for any tag.
      assertThat(v1.list("v0.9-orphan", "")).containsExactly("lonely.txt");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.0.0", "v1.1.0", "v1.2.0-feature", "v0.9-orphan", "v1.3.0", "v1.4.0"})
  void changesOfATagAreWhatGitShowStatCountsForIt(String tag) {
    String parents = git.run("rev-list", "--parents", "-n", "1", tag + "^{commit}").trim();
    String base = parents.contains(" ") ? parents.split(" ")[1] : EMPTY_TREE;
    List<FileChange> expected = gitChanges(
        git.run("show", "--numstat", "-z", "--format=", tag + "^{commit}"),
        git.run("diff", "--name-status", "-z", base, tag + "^{commit}"));
    List<String> statFiles = git.lines("show", "--stat=1000", "--format=", tag + "^{commit}");

    List<FileChange> changes = catalog.changes(tag);

    assertThat(changes).containsExactlyElementsOf(expected);
    // git show --stat: one line per file and a summary line.
    assertThat(statFiles).hasSize(changes.size() + 1);
  }

  @Test
  void changesCoverARenameADeletionABinaryFileAndARootCommit() {
    assertThat(catalog.changes("v1.1.0")).contains(
        new FileChange("docs/README.md", "README.md", FileChange.Type.RENAME, 1, 0),
        new FileChange("migrations/V1__init.sql", null, FileChange.Type.DELETE, 0, 1),
        new FileChange("assets/logo.bin", null, FileChange.Type.MODIFY, 0, 0),
        new FileChange("src/app.txt", null, FileChange.Type.MODIFY, 7, 2),
        new FileChange("notes.txt", null, FileChange.Type.ADD, 1, 0));
    assertThat(catalog.changes("v1.0.0")).hasSize(5).allSatisfy(c -> assertThat(c.type()).isEqualTo(FileChange.Type.ADD));
    // A merge: against its first parent, like git show.
    assertThat(catalog.changes("v1.4.0")).containsExactly(new FileChange("src/app.txt", null, FileChange.Type.MODIFY, 3, 7));
  }

  @ParameterizedTest
  @CsvSource({"v1.0.0, v1.3.0", "v1.0.0, v1.4.0", "v1.3.0, v1.1.0", "v1.1.0, v0.9-orphan", "v1.4.0, v1.4.0-again"})
  void changesBetweenTwoTagsAreWhatGitDiffCounts(String from, String to) {
    List<FileChange> expected = gitChanges(
        git.run("diff", "--numstat", "-z", from, to),
        git.run("diff", "--name-status", "-z", from, to));

    assertThat(catalog.changesBetween(from, to)).containsExactlyElementsOf(expected);
  }

  @Test
  void readGivesTheBytesOfAFileAtATagAndNothingForAMissingFileOrAFolder() {
    assertThat(catalog.read("v1.0.0", "deploy/app.yaml")).hasValueSatisfying(
        b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo(git.run("show", "v1.0.0:deploy/app.yaml")));
    assertThat(catalog.read("v1.1.0", "assets/logo.bin"))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(git.runBytes(null, "show", "v1.1.0:assets/logo.bin")));
    assertThat(catalog.read("v1.3.0", "deploy/app.yaml")).isEmpty();
    assertThat(catalog.read("v1.0.0", "src")).isEmpty();
    assertThat(catalog.read("v1.0.0", "no/such/file")).isEmpty();
  }

  @Test
  void listGivesTheFilesUnderAFolderAtATagRecursivelyAndSorted() {
    assertThat(catalog.list("v1.0.0", "")).containsExactlyElementsOf(
        git.lines("ls-tree", "-r", "--name-only", "v1.0.0").stream().sorted().toList());
    assertThat(catalog.list("v1.3.0", "migrations")).containsExactly("migrations/V2__more.sql");
    assertThat(catalog.list("v1.3.0", "migrations/")).containsExactly("migrations/V2__more.sql");
    assertThat(catalog.list("v1.1.0", "migrations/")).isEmpty();
    assertThat(catalog.list("v1.0.0", "README.md")).isEmpty();
    assertThat(catalog.list("v1.4.0", "src")).containsExactly("src/app.txt");
  }

  @Test
  void aTagThatDoesNotExistIsRejectedByEveryMethodThatTakesOne() {
    for (Runnable call : List.<Runnable>of(
        () -> catalog.changes("v7"),
        () -> catalog.changesBetween("v1.0.0", "v7"),
        () -> catalog.read("v7", "README.md"),
        () -> catalog.list("v7", ""))) {
      assertThatThrownBy(call::run)
          .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VERSION_REJECTED))
          .hasMessageContaining("tag 'v7' does not exist");
    }
  }

  @Test
  void tagsAreReadOnceAndAgainAfterRefresh() {
    GitCli repo = GitCli.init(temp.resolve("refresh"));
    repo.commitAll("one");
    repo.tag("v1", true);
    try (GitVersionCatalog versions = GitVersionCatalog.open(repo.dir())) {
      List<VersionTag> first = versions.tags();
      repo.commitAll("two");
      repo.tag("v2", false);

      assertThat(versions.tags()).isSameAs(first).extracting(VersionTag::name).containsExactly("v1");
      assertThatThrownBy(() -> versions.verify("v2")).hasMessageContaining("call refresh()");

      versions.refresh();

      assertThat(versions.tags()).extracting(VersionTag::name).containsExactly("v2", "v1");
      assertThat(versions.verify("v2").annotated()).isFalse();
    }
  }

  @Test
  void manyThreadsAskingAtOnceShareOneReadingOfTheTags() throws Exception {
    try (GitVersionCatalog fresh = GitVersionCatalog.open(git.dir())) {
      int threads = 8;
      CyclicBarrier start = new CyclicBarrier(threads);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<List<VersionTag>>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          results.add(pool.submit(() -> {
            start.await(10, TimeUnit.SECONDS);
            return fresh.tags();
          }));
        }
        List<VersionTag> first = results.get(0).get(30, TimeUnit.SECONDS);
        for (Future<List<VersionTag>> r : results) {
          assertThat(r.get(30, TimeUnit.SECONDS)).isSameAs(first);
        }
        assertThat(first).extracting(VersionTag::name).containsExactlyElementsOf(catalog.tags().stream().map(VersionTag::name).toList());
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aClosedCatalogueSaysSoInsteadOfReading() {
    GitVersionCatalog closed = GitVersionCatalog.open(git.dir());
    closed.close();
    closed.close(); // twice is fine

    assertThatThrownBy(closed::tags)
        .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REPOSITORY_FAILURE))
        .hasMessageContaining("was closed");
  }

  @Test
  void withADetachedHeadThereIsNoDefaultBranchAndVerifySaysHowToNameOne() {
    GitCli detached = GitCli.init(temp.resolve("detached"));
    detached.commitAll("one");
    detached.tag("v1", false);
    detached.run("checkout", "-q", "--detach");
    try (GitVersionCatalog versions = GitVersionCatalog.open(detached.dir())) {
      assertThat(versions.branch()).isEmpty();
      assertThat(versions.tags()).extracting(VersionTag::name).containsExactly("v1");
      assertThatThrownBy(() -> versions.verify("v1"))
          .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
          .hasMessageContaining("detached HEAD")
          .hasMessageContaining(".branch(\"main\")");
    }
    try (GitVersionCatalog versions = GitVersionCatalog.builder().repository(detached.dir()).branch("main").build()) {
      assertThat(versions.verify("v1").name()).isEqualTo("v1");
    }
  }

  /**
   * What git prints, as FileChanges: counts from {@code --numstat -z} ({@code -} for binary files
   * becomes 0), kinds from {@code --name-status -z}; in git's order.
   */
  static List<FileChange> gitChanges(String numstatZ, String nameStatusZ) {
    Map<String, FileChange.Type> kinds = new HashMap<>();
    String[] ns = nameStatusZ.split("\0");
    for (int i = 0; i < ns.length && !ns[i].isEmpty(); ) {
      String status = ns[i++];
      FileChange.Type type = switch (status.charAt(0)) {
        case 'A' -> FileChange.Type.ADD;
        case 'D' -> FileChange.Type.DELETE;
        case 'R' -> FileChange.Type.RENAME;
        case 'C' -> FileChange.Type.COPY;
        default -> FileChange.Type.MODIFY;
      };
      if (type == FileChange.Type.RENAME || type == FileChange.Type.COPY) {
        i++; // the old path
      }
      kinds.put(ns[i++], type);
    }
    List<FileChange> changes = new ArrayList<>();
    String[] tokens = numstatZ.split("\0");
    for (int i = 0; i < tokens.length && !tokens[i].isEmpty(); ) {
      String[] counts = tokens[i++].split("\t", -1);
      int added = counts[0].equals("-") ? 0 : Integer.parseInt(counts[0]);
      int deleted = counts[1].equals("-") ? 0 : Integer.parseInt(counts[1]);
      String oldPath = null;
      String path = counts[2];
      if (path.isEmpty()) { // a rename or copy: old and new path follow
        oldPath = tokens[i++];
        path = tokens[i++];
      }
      FileChange.Type type = Optional.ofNullable(kinds.get(path)).orElseThrow(
          () -> new AssertionError("git's name-status does not list " + numstatZ));
      changes.add(new FileChange(path, oldPath, type, added, deleted));
    }
    return changes;
  }
}
