package dev.rollback.core.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.TargetSelector;
import dev.rollback.core.release.ReleaseLedger;
import dev.rollback.core.release.ReleaseRecord;
import dev.rollback.core.version.TagFilter;
import dev.rollback.core.version.VersionCatalog;
import dev.rollback.core.version.VersionTag;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link TargetSelector#previousStable(Duration)}: walks older tags until one was stable. */
public final class PreviousStableSelector implements TargetSelector {
  private final Duration soak;
  private final TagFilter filter;

  /**
   * @param soak the least time in production
   * @param filter which tags count
   */
  public PreviousStableSelector(Duration soak, TagFilter filter) {
    if (soak == null || soak.isNegative()) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION,
          "previousStable soak time must not be negative, but was " + soak + ": give e.g. Duration.ofHours(24)");
    }
    this.soak = soak;
    this.filter = java.util.Objects.requireNonNull(filter, "filter");
  }

  @Override
  public Choice select(Selection s) {
    String what = toString();
    VersionCatalog catalog = s.requireCatalog(what);
    ReleaseLedger ledger = s.requireLedger(what);
    List<VersionTag> tags = catalog.tags(filter);
    if (tags.isEmpty()) {
      throw new RollbackException(ErrorCode.VERSION_REJECTED, catalog.tags().isEmpty()
          ? "the version catalogue has no tags: tag releases in git first"
          : "no tag matches " + filter + "; newest tags: " + catalog.tags().stream().limit(10).map(VersionTag::name).toList());
    }
    int current = -1;
    for (int i = 0; i < tags.size(); i++) {
      if (tags.get(i).name().equals(s.currentVersion())) {
        current = i;
        break;
      }
    }
    if (current < 0) {
      throw new RollbackException(ErrorCode.VERSION_REJECTED, "the running version " + s.currentVersion()
          + " is not a tag among " + filter + ", so no older version can be chosen; newest tags: "
          + tags.stream().limit(10).map(VersionTag::name).toList() + "; name the target with TargetSelector.exact(...)");
    }
    Instant now = s.clock().instant();
    List<String> skipped = new ArrayList<>();
    for (int i = current + 1; i < tags.size(); i++) {
      String v = tags.get(i).name();
      Optional<ReleaseRecord> stable = ledger.stableRecord(s.service(), v, soak, now);
      if (stable.isPresent()) {
        String reason = v + " is the newest version older than " + s.currentVersion() + " that ran at least " + soak
            + " in production without incident (" + stable.get().describe(soak, now) + ")"
            + (skipped.isEmpty() ? "" : "; skipped " + String.join("; ", skipped));
        return new Choice(v, reason);
      }
      skipped.add(ledger.latest(s.service(), v).map(r -> r.describe(soak, now)).orElse(v + " never ran in production"));
    }
    throw new RollbackException(ErrorCode.VERSION_REJECTED, "no version older than " + s.currentVersion()
        + " was stable in production for at least " + soak + (skipped.isEmpty() ? " (there is no older tag)" : ": " + String.join("; ", skipped))
        + "; name the target with TargetSelector.exact(...) and give an override reason");
  }

  @Override
  public String toString() {
    return "previousStable(" + soak + (filter.toString().equals("all tags") ? "" : ", " + filter) + ")";
  }
}
