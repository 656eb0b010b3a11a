package dev.rollback.core.internal;

import dev.rollback.core.release.ReleaseLedger;
import dev.rollback.core.release.ReleaseOutcome;
import dev.rollback.core.release.ReleaseRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A ledger in a list, guarded by this object's monitor. */
public final class InMemoryReleaseLedger implements ReleaseLedger {
  private final List<ReleaseRecord> records = new ArrayList<>();

  @Override
  public synchronized void deployed(String service, String version, Instant at) {
    LedgerRecords.deployed(records, service, version, at);
  }

  @Override
  public synchronized void ended(String service, String version, Instant at, ReleaseOutcome outcome, List<String> incidents) {
    LedgerRecords.ended(records, service, version, at, outcome, incidents);
  }

  @Override
  public synchronized void record(ReleaseRecord record) {
    records.add(java.util.Objects.requireNonNull(record, "record"));
  }

  @Override
  public synchronized List<ReleaseRecord> releases(String service) {
    return LedgerRecords.of(records, service);
  }
}
