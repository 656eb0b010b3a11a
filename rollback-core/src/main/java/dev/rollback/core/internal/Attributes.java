package dev.rollback.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rollback.core.ErrorCode;
import dev.rollback.core.Key;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The facts steps share. Values a step puts are journaled as JSON when it completes; a resumed run
 * restores them as JSON and reads them with the type of the key that asks.
 */
final class Attributes {
  private final Map<String, Object> values = new HashMap<>();
  private final Map<String, String> stored = new HashMap<>();
  private final Set<String> written = new LinkedHashSet<>();

  synchronized <T> Optional<T> get(Key<T> key) {
    Object v = values.get(key.name());
    if (v == null) {
      String json = stored.get(key.name());
      if (json == null) {
        return Optional.empty();
      }
      try {
        v = JournalCodec.MAPPER.readValue(json, key.type());
      } catch (JsonProcessingException e) {
        throw new RollbackException(
            ErrorCode.JOURNAL_FAILURE,
            "attribute '" + key.name() + "' from the journal cannot be read as " + key.type().getName() + ": " + e.getOriginalMessage(),
            e);
      }
      values.put(key.name(), v);
    }
    if (!key.type().isInstance(v)) {
      throw new RollbackException(
          ErrorCode.INVALID_CONFIGURATION,
          "attribute '" + key.name() + "' holds a " + v.getClass().getName() + ", not the " + key.type().getName()
              + " its key asks for: two steps use one name for different facts");
    }
    return Optional.of(key.type().cast(v));
  }

  synchronized <T> void put(Key<T> key, T value) {
    Objects.requireNonNull(key, "key");
    if (value == null) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "attribute '" + key.name() + "' must not be set to null");
    }
    if (!key.type().isInstance(value)) {
      throw new RollbackException(
          ErrorCode.INVALID_CONFIGURATION,
          "attribute '" + key.name() + "' takes " + key.type().getName() + ", but was given a " + value.getClass().getName());
    }
    values.put(key.name(), value);
    stored.remove(key.name());
    written.add(key.name());
  }

  /**
   * @param stepId the step that completed
   * @param warn receives a warning per value that cannot be journaled
   * @return JSON per name of what the step wrote
   */
  synchronized Map<String, String> drainWritten(String stepId, Consumer<String> warn) {
    if (written.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : written) {
      Object v = values.get(name);
      if (v instanceof Secret) {
        warn.accept("attribute '" + name + "' set by step '" + stepId + "' is a secret and is not journaled: a resumed run will not see it");
        continue;
      }
      try {
        out.put(name, JournalCodec.MAPPER.writeValueAsString(v));
      } catch (JsonProcessingException e) {
        warn.accept("attribute '" + name + "' set by step '" + stepId + "' cannot be written to the journal ("
            + e.getOriginalMessage() + "): a resumed run will not see it");
      }
    }
    written.clear();
    return out;
  }

  synchronized void forgetWritten() {
    written.clear();
  }

  synchronized void restore(Map<String, String> json) {
    for (Map.Entry<String, String> e : json.entrySet()) {
      values.remove(e.getKey());
      stored.put(e.getKey(), e.getValue());
    }
  }
}
