package dev.rollback.k8s.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 6902 JSON Patch under construction. JSON Patch is the one patch type that behaves the
 * same in a real API server and in fabric8's CRUD mock (merge patches concatenate lists there,
 * strategic merge is refused).
 */
public final class PatchOperations {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Map<String, Object>> ops = new ArrayList<>();

  /**
   * @param segment one path segment (a map key such as {@code nginx.ingress.kubernetes.io/canary})
   * @return the segment escaped for a JSON pointer ({@code ~} → {@code ~0}, {@code /} → {@code ~1})
   */
  public static String escape(String segment) {
    return segment.replace("~", "~0").replace("/", "~1");
  }

  /**
   * @param segments path segments, unescaped
   * @return the JSON pointer
   */
  public static String pointer(Object... segments) {
    StringBuilder b = new StringBuilder();
    for (Object s : segments) {
      b.append('/').append(escape(String.valueOf(s)));
    }
    return b.toString();
  }

  /**
   * Adds an {@code add} operation (creates a member, or replaces it when present).
   *
   * @param path the JSON pointer
   * @param value the value
   * @return this
   */
  public PatchOperations add(String path, Object value) {
    return op("add", path, value);
  }

  /**
   * Adds a {@code replace} operation (the member must exist).
   *
   * @param path the JSON pointer
   * @param value the value
   * @return this
   */
  public PatchOperations replace(String path, Object value) {
    return op("replace", path, value);
  }

  /**
   * Adds a {@code test} operation: the patch fails unless the member has this value.
   *
   * @param path the JSON pointer
   * @param value the expected value
   * @return this
   */
  public PatchOperations test(String path, Object value) {
    return op("test", path, value);
  }

  /**
   * Adds a {@code remove} operation.
   *
   * @param path the JSON pointer
   * @return this
   */
  public PatchOperations remove(String path) {
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("op", "remove");
    op.put("path", path);
    ops.add(op);
    return this;
  }

  private PatchOperations op(String name, String path, Object value) {
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("op", name);
    op.put("path", path);
    op.put("value", value);
    ops.add(op);
    return this;
  }

  /** @return true when no operation was added */
  public boolean isEmpty() {
    return ops.isEmpty();
  }

  /** @return the patch as JSON text */
  public String toJson() {
    try {
      return JSON.writeValueAsString(ops);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON patch of " + ops.size() + " operation(s): " + e.getOriginalMessage(), e);
    }
  }
}
