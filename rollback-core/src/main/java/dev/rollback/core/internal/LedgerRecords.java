package dev.rollback.core.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.release.ReleaseOutcome;
import dev.rollback.core.release.ReleaseRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The rules both ledger stores apply to their list of records. */
final class LedgerRecords {
  private LedgerRecords() {}

  static void deployed(List<ReleaseRecord> records, String service, String version, Instant at) {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(at, "at");
    for (int i = 0; i < records.size(); i++) {
      ReleaseRecord r = records.get(i);
      if (r.service().equals(service) && r.outcome() == ReleaseOutcome.RUNNING) {
        records.set(i, new ReleaseRecord(r.service(), r.version(), r.deployedAt(), at, ReleaseOutcome.STABLE, r.incidents()));
      }
    }
    records.add(new ReleaseRecord(service, version, at, null, ReleaseOutcome.RUNNING, List.of()));
  }

  static void ended(List<ReleaseRecord> records, String service, String version, Instant at, ReleaseOutcome outcome,
      List<String> incidents) {
    if (outcome == ReleaseOutcome.RUNNING) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "a release cannot end as RUNNING: use STABLE, FAILED or ROLLED_BACK");
    }
    for (int i = records.size() - 1; i >= 0; i--) {
      ReleaseRecord r = records.get(i);
      if (r.service().equals(service) && r.version().equals(version) && r.outcome() == ReleaseOutcome.RUNNING) {
        List<String> all = new ArrayList<>(r.incidents());
        for (String inc : incidents) {
          if (!all.contains(inc)) {
            all.add(inc);
          }
        }
        records.set(i, new ReleaseRecord(service, version, r.deployedAt(), at, outcome, all));
        return;
      }
    }
    throw new RollbackException(ErrorCode.INVALID_CONFIGURATION,
        "the ledger has no running release of " + service + " " + version + " to end; running now: "
            + records.stream().filter(r -> r.service().equals(service) && r.outcome() == ReleaseOutcome.RUNNING)
                .map(ReleaseRecord::version).toList());
  }

  static List<ReleaseRecord> of(List<ReleaseRecord> records, String service) {
    return records.stream().filter(r -> r.service().equals(service)).sorted(
        java.util.Comparator.comparing(ReleaseRecord::deployedAt)).toList();
  }
}
