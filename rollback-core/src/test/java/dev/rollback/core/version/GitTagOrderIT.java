package dev.rollback.core.version;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.internal.GitVersionOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalogue lists tags in exactly the order of {@code git tag --sort=-version:refname} on the
 * same repository, with and without {@code versionsort} settings. The real git is the reference.
 */
class GitTagOrderIT {
  /** Tricky names: numeric vs text order, leading zeros, prereleases, dates, prefixes, folders. */
  static final List<String> TRICKY_TAGS = List.of(
      "v1.2.9", "v1.2.10", "v1.2.11-rc1", "1.9", "1.10", "1.10.1",
      "v1.001", "v1.01", "v1.09", "v1.0", "v1.0.0", "v1.0.1", "v1.0a", "v1.0-bar",
      "v1.0-rc1", "v1.0-rc2", "v1.0-rc10", "v1.0-rc", "v1.0rc1",
      "v2.0.0-alpha", "v2.0.0-alpha.1", "v2.0.0-beta.2", "v2.0.0-beta.10", "v2.0.0-rc1", "v2.0.0-rc.1", "v2.0.0",
      "2024.01.05", "2024.1.5", "2024.1.10", "2024.10.1",
      "release-1.2", "release-1.10", "release-1.2-rc1", "release-2024.01.05",
      "rel/1.2", "rel/1.10", "rel/1.2-rc1",
      "V1.0", "v0.9", "v0.10", "v9.9", "v10.0", "0.0.1", "00.1",
      "v1.2.3-1", "v1.2.3-2", "v1.2.3-10",
      "v3.0-pre", "v3.0_rc1", "v2.0-\u00e9", "v2.0-z", "v2.0-Z");

  @TempDir static Path temp;
  static GitCli git;

  @BeforeAll
  static void repositoryWithTrickyTags() {
    git = GitCli.init(temp.resolve("tricky"));
    int i = 0;
    for (String tag : TRICKY_TAGS) {
      if (i % 5 == 0) {
        git.write("version.txt", tag + "\n").commitAll("release " + tag);
      }
      git.tag(tag, i % 2 == 0); // annotated and lightweight, alternately
      i++;
    }
  }

  static Stream<Arguments> configurations() {
    return Stream.of(
        Arguments.of("no versionsort setting", List.of(), List.of(), List.of()),
        Arguments.of("versionsort.suffix=-rc", List.of("-rc"), List.of(), List.of("-rc")),
        Arguments.of("versionsort.suffix=-alpha,-beta,-rc", List.of("-alpha", "-beta", "-rc"), List.of(),
            List.of("-alpha", "-beta", "-rc")),
        Arguments.of("versionsort.suffix=-rc,-beta,-alpha", List.of("-rc", "-beta", "-alpha"), List.of(),
            List.of("-rc", "-beta", "-alpha")),
        Arguments.of("deprecated versionsort.prereleaseSuffix=-rc,-beta", List.of(), List.of("-rc", "-beta"),
            List.of("-rc", "-beta")),
        Arguments.of("suffix=-beta wins over prereleaseSuffix=-rc", List.of("-beta"), List.of("-rc"), List.of("-beta")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void theCatalogueListsTagsInTheOrderOfGitTagSortMinusVersionRefname(
      String description, List<String> suffix, List<String> prereleaseSuffix, List<String> effective) {
    configure("versionsort.suffix", suffix);
    configure("versionsort.prereleaseSuffix", prereleaseSuffix);
    List<String> expected = git.tagsNewestFirst();

    try (GitVersionCatalog catalog = GitVersionCatalog.open(git.dir())) {
      assertThat(expected).hasSize(TRICKY_TAGS.size());
      assertThat(catalog.versionSortSuffixes()).containsExactlyElementsOf(effective);
      assertThat(catalog.tags()).extracting(VersionTag::name).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void withoutConfigurationAReleaseCandidateSortsAfterItsReleaseAndWithTheRcSuffixBefore() {
    configure("versionsort.suffix", List.of());
    configure("versionsort.prereleaseSuffix", List.of());
    try (GitVersionCatalog catalog = GitVersionCatalog.open(git.dir())) {
      List<String> names = catalog.tags().stream().map(VersionTag::name).toList();
      assertThat(names.indexOf("v1.0-rc1")).isLessThan(names.indexOf("v1.0"));
      assertThat(names.indexOf("v1.2.10")).isLessThan(names.indexOf("v1.2.9"));
      assertThat(names.indexOf("1.10")).isLessThan(names.indexOf("1.9"));
    }
    configure("versionsort.suffix", List.of("-rc"));
    try (GitVersionCatalog catalog = GitVersionCatalog.open(git.dir())) {
      List<String> names = catalog.tags().stream().map(VersionTag::name).toList();
      assertThat(names.indexOf("v1.0-rc1")).isGreaterThan(names.indexOf("v1.0"));
    } finally {
      configure("versionsort.suffix", List.of());
    }
  }

  static Stream<Arguments> suffixSets() {
    return Stream.of(
        Arguments.of(List.of()),
        Arguments.of(List.of("-rc")),
        Arguments.of(List.of("-alpha", "-beta", "-rc")),
        Arguments.of(List.of("-rc", "-beta", "-alpha", "-pre")),
        Arguments.of(List.of("rc", "-rc")),
        Arguments.of(List.of("-rc", "-rc1", ".rc")),
        Arguments.of(List.of("-", ".")),
        Arguments.of(List.of("1", "-rc")),
        Arguments.of(List.of("a", "-alpha", "b")),
        // Suffixes that reach into "refs/tags/": they only match because git compares full refnames.
        Arguments.of(List.of("/v", "-rc")),
        Arguments.of(List.of("s/r", "/1", "/V")));
  }

  /**
   * A few hundred generated names, seeded so that a failure can be reproduced. Odd suffixes such as
   * {@code -} or {@code 1} make git's comparison non-transitive, where only git's own merge sort
   * over refs in {@code strcmp} order gives the same answer.
   */
  @ParameterizedTest(name = "suffixes {0}")
  @MethodSource("suffixSets")
  void generatedNamesSortExactlyAsGitSortsThem(List<String> suffixes) {
    GitCli random = randomRepository();
    List<String> configArgs = new ArrayList<>();
    for (String s : suffixes) {
      configArgs.add("-c");
      configArgs.add("versionsort.suffix=" + s);
    }
    List<String> expected = random.tagsNewestFirst(configArgs.toArray(new String[0]));

    try (GitVersionCatalog catalog =
        GitVersionCatalog.builder().repository(random.dir()).versionSortSuffixes(suffixes).build()) {
      assertThat(expected).hasSize(GENERATED);
      assertThat(catalog.tags()).extracting(VersionTag::name).containsExactlyElementsOf(expected);
    }
    assertThat(GitVersionOrder.sortNewestFirst(generatedNames(), suffixes)).containsExactlyElementsOf(expected);
  }

  private static final int GENERATED = 300;
  private static GitCli randomRepository;

  private static synchronized GitCli randomRepository() {
    if (randomRepository == null) {
      GitCli g = GitCli.init(temp.resolve("generated"));
      String commit = g.commitAll("one commit for every tag");
      StringBuilder updates = new StringBuilder();
      for (String name : generatedNames()) {
        updates.append("create refs/tags/").append(name).append(' ').append(commit).append('\n');
      }
      g.runWithInput(updates.toString(), "update-ref", "--stdin");
      randomRepository = g;
    }
    return randomRepository;
  }

  static List<String> generatedNames() {
    Random random = new Random(20240105L);
    String[] prefixes = {"", "", "v", "v", "V", "release-", "rel/", "r", "v0"};
    String[] numbers = {"0", "00", "01", "001", "1", "2", "9", "09", "10", "010", "11", "100", "2024"};
    String[] separators = {".", ".", ".", "-", "_"};
    String[] suffixes = {"", "", "", "-rc", "-rc1", "-rc2", "-rc10", "-rc.1", ".rc1", "rc1", "-beta", "-beta.2",
        "-beta2", "-alpha", "-alpha.1", "-pre", "-pre1", "-bar", "a", "b", "-1", "-2", "-rc-1", "-RC1", "-\u00e9",
        "-\u00df1", "-", "."};
    Set<String> names = new LinkedHashSet<>();
    while (names.size() < GENERATED) {
      StringBuilder name = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
      int parts = 1 + random.nextInt(4);
      for (int p = 0; p < parts; p++) {
        if (p > 0) {
          name.append(separators[random.nextInt(separators.length)]);
        }
        name.append(random.nextInt(4) == 0 ? Integer.toString(random.nextInt(30)) : numbers[random.nextInt(numbers.length)]);
      }
      name.append(suffixes[random.nextInt(suffixes.length)]);
      String n = name.toString();
      if (Repository.isValidRefName("refs/tags/" + n) && !n.endsWith(".")) {
        names.add(n);
      }
    }
    return new ArrayList<>(names);
  }

  private static void configure(String key, List<String> values) {
    git.status("config", "--unset-all", key); // 5 when it was not set: fine
    for (String v : values) {
      git.run("config", "--add", key, v);
    }
  }
}
