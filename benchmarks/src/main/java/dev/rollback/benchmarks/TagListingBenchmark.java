package dev.rollback.benchmarks;

import dev.rollback.core.internal.GitVersionOrder;
import dev.rollback.core.version.GitVersionCatalog;
import dev.rollback.core.version.VersionTag;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Listing and sorting 10,000 tags of a real repository: a fresh {@link GitVersionCatalog} each time
 * ({@code open}, {@code tags()}, {@code close}) against {@code git tag --sort=-version:refname} run
 * as a process on the same repository, in the same run, alternately.
 *
 * <p>The repository is made with {@code git fast-import}: 100 commits and 10,000 tags on them, every
 * other one annotated, named like releases ({@code v3.14.27}, {@code v3.14.28-rc2}, {@code
 * release-…}). It is measured twice: with the tags as 10,000 loose ref files (as fast-import leaves
 * them), then after {@code git pack-refs --all}; and once more packed with {@code
 * versionsort.suffix=-rc}. Every catalogue listing is checked against git's output before timing,
 * so a wrong order cannot produce a number.
 *
 * <p>Not a JMH benchmark: one side is a process, and "cold" (a new catalogue that reads every ref
 * and tag object again) is the case that matters. JIT warm-up is done first; the medians of the
 * runs after it are reported, with the minimum and maximum.
 *
 * <p>Run (needs {@code git} on the PATH): {@code java -cp benchmarks/target/benchmarks.jar
 * dev.rollback.benchmarks.TagListingBenchmark [tags] [runs]}; default 10,000 tags and 21 runs.
 */
public final class TagListingBenchmark {
  private static final int COMMITS = 100;
  private static final long TIMEOUT_SECONDS = 120;

  private TagListingBenchmark() {}

  /**
   * @param args optional: the number of tags (default 10,000) and of measured runs per side
   *     (default 21)
   * @throws Exception when git fails or an order differs from git's
   */
  public static void main(String[] args) throws Exception {
    int tags = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 21;
    int warmups = 5;
    Path root = Files.createTempDirectory("rollback-tag-bench-");
    try {
      Path repo = root.resolve("repo");
      Path home = Files.createDirectories(root.resolve("home"));
      long made = System.nanoTime();
      createRepository(repo, home, tags);
      System.out.printf(Locale.ROOT, "git: %s; JVM: %s %s; %d CPUs%n", git(repo, home, "--version").trim(),
          System.getProperty("java.vm.name"), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
      System.out.printf(Locale.ROOT, "repository with %,d tags (%d annotated) on %d commits made in %.1f s: %s%n",
          tags, (tags + 1) / 2, COMMITS, (System.nanoTime() - made) / 1e9, repo);
      System.out.printf(Locale.ROOT, "%d warm-up and %d measured runs per side, alternating%n%n", warmups, runs);
      System.out.printf(Locale.ROOT, "%-32s %-44s %10s %10s %10s%n", "refs", "what", "median ms", "min ms", "max ms");

      measure("loose (" + looseTagRefs(repo) + " ref files)", repo, home, tags, warmups, runs);
      git(repo, home, "pack-refs", "--all");
      measure("packed (" + looseTagRefs(repo) + " ref files)", repo, home, tags, warmups, runs);
      git(repo, home, "config", "versionsort.suffix", "-rc");
      measure("packed, versionsort.suffix=-rc", repo, home, tags, warmups, runs);
    } finally {
      deleteTree(root);
    }
  }

  private static void measure(String refs, Path repo, Path home, int tags, int warmups, int runs) {
    List<String> expected = lines(git(repo, home, "tag", "--sort=-version:refname"));
    Supplier<List<String>> catalogue = () -> {
      try (GitVersionCatalog versions = GitVersionCatalog.open(repo)) {
        List<VersionTag> listed = versions.tags();
        List<String> names = new ArrayList<>(listed.size());
        for (VersionTag t : listed) {
          names.add(t.name());
        }
        return names;
      }
    };
    Supplier<List<String>> gitTag = () -> lines(git(repo, home, "tag", "--sort=-version:refname"));
    List<String> listed = catalogue.get();
    if (expected.size() != tags || !listed.equals(expected)) {
      throw new IllegalStateException("the catalogue's order differs from git's (" + listed.size() + " vs "
          + expected.size() + " tags): the benchmark would measure a wrong answer");
    }
    List<String> names = new ArrayList<>(expected);
    java.util.Collections.shuffle(names, new java.util.Random(1));
    List<String> suffixes;
    try (GitVersionCatalog versions = GitVersionCatalog.open(repo)) {
      suffixes = versions.versionSortSuffixes();
    }
    Supplier<List<String>> sortOnly = () -> GitVersionOrder.sortNewestFirst(names, suffixes);

    long[] catalogueTimes = new long[runs];
    long[] gitTimes = new long[runs];
    long[] sortTimes = new long[runs];
    for (int i = -warmups; i < runs; i++) {
      long a = time(catalogue, tags);
      long b = time(gitTag, tags);
      long c = time(sortOnly, tags);
      if (i >= 0) {
        catalogueTimes[i] = a;
        gitTimes[i] = b;
        sortTimes[i] = c;
      }
    }
    double catalogueMedian = median(catalogueTimes);
    double gitMedian = median(gitTimes);
    row(refs, "GitVersionCatalog open + tags() + close", catalogueTimes);
    row("", "git tag --sort=-version:refname (process)", gitTimes);
    row("", "sorting alone: GitVersionOrder, in memory", sortTimes);
    System.out.printf(Locale.ROOT, "%-32s %-44s %10.2f%n%n", "", "ratio catalogue / git (medians)",
        catalogueMedian / gitMedian);
  }

  private static long looseTagRefs(Path repo) throws IOException {
    try (Stream<Path> files = Files.walk(repo.resolve(".git/refs/tags"))) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  private static long time(Supplier<List<String>> listing, int expectedSize) {
    long start = System.nanoTime();
    List<String> result = listing.get();
    long took = System.nanoTime() - start;
    if (result.size() != expectedSize) {
      throw new IllegalStateException("listed " + result.size() + " tags, expected " + expectedSize);
    }
    return took;
  }

  private static void row(String refs, String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(Locale.ROOT, "%-32s %-44s %10.2f %10.2f %10.2f%n", refs, what, median(nanos) / 1e6,
        sorted[0] / 1e6, sorted[sorted.length - 1] / 1e6);
  }

  private static double median(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }

  /** 100 commits and {@code tags} tags with git fast-import; every other tag annotated. */
  private static void createRepository(Path repo, Path home, int tags) throws IOException {
    Files.createDirectories(repo);
    git(repo, home, "init", "-q", "-b", "main");
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    long time = 1_704_067_200L; // 2024-01-01
    for (int c = 1; c <= COMMITS; c++) {
      String message = "commit " + c + "\n";
      String content = "version " + c + "\n";
      append(stream, "commit refs/heads/main\nmark :" + c + "\ncommitter Bench <bench@rollback.dev> " + (time + c * 60L)
          + " +0000\ndata " + bytes(message) + "\n" + message + "M 644 inline version.txt\ndata " + bytes(content) + "\n"
          + content + "\n");
    }
    List<String> names = tagNames(tags);
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      int commit = 1 + (i * COMMITS) / names.size();
      if (i % 2 == 0) {
        String message = "release " + name + "\n";
        append(stream, "tag " + name + "\nfrom :" + commit + "\ntagger Bench <bench@rollback.dev> " + (time + COMMITS * 60L + i)
            + " +0000\ndata " + bytes(message) + "\n" + message + "\n");
      } else {
        append(stream, "reset refs/tags/" + name + "\nfrom :" + commit + "\n\n");
      }
    }
    append(stream, "done\n");
    run(repo, home, stream.toByteArray(), "fast-import", "--quiet", "--done");
  }

  /** Release-like names: v0.0.0 … v9.24.39, some release candidates, some with a release- prefix. */
  static List<String> tagNames(int count) {
    List<String> names = new ArrayList<>(count);
    for (int i = 0; names.size() < count; i++) {
      int major = i / 1000;
      int minor = (i / 40) % 25;
      int patch = i % 40;
      String base = major + "." + minor + "." + patch;
      if (i % 7 == 3) {
        names.add("v" + base + "-rc" + (1 + i % 3));
      } else if (i % 11 == 5) {
        names.add("release-" + base);
      } else {
        names.add("v" + base);
      }
    }
    return names;
  }

  private static void append(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  private static int bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  private static List<String> lines(String out) {
    return out.isEmpty() ? List.of() : List.of(out.split("\n"));
  }

  private static String git(Path repo, Path home, String... args) {
    return new String(run(repo, home, null, args), StandardCharsets.UTF_8);
  }

  /** git without a shell, isolated from the machine's configuration, with a timeout. */
  private static byte[] run(Path repo, Path home, byte[] input, String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(false);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("GIT_"));
    env.put("HOME", home.toString());
    env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    try {
      Process p = pb.start();
      try (OutputStream stdin = p.getOutputStream()) {
        if (input != null) {
          stdin.write(input);
        }
      }
      byte[] out;
      try (InputStream stdout = p.getInputStream()) {
        out = stdout.readAllBytes();
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("git " + String.join(" ", args) + " took over " + TIMEOUT_SECONDS + " s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("git " + String.join(" ", args) + " exited with " + p.exitValue());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
