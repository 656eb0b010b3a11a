package dev.rollback.core.release;

import dev.rollback.core.internal.InMemoryReleaseLedger;
import dev.rollback.core.internal.JsonFileReleaseLedger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Which version ran when, and how it ended. Core ships a JSON file and an in-memory store;
 * {@code rollback-db} adds a JDBC one.
 *
 * <pre>{@code
 * ReleaseLedger ledger = ReleaseLedger.jsonFile(Path.of("/var/lib/rollback/releases.json"));
 * ledger.deployed("checkout-api", "v1.3.0", Instant.now());   // from the deploy pipeline
 * }</pre>
 *
 * @since 0.1.0
 */
public interface ReleaseLedger {

  /**
   * Records that a version started serving. The record that was RUNNING for the service (if any)
   * ends as {@link ReleaseOutcome#STABLE} at the same time unless it already ended.
   *
   * @param service the service
   * @param version the version now serving
   * @param at when it started
   */
  void deployed(String service, String version, Instant at);

  /**
   * Ends the running record of a version.
   *
   * @param service the service
   * @param version the version
   * @param at when it stopped serving
   * @param outcome how it ended
   * @param incidents incident ids raised while it ran
   * @throws dev.rollback.core.RollbackException when the version has no running record
   */
  void ended(String service, String version, Instant at, ReleaseOutcome outcome, List<String> incidents);

  /**
   * Adds a record as it is (for imports and tests).
   *
   * @param record the record
   */
  void record(ReleaseRecord record);

  /**
   * @param service the service
   * @return its records, oldest deployment first
   */
  List<ReleaseRecord> releases(String service);

  /**
   * @param service the service
   * @param version a version
   * @param soak the least time it must have run
   * @param now the current time
   * @return the newest record that shows the version stable, if any
   */
  default Optional<ReleaseRecord> stableRecord(String service, String version, Duration soak, Instant now) {
    List<ReleaseRecord> all = releases(service);
    for (int i = all.size() - 1; i >= 0; i--) {
      ReleaseRecord r = all.get(i);
      if (r.version().equals(version) && r.stable(soak, now)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /**
   * @param service the service
   * @param version a version
   * @return the newest record of that version, if any
   */
  default Optional<ReleaseRecord> latest(String service, String version) {
    List<ReleaseRecord> all = releases(service);
    for (int i = all.size() - 1; i >= 0; i--) {
      if (all.get(i).version().equals(version)) {
        return Optional.of(all.get(i));
      }
    }
    return Optional.empty();
  }

  /** @return a ledger in memory */
  static ReleaseLedger inMemory() {
    return new InMemoryReleaseLedger();
  }

  /**
   * @param file a JSON file (created when missing); every change rewrites it atomically
   * @return a ledger stored in that file
   */
  static ReleaseLedger jsonFile(Path file) {
    return new JsonFileReleaseLedger(file);
  }
}
