package dev.rollback.core.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The names closest to one that was not found, for "did you mean" in error messages: fewest
 * single-character edits (Levenshtein distance) first, then by name.
 */
public final class NearestNames {
  private NearestNames() {}

  /**
   * @param wanted the name that was not found
   * @param candidates the names that exist
   * @param limit how many to return at most
   * @return up to {@code limit} names, nearest first
   */
  public static List<String> nearest(String wanted, Collection<String> candidates, int limit) {
    record Scored(String name, int distance) {}
    List<Scored> scored = new ArrayList<>(candidates.size());
    for (String c : candidates) {
      scored.add(new Scored(c, distance(wanted, c)));
    }
    scored.sort(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name));
    List<String> names = new ArrayList<>(Math.min(limit, scored.size()));
    for (int i = 0; i < scored.size() && i < limit; i++) {
      names.add(scored.get(i).name());
    }
    return names;
  }

  /**
   * @param a one string
   * @param b another
   * @return the fewest insertions, deletions and substitutions of one char that turn a into b
   */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
