package dev.rollback.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The order of {@code git tag --sort=-version:refname}, reproduced exactly (git 2.39).
 *
 * <p>Three parts of git make that order, and each is ported here:
 *
 * <ol>
 *   <li>{@code versioncmp()} of git's {@code versioncmp.c}: glibc's {@code strverscmp} state
 *       machine over the unsigned bytes of the UTF-8 refname, with {@code isdigit} meaning
 *       {@code '0'..'9'} only.
 *   <li>Its prerelease handling ({@code swap_prereleases}, {@code find_better_matching_suffix}) for
 *       the {@code versionsort.suffix} values, in configuration order. Callers pass the values of
 *       {@code versionsort.suffix}, or of the deprecated {@code versionsort.prereleaseSuffix} when
 *       {@code suffix} is unset (see {@link #suffixesFrom}).
 *   <li>{@code ref-filter.c}: the full refnames ({@code refs/tags/<name>}) are compared, {@code
 *       -cmp} for the descending sort, ties broken by {@code strcmp} of the refnames (not
 *       reversed); and the sort is git's own top-down merge sort ({@code compat/qsort_s.c}: split
 *       at {@code n/2}, sort both halves, merge taking from the left while {@code cmp <= 0}) over
 *       the refs in {@code strcmp} order, as git iterates them.
 * </ol>
 *
 * <p>With suffixes the comparison is not transitive for some sets of names, so only the same
 * algorithm over the same starting order gives git's answer; {@link List#sort} may not.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class GitVersionOrder {
  /** The prefix git puts before a tag name when it compares refs. */
  public static final String TAG_REF_PREFIX = "refs/tags/";

  // States of the strverscmp machine: normal, integral part, fractional part, leading zeros.
  private static final int S_N = 0;
  private static final int S_I = 3;
  private static final int S_F = 6;
  private static final int S_Z = 9;

  // Result types besides the fixed answers -1 and +1.
  private static final int CMP = 2;
  private static final int LEN = 3;

  /** Indexed by state + character class (0: other, 1: 1-9, 2: 0). */
  private static final int[] NEXT_STATE = {
    /* S_N */ S_N, S_I, S_Z,
    /* S_I */ S_N, S_I, S_I,
    /* S_F */ S_N, S_F, S_F,
    /* S_Z */ S_N, S_F, S_Z
  };

  /** Indexed by (state + class of c1) * 3 + class of c2. */
  private static final int[] RESULT_TYPE = {
    /*         x/x  x/d  x/0  d/x  d/d  d/0  0/x  0/d  0/0 */
    /* S_N */ CMP, CMP, CMP, CMP, LEN, CMP, CMP, CMP, CMP,
    /* S_I */ CMP, -1, -1, +1, LEN, LEN, +1, LEN, LEN,
    /* S_F */ CMP, CMP, CMP, CMP, CMP, CMP, CMP, CMP, CMP,
    /* S_Z */ CMP, +1, +1, -1, CMP, CMP, -1, CMP, CMP
  };

  private static final GitVersionOrder PLAIN = new GitVersionOrder(List.of());

  private final List<String> suffixes;
  private final byte[][] suffixBytes;

  private GitVersionOrder(List<String> suffixes) {
    this.suffixes = List.copyOf(suffixes);
    this.suffixBytes = new byte[this.suffixes.size()][];
    for (int i = 0; i < suffixBytes.length; i++) {
      suffixBytes[i] = this.suffixes.get(i).getBytes(StandardCharsets.UTF_8);
    }
  }

  /**
   * @param suffixes the {@code versionsort.suffix} values in configuration order; empty for git's
   *     plain version order
   * @return the order
   */
  public static GitVersionOrder withSuffixes(List<String> suffixes) {
    Objects.requireNonNull(suffixes, "suffixes");
    return suffixes.isEmpty() ? PLAIN : new GitVersionOrder(suffixes);
  }

  /**
   * Picks the suffixes git would use, from the values of both settings.
   *
   * @param suffix the values of {@code versionsort.suffix}, in configuration order
   * @param prereleaseSuffix the values of the deprecated {@code versionsort.prereleaseSuffix}
   * @return {@code suffix} when it has any value, otherwise {@code prereleaseSuffix} (git ignores
   *     the deprecated setting whenever the new one is set)
   */
  public static List<String> suffixesFrom(List<String> suffix, List<String> prereleaseSuffix) {
    return List.copyOf(suffix.isEmpty() ? prereleaseSuffix : suffix);
  }

  /**
   * Sorts tag names the way {@code git tag --sort=-version:refname} lists them.
   *
   * @param tagNames short tag names (without {@code refs/tags/}), in any order, no duplicates
   * @param suffixes the {@code versionsort.suffix} values in configuration order
   * @return the names, newest first
   */
  public static List<String> sortNewestFirst(Collection<String> tagNames, List<String> suffixes) {
    return withSuffixes(suffixes).newestFirst(tagNames, Function.identity());
  }

  /** @return the suffixes this order uses, in configuration order */
  public List<String> suffixes() {
    return suffixes;
  }

  /**
   * Sorts items by their tag names, newest first, exactly as {@code git tag
   * --sort=-version:refname} does.
   *
   * @param items the items, in any order
   * @param tagName the short tag name of an item (without {@code refs/tags/}); names are unique
   * @param <T> the item type
   * @return a new list, newest first
   */
  public <T> List<T> newestFirst(Collection<T> items, Function<? super T, String> tagName) {
    int n = items.size();
    Keyed[] keyed = new Keyed[n];
    int i = 0;
    for (T item : items) {
      keyed[i++] = new Keyed(item, (TAG_REF_PREFIX + tagName.apply(item)).getBytes(StandardCharsets.UTF_8));
    }
    // git iterates refs in strcmp order of their names, and its merge sort starts from there.
    Arrays.sort(keyed, (a, b) -> Arrays.compareUnsigned(a.ref, b.ref));
    Comparator<Keyed> descending = (a, b) -> {
      int cmp = -versionCompare(a.ref, b.ref);
      return cmp != 0 ? cmp : Arrays.compareUnsigned(a.ref, b.ref);
    };
    mergeSort(keyed, new Keyed[n], 0, n, descending);
    List<T> sorted = new ArrayList<>(n);
    for (Keyed k : keyed) {
      @SuppressWarnings("unchecked")
      T item = (T) k.item;
      sorted.add(item);
    }
    return sorted;
  }

  /**
   * git's {@code versioncmp()} on two strings, e.g. full refnames.
   *
   * @param s1 the first string
   * @param s2 the second string
   * @return negative, zero or positive as {@code s1} sorts before, with or after {@code s2} in
   *     ascending version order
   */
  public int versionCompare(String s1, String s2) {
    return versionCompare(s1.getBytes(StandardCharsets.UTF_8), s2.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * git's {@code versioncmp()} on the bytes of two strings (no terminating zero; bytes past the end
   * read as zero, like C's terminator).
   *
   * @param s1 the first string's bytes
   * @param s2 the second string's bytes
   * @return negative, zero or positive as {@code s1} sorts before, with or after {@code s2}
   */
  public int versionCompare(byte[] s1, byte[] s2) {
    int c1 = at(s1, 0);
    int c2 = at(s2, 0);
    int next = 1; // the index both strings are read at next; they advance together
    int state = S_N + charClass(c1);
    int diff;
    while ((diff = c1 - c2) == 0) {
      if (c1 == 0) {
        return diff;
      }
      state = NEXT_STATE[state];
      c1 = at(s1, next);
      c2 = at(s2, next);
      next++;
      state += charClass(c1);
    }
    if (suffixBytes.length > 0) {
      int swapped = swapPrereleases(s1, s2, next - 1);
      if (swapped != 0) {
        return swapped;
      }
    }
    int result = RESULT_TYPE[state * 3 + charClass(c2)];
    switch (result) {
      case CMP:
        return diff;
      case LEN:
        int p1 = next;
        int p2 = next;
        while (isDigit(at(s1, p1++))) {
          if (!isDigit(at(s2, p2++))) {
            return 1;
          }
        }
        return isDigit(at(s2, p2)) ? -1 : diff;
      default:
        return result;
    }
  }

  /**
   * {@code swap_prereleases}: when either string holds a configured suffix that contains the first
   * differing byte ({@code off}) or ends right before it, the string with the suffix sorts first;
   * two different suffixes sort by their configuration order.
   *
   * @return the answer, or 0 when the suffixes do not decide (none found, or the same one in both)
   */
  private int swapPrereleases(byte[] s1, byte[] s2, int off) {
    SuffixMatch match1 = new SuffixMatch(off);
    SuffixMatch match2 = new SuffixMatch(off);
    for (int i = 0; i < suffixBytes.length; i++) {
      byte[] suffix = suffixBytes[i];
      int start = suffix.length < off ? off - suffix.length : 0;
      findBetterMatchingSuffix(s1, suffix, start, i, match1);
      findBetterMatchingSuffix(s2, suffix, start, i, match2);
    }
    if (match1.confPos == -1 && match2.confPos == -1) {
      return 0;
    }
    if (match1.confPos == match2.confPos) {
      // The same suffix in both: the bytes after it decide.
      return 0;
    }
    if (match1.confPos >= 0 && match2.confPos >= 0) {
      return match1.confPos - match2.confPos;
    }
    return match1.confPos >= 0 ? -1 : 1;
  }

  /**
   * {@code find_better_matching_suffix}: a better match starts earlier, or at the same offset but
   * is longer.
   */
  private static void findBetterMatchingSuffix(byte[] tagName, byte[] suffix, int start, int confPos, SuffixMatch match) {
    int end = match.len < suffix.length ? match.start : match.start - 1;
    for (int i = start; i <= end; i++) {
      if (startsWith(tagName, i, suffix)) {
        match.confPos = confPos;
        match.start = i;
        match.len = suffix.length;
        break;
      }
    }
  }

  private static boolean startsWith(byte[] s, int offset, byte[] prefix) {
    for (int k = 0; k < prefix.length; k++) {
      if (at(s, offset + k) != (prefix[k] & 0xff)) {
        return false;
      }
    }
    return true;
  }

  /** git's compat merge sort: top-down, split at n/2, the left element wins ties. */
  private static <T> void mergeSort(T[] a, T[] tmp, int from, int n, Comparator<? super T> cmp) {
    if (n <= 1) {
      return;
    }
    int n1 = n / 2;
    int n2 = n - n1;
    mergeSort(a, tmp, from, n1, cmp);
    mergeSort(a, tmp, from + n1, n2, cmp);
    int b1 = from;
    int b2 = from + n1;
    int t = 0;
    while (n1 > 0 && n2 > 0) {
      if (cmp.compare(a[b1], a[b2]) <= 0) {
        tmp[t++] = a[b1++];
        n1--;
      } else {
        tmp[t++] = a[b2++];
        n2--;
      }
    }
    while (n1 > 0) {
      tmp[t++] = a[b1++];
      n1--;
    }
    // What is left of the right half is already in place.
    System.arraycopy(tmp, 0, a, from, t);
  }

  /** The byte at an index, unsigned; 0 past the end, like C's terminator. */
  private static int at(byte[] s, int i) {
    return i < s.length ? s[i] & 0xff : 0;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  /** 0 for a non-digit, 1 for 1-9, 2 for 0: git's {@code (c == '0') + (isdigit(c) != 0)}. */
  private static int charClass(int c) {
    return (c == '0' ? 1 : 0) + (isDigit(c) ? 1 : 0);
  }

  @Override
  public String toString() {
    return suffixes.isEmpty() ? "git version order" : "git version order with suffixes " + suffixes;
  }

  /** An item and its full refname's bytes. */
  private static final class Keyed {
    final Object item;
    final byte[] ref;

    Keyed(Object item, byte[] ref) {
      this.item = item;
      this.ref = ref;
    }
  }

  /** git's {@code struct suffix_match}. */
  private static final class SuffixMatch {
    int confPos = -1;
    int start;
    int len = -1;

    SuffixMatch(int start) {
      this.start = start;
    }
  }
}
