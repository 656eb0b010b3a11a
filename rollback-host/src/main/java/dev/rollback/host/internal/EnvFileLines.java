package dev.rollback.host.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@code KEY=VALUE} lines of an env file: blank lines and {@code #} comments are skipped, an
 * {@code export } prefix is allowed, and one pair of surrounding quotes is removed from a value.
 * Values stay in memory: callers show key names and counts only.
 */
public final class EnvFileLines {
  private EnvFileLines() {}

  /**
   * @param content the file's bytes (UTF-8)
   * @return key to value, in file order (the last line wins for a repeated key)
   */
  public static Map<String, String> parse(byte[] content) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String raw : new String(content, StandardCharsets.UTF_8).split("\r?\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      out.put(key, value);
    }
    return out;
  }

  /**
   * @param before the keys and values now
   * @param after the keys and values to be
   * @return the names of keys added, removed or whose value differs, sorted
   */
  public static Set<String> changedKeys(Map<String, String> before, Map<String, String> after) {
    Set<String> changed = new TreeSet<>();
    for (String k : before.keySet()) {
      if (!Objects.equals(before.get(k), after.get(k))) {
        changed.add(k);
      }
    }
    for (String k : after.keySet()) {
      if (!before.containsKey(k)) {
        changed.add(k);
      }
    }
    return changed;
  }
}
