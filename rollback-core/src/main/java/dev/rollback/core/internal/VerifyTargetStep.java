package dev.rollback.core.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.version.VersionCatalog;
import dev.rollback.core.version.VersionTag;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The PRECHECK step a plan gets when it has versions or a ledger: the target must exist as a tag,
 * resolve to a reachable commit with the required files, and have been stable in production (or
 * carry the operator's override, recorded in the timeline).
 */
public final class VerifyTargetStep implements Step {
  /** The step's id. */
  public static final String ID = "verify-target";

  private final @Nullable VersionCatalog catalog;
  private final TargetStability stability;

  /**
   * @param catalog the plan's versions, or null
   * @param stability how stability is judged
   */
  public VerifyTargetStep(@Nullable VersionCatalog catalog, TargetStability stability) {
    this.catalog = catalog;
    this.stability = stability;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Phase phase() {
    return Phase.PRECHECK;
  }

  @Override
  public boolean idempotent() {
    return true;
  }

  @Override
  public StepResult execute(StepContext ctx) {
    StepResult r = StepResult.succeeded();
    if (catalog != null) {
      VersionTag tag = catalog.verify(ctx.toVersion());
      r = r.withFact("commit", tag.commit());
      ctx.record("target " + tag.name() + " exists at commit " + tag.commit().substring(0, Math.min(12, tag.commit().length()))
          + " and is deployable", Map.of("tag", tag.name(), "commit", tag.commit()));
    }
    TargetStability.Verdict v = stability.judge(ctx.service(), ctx.toVersion(), ctx.clock().instant());
    if (!v.acceptable()) {
      throw new RollbackException(ErrorCode.VERSION_REJECTED, v.sentence()
          + ": roll back to a proven version, or give overrideTargetStability(reason) on the plan to go ahead anyway");
    }
    ctx.record(v.sentence(), Map.of("stable", String.valueOf(v.recordedStable())));
    String msg = v.recordedStable() ? ctx.toVersion() + " verified and stable in production"
        : ctx.toVersion() + " verified; " + v.sentence();
    return (v.recordedStable() || stability.ledger() == null ? StepResult.succeeded(msg) : StepResult.warned(msg))
        .withFact("stable", String.valueOf(v.recordedStable())).withFact("commit", r.facts().getOrDefault("commit", ""));
  }

  @Override
  public String preview(StepContext ctx) {
    return "would verify that " + ctx.toVersion() + (catalog == null ? "" : " is a deployable tag and")
        + " was stable in production";
  }
}
