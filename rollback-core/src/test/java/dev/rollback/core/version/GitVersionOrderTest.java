package dev.rollback.core.version;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.internal.GitVersionOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The port of git's version order, on orders that git 2.39 printed for {@code git tag
 * --sort=version:refname} (ascending) and {@code --sort=-version:refname}. {@link GitTagOrderIT}
 * checks the same against the real git on many more names.
 */
class GitVersionOrderTest {
  private static final List<String> ASCENDING_WITHOUT_SUFFIXES = List.of(
      "1.9", "1.10", "2.0", "2.0-alpha", "2.0-beta", "2.0-rc1", "2.0.1",
      "v1.001", "v1.01", "v1.09", "v1.0", "v1.0-bar", "v1.0-rc1", "v1.0-rc2", "v1.0-rc10", "v1.0.0", "v1.0.1",
      "v1.0a", "v1.2.9", "v1.2.10");

  private static final List<String> ASCENDING_WITH_RC = List.of(
      "1.9", "1.10", "2.0-rc1", "2.0", "2.0-alpha", "2.0-beta", "2.0.1",
      "v1.0-rc1", "v1.0-rc2", "v1.0-rc10", "v1.001", "v1.01", "v1.09", "v1.0", "v1.0-bar", "v1.0.0", "v1.0.1",
      "v1.0a", "v1.2.9", "v1.2.10");

  private static final List<String> ASCENDING_WITH_ALPHA_BETA_RC = List.of(
      "1.9", "1.10", "2.0-alpha", "2.0-beta", "2.0-rc1", "2.0", "2.0.1",
      "v1.0-rc1", "v1.0-rc2", "v1.0-rc10", "v1.001", "v1.01", "v1.09", "v1.0", "v1.0-bar", "v1.0.0", "v1.0.1",
      "v1.0a", "v1.2.9", "v1.2.10");

  private static final List<String> NEWEST_FIRST_WITH_RC_BETA_ALPHA = List.of(
      "v1.2.10", "v1.2.9", "v1.0a", "v1.0.1", "v1.0.0", "v1.0-bar", "v1.0", "v1.09", "v1.01", "v1.001",
      "v1.0-rc10", "v1.0-rc2", "v1.0-rc1", "2.0.1", "2.0", "2.0-alpha", "2.0-beta", "2.0-rc1", "1.10", "1.9");

  @Test
  void withoutSuffixesNumbersCompareAsNumbersAndAReleaseCandidateSortsAfterItsRelease() {
    assertThat(GitVersionOrder.sortNewestFirst(shuffled(ASCENDING_WITHOUT_SUFFIXES), List.of()))
        .containsExactlyElementsOf(reversed(ASCENDING_WITHOUT_SUFFIXES));
  }

  @Test
  void withTheRcSuffixReleaseCandidatesSortBeforeTheirRelease() {
    assertThat(GitVersionOrder.sortNewestFirst(shuffled(ASCENDING_WITH_RC), List.of("-rc")))
        .containsExactlyElementsOf(reversed(ASCENDING_WITH_RC));
  }

  @Test
  void severalSuffixesSortInTheOrderTheyAreConfigured() {
    assertThat(GitVersionOrder.sortNewestFirst(shuffled(ASCENDING_WITH_ALPHA_BETA_RC), List.of("-alpha", "-beta", "-rc")))
        .containsExactlyElementsOf(reversed(ASCENDING_WITH_ALPHA_BETA_RC));
    assertThat(GitVersionOrder.sortNewestFirst(shuffled(ASCENDING_WITH_ALPHA_BETA_RC), List.of("-rc", "-beta", "-alpha")))
        .containsExactlyElementsOf(NEWEST_FIRST_WITH_RC_BETA_ALPHA);
  }

  @Test
  void versionCompareIsGlibcStrverscmpOnPlainStrings() {
    GitVersionOrder plain = GitVersionOrder.withSuffixes(List.of());
    assertThat(plain.versionCompare("v1.2.9", "v1.2.10")).isNegative();
    assertThat(plain.versionCompare("1.10", "1.9")).isPositive();
    // Leading zeros are fractional parts: the longer run of zeros is the smaller number.
    assertThat(plain.versionCompare("000", "00")).isNegative();
    assertThat(plain.versionCompare("00", "01")).isNegative();
    assertThat(plain.versionCompare("01", "010")).isNegative();
    assertThat(plain.versionCompare("09", "0")).isNegative();
    assertThat(plain.versionCompare("0", "1")).isNegative();
    assertThat(plain.versionCompare("item#99", "item#100")).isNegative();
    assertThat(plain.versionCompare("alpha1", "alpha001")).isPositive();
    assertThat(plain.versionCompare("part1_f012", "part1_f01")).isPositive();
    assertThat(plain.versionCompare("same", "same")).isZero();
  }

  @Test
  void bytesCompareUnsignedSoNonAsciiSortsAfterAscii() {
    GitVersionOrder plain = GitVersionOrder.withSuffixes(List.of());
    // "é" is 0xC3 0xA9 in UTF-8: above every ASCII byte when read unsigned.
    assertThat(plain.versionCompare("v2.0-\u00e9", "v2.0-z")).isPositive();
    assertThat(GitVersionOrder.sortNewestFirst(List.of("v2.0-z", "v2.0-\u00e9", "v2.0-Z"), List.of()))
        .containsExactly("v2.0-\u00e9", "v2.0-z", "v2.0-Z");
  }

  @Test
  void aSuffixCountsWhenItEndsRightBeforeTheFirstDifference() {
    GitVersionOrder rc = GitVersionOrder.withSuffixes(List.of("-rc"));
    // "v1.0-rc" and "v1.0-rc1" differ after the suffix, which both hold: plain comparison decides.
    assertThat(rc.versionCompare("refs/tags/v1.0-rc", "refs/tags/v1.0-rc1")).isNegative();
    // "v1.0-rc1" against "v1.0": the difference is at the suffix, so the suffix sorts first.
    assertThat(rc.versionCompare("refs/tags/v1.0-rc1", "refs/tags/v1.0")).isNegative();
    assertThat(rc.versionCompare("refs/tags/v1.0", "refs/tags/v1.0-rc1")).isPositive();
  }

  @Test
  void differentSuffixesInBothNamesSortByConfigurationOrderAndAtOneStartTheLongerSuffixCounts() {
    // "1.0-beta-rc" holds "-beta" at the difference, "1.0-rc" holds "-rc": "-rc" is configured first.
    GitVersionOrder order = GitVersionOrder.withSuffixes(List.of("-rc", "-beta"));
    assertThat(order.versionCompare("1.0-beta-rc", "1.0-rc")).isPositive();
    // At the same start, the longer suffix is the better match: "-rc-final" (2nd) beats "-rc" (1st).
    GitVersionOrder overlapping = GitVersionOrder.withSuffixes(List.of("-rc", "-x", "-rc-final"));
    assertThat(overlapping.versionCompare("1.0-rc-final", "1.0-x")).isPositive();
  }

  @Test
  void theDeprecatedPrereleaseSuffixCountsOnlyWhenSuffixIsUnset() {
    assertThat(GitVersionOrder.suffixesFrom(List.of(), List.of("-rc"))).containsExactly("-rc");
    assertThat(GitVersionOrder.suffixesFrom(List.of("-beta"), List.of("-rc"))).containsExactly("-beta");
    assertThat(GitVersionOrder.suffixesFrom(List.of(), List.of())).isEmpty();
  }

  @Test
  void sortingItemsKeepsEachItemWithItsName() {
    record Item(String tag, int id) {}
    List<Item> items = List.of(new Item("v1.2.9", 1), new Item("v1.2.10", 2), new Item("v1.10", 3)); // 1.10 > 1.2.x

    List<Item> sorted = GitVersionOrder.withSuffixes(List.of()).newestFirst(items, Item::tag);

    assertThat(sorted).extracting(Item::id).containsExactly(3, 2, 1);
  }

  private static List<String> shuffled(List<String> names) {
    List<String> copy = new ArrayList<>(names);
    Collections.shuffle(copy, new Random(42));
    return copy;
  }

  private static List<String> reversed(List<String> names) {
    List<String> copy = new ArrayList<>(names);
    Collections.reverse(copy);
    return copy;
  }
}
