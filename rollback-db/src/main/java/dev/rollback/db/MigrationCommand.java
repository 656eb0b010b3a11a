package dev.rollback.db;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One external command a framework migration tool runs: an argument list (never a shell line), the
 * working folder, extra environment (plain and secret values) and a timeout. A {@link
 * ProcessRunner} runs it.
 *
 * @param args the program and its arguments
 * @param directory the working folder, or null for the current one
 * @param environment extra environment variables
 * @param secretEnvironment extra environment variables whose values must never be printed
 * @param timeout the longest it may run
 * @since 0.1.0
 */
public record MigrationCommand(
    List<String> args, @Nullable Path directory, Map<String, String> environment, Map<String, Secret> secretEnvironment, Duration timeout) {

  /** Checks and copies the components. */
  public MigrationCommand {
    if (args == null || args.isEmpty() || args.stream().anyMatch(Objects::isNull) || args.get(0).isBlank()) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "a migration command needs a program and no null arguments, but was " + args);
    }
    if (timeout == null || timeout.isZero() || timeout.isNegative()) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "a migration command's timeout must be positive, but was " + timeout);
    }
    args = List.copyOf(args);
    environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    secretEnvironment = Collections.unmodifiableMap(new LinkedHashMap<>(secretEnvironment));
  }

  /** @return the argument list joined by spaces, for messages (arguments hold no secrets) */
  public String display() {
    return String.join(" ", args);
  }
}
