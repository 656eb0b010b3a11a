package dev.rollback.core;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * A token, password or webhook URL that must never show up in logs, events, the journal or the
 * report. Its {@link #toString()} and its JSON form are redacted; only {@link #reveal()} gives the
 * value, at the one place that needs it.
 *
 * <pre>{@code
 * Secret token = Secret.of(System.getenv("SLACK_TOKEN"));
 * plan.secret("slack", token);        // the runner also masks the raw value in any text it records
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Secret {
  /** What a secret looks like wherever it is rendered. */
  public static final String REDACTED = "****";

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * Wraps a secret value.
   *
   * @param value the value; must not be empty
   * @return the secret
   * @throws RollbackException if the value is null or empty
   */
  public static Secret of(String value) {
    if (value == null || value.isEmpty()) {
      throw new RollbackException(
          ErrorCode.INVALID_CONFIGURATION,
          "secret value must not be null or empty: check the variable or file it was read from");
    }
    return new Secret(value);
  }

  /**
   * Returns the value. Call it only where the value is handed to the system that needs it.
   *
   * @return the raw value
   */
  public String reveal() {
    return value;
  }

  /** @return {@value #REDACTED}, never the value */
  @JsonValue
  @Override
  public String toString() {
    return REDACTED;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && other.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value);
  }
}
