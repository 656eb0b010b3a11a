package dev.rollback.core.internal;

import dev.rollback.core.Secret;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Masks known secret values in any text the runner records, logs or sends to listeners. */
public final class Redactor {
  private static final Redactor NONE = new Redactor(List.of());

  private final List<String> values;

  private Redactor(List<String> values) {
    this.values = values;
  }

  /**
   * @param secrets the secrets to mask
   * @return a redactor for them
   */
  public static Redactor of(Collection<Secret> secrets) {
    if (secrets.isEmpty()) {
      return NONE;
    }
    List<String> values = new ArrayList<>();
    for (Secret s : secrets) {
      values.add(s.reveal());
    }
    // Longest first, so a secret that contains another is masked whole.
    values.sort(Comparator.comparingInt(String::length).reversed());
    return new Redactor(List.copyOf(values));
  }

  /**
   * @param text any text
   * @return the text with every secret value replaced by {@link Secret#REDACTED}
   */
  public String apply(@Nullable String text) {
    if (text == null) {
      return "";
    }
    if (values.isEmpty()) {
      return text;
    }
    String out = text;
    for (String v : values) {
      if (out.contains(v)) {
        out = out.replace(v, Secret.REDACTED);
      }
    }
    return out;
  }

  /**
   * @param map key/values
   * @return a copy with secret values masked in keys and values
   */
  public Map<String, String> apply(Map<String, String> map) {
    if (values.isEmpty() || map.isEmpty()) {
      return map;
    }
    Map<String, String> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(apply(k), apply(v)));
    return out;
  }

  /**
   * Describes a failure in one line: its type and message, and its causes'.
   *
   * @param t the failure
   * @return the description, secrets masked
   */
  public String describe(Throwable t) {
    StringBuilder sb = new StringBuilder();
    Throwable cur = t;
    int depth = 0;
    while (cur != null && depth < 5) {
      if (depth > 0) {
        sb.append(" <- caused by ");
      }
      sb.append(cur.getClass().getName());
      if (cur.getMessage() != null) {
        sb.append(": ").append(cur.getMessage());
      }
      cur = cur.getCause() == cur ? null : cur.getCause();
      depth++;
    }
    return apply(sb.toString());
  }

  /**
   * Copies a failure with every message masked, keeping types (in the text) and stack traces, so
   * it can be logged with its trace without leaking a secret.
   *
   * @param t the failure
   * @return a masked copy
   */
  public Throwable apply(Throwable t) {
    if (values.isEmpty()) {
      return t;
    }
    return copy(t, 0);
  }

  private Throwable copy(Throwable t, int depth) {
    Throwable cause = t.getCause() != null && t.getCause() != t && depth < 8 ? copy(t.getCause(), depth + 1) : null;
    RedactedFailure copy = new RedactedFailure(t.getClass().getName() + ": " + apply(t.getMessage()), cause);
    copy.setStackTrace(t.getStackTrace());
    return copy;
  }

  /** A failure whose message had secrets masked. */
  static final class RedactedFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RedactedFailure(String message, @Nullable Throwable cause) {
      super(message, cause);
    }

    @Override
    public String toString() {
      return getMessage();
    }
  }
}
