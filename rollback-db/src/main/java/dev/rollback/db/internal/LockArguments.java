package dev.rollback.db.internal;

import dev.rollback.core.RollbackException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The checks both JDBC locks apply to {@code acquire}'s arguments. */
final class LockArguments {
  private LockArguments() {}

  static void check(String service, String runId, String owner, Duration ttl) {
    List<String> problems = new ArrayList<>();
    if (service == null || service.isBlank() || service.length() > 200) {
      problems.add("service must be 1 to 200 characters, but was '" + service + "'");
    }
    if (runId == null || runId.isBlank() || runId.length() > 200) {
      problems.add("runId must be 1 to 200 characters, but was '" + runId + "'");
    }
    if (owner == null || owner.length() > 400) {
      problems.add("owner must be at most 400 characters, but was '" + owner + "'");
    }
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      problems.add("lock ttl must be positive, but was " + ttl + ": give e.g. Duration.ofMinutes(2)");
    }
    if (!problems.isEmpty()) {
      throw RollbackException.invalid("cannot take the lock", problems);
    }
  }
}
