package dev.rollback.core.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.VersionProbe;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PRECHECK step a plan gets when it names a second version source: both sources are read
 * again, and both must report the version the run started from; otherwise the run stops before
 * anything is touched, naming both.
 */
public final class VerifyCurrentVersionStep implements Step {
  /** The step's id. */
  public static final String ID = "verify-current-version";

  private final List<VersionProbe> probes;

  /** @param probes the sources to read, at least one */
  public VerifyCurrentVersionStep(List<VersionProbe> probes) {
    this.probes = List.copyOf(probes);
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
  public StepResult execute(StepContext ctx) throws Exception {
    Map<String, String> seen = new LinkedHashMap<>();
    for (VersionProbe p : probes) {
      seen.put(p.source(), p.currentVersion().strip());
    }
    boolean agree = seen.values().stream().allMatch(v -> v.equals(ctx.fromVersion()));
    if (!agree) {
      StringBuilder sb = new StringBuilder("the version sources disagree about what runs: ");
      seen.forEach((k, v) -> sb.append(k).append(" says ").append(v).append("; "));
      sb.append("the run started from ").append(ctx.fromVersion())
          .append(". Find out what really runs (a deploy may be in progress) before rolling back");
      throw new RollbackException(ErrorCode.VERSION_REJECTED, sb.toString());
    }
    ctx.record(ctx.fromVersion() + " confirmed by " + seen.size() + " sources", seen);
    StepResult r = StepResult.succeeded(ctx.fromVersion() + " confirmed by " + String.join(" and ", seen.keySet()));
    for (Map.Entry<String, String> e : seen.entrySet()) {
      r = r.withFact(e.getKey(), e.getValue());
    }
    return r;
  }

  @Override
  public String preview(StepContext ctx) {
    return "would confirm " + ctx.fromVersion() + " with " + probes.stream().map(VersionProbe::source).toList();
  }
}
