package dev.rollback.core;

import dev.rollback.core.internal.PreviousStableSelector;
import dev.rollback.core.release.ReleaseLedger;
import dev.rollback.core.version.TagFilter;
import dev.rollback.core.version.VersionCatalog;
import dev.rollback.core.version.VersionTag;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Picks the version to roll back to, once per run, when the run starts. The choice and its reason
 * go into the run's timeline and report.
 *
 * <pre>{@code
 * .target(TargetSelector.previousStable(Duration.ofHours(24)))   // needs versions(...) and ledger(...)
 * .target(TargetSelector.exact("v1.2.9"))
 * .target(TargetSelector.latestMatching(TagFilter.glob("v1.2.*")))
 * }</pre>
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface TargetSelector {

  /**
   * @param selection what is known when the run starts
   * @return the target and why it was chosen
   * @throws Exception when no target can be chosen; the message says why
   */
  Choice select(Selection selection) throws Exception;

  /**
   * What a selector knows when it is asked.
   *
   * @param service the service
   * @param currentVersion the version running now
   * @param catalog the plan's version catalogue, if it has one
   * @param ledger the plan's release ledger, if it has one
   * @param clock the run's clock
   */
  record Selection(String service, String currentVersion, @Nullable VersionCatalog catalog, @Nullable ReleaseLedger ledger,
      Clock clock) {
    /**
     * @param what the selector that needs it, for the message
     * @return the catalogue
     * @throws RollbackException when the plan has none
     */
    public VersionCatalog requireCatalog(String what) {
      if (catalog == null) {
        throw new RollbackException(ErrorCode.INVALID_CONFIGURATION,
            what + " needs the versions: add versions(GitVersionCatalog.open(path)) to the plan");
      }
      return catalog;
    }

    /**
     * @param what the selector that needs it, for the message
     * @return the ledger
     * @throws RollbackException when the plan has none
     */
    public ReleaseLedger requireLedger(String what) {
      if (ledger == null) {
        throw new RollbackException(ErrorCode.INVALID_CONFIGURATION,
            what + " needs a release ledger to know which versions were stable: add ledger(ReleaseLedger.jsonFile(path)) to the plan");
      }
      return ledger;
    }
  }

  /**
   * The version chosen and why.
   *
   * @param version the target version
   * @param reason one or more sentences for the timeline and report
   */
  record Choice(String version, String reason) {
    /** Checks the components. */
    public Choice {
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * @param version the exact target, e.g. {@code v1.2.9}
   * @return a selector that always picks it
   */
  static TargetSelector exact(String version) {
    Objects.requireNonNull(version, "version");
    return new TargetSelector() {
      @Override
      public Choice select(Selection selection) {
        return new Choice(version, "target " + version + " was named by the runbook");
      }

      @Override
      public String toString() {
        return "exact(" + version + ")";
      }
    };
  }

  /**
   * The newest version older than the running one that ran at least {@code soak} in production
   * without an incident and did not end FAILED or ROLLED_BACK. Needs the plan's versions and
   * release ledger.
   *
   * @param soak the least time in production, e.g. {@code Duration.ofHours(24)}
   * @return the selector
   */
  static TargetSelector previousStable(Duration soak) {
    return new PreviousStableSelector(soak, TagFilter.all());
  }

  /**
   * {@link #previousStable(Duration)} among the tags a filter accepts (e.g. one release line).
   *
   * @param soak the least time in production
   * @param filter which tags count
   * @return the selector
   */
  static TargetSelector previousStable(Duration soak, TagFilter filter) {
    return new PreviousStableSelector(soak, filter);
  }

  /**
   * The newest version the filter accepts, other than the running one. Needs the plan's versions.
   *
   * @param filter e.g. {@code TagFilter.glob("v1.2.*")}
   * @return the selector
   */
  static TargetSelector latestMatching(TagFilter filter) {
    Objects.requireNonNull(filter, "filter");
    return new TargetSelector() {
      @Override
      public Choice select(Selection s) {
        VersionCatalog catalog = s.requireCatalog("latestMatching(" + filter + ")");
        List<VersionTag> tags = catalog.tags();
        if (tags.isEmpty()) {
          throw new RollbackException(ErrorCode.VERSION_REJECTED, "the version catalogue has no tags: tag releases in git first");
        }
        Optional<VersionTag> hit = tags.stream()
            .filter(t -> filter.accepts(t.name()) && !t.name().equals(s.currentVersion()))
            .findFirst();
        return hit.map(t -> new Choice(t.name(), t.name() + " is the newest tag matching " + filter))
            .orElseThrow(() -> new RollbackException(ErrorCode.VERSION_REJECTED,
                "no tag other than the running " + s.currentVersion() + " matches " + filter + "; newest tags: "
                    + tags.stream().limit(10).map(VersionTag::name).toList()));
      }

      @Override
      public String toString() {
        return "latestMatching(" + filter + ")";
      }
    };
  }
}
