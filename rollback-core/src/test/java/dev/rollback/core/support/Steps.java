package dev.rollback.core.support;

import dev.rollback.core.Phase;
import dev.rollback.core.Step;
import dev.rollback.core.StepResult;
import java.util.List;

/** Small step factories for core's own tests. */
public final class Steps {
  private Steps() {}

  public static Step noop(String id, Phase phase) {
    return Step.builder(id, phase).execute(ctx -> StepResult.succeeded()).build();
  }

  /** A step that appends "execute:id" / "compensate:id" to a shared log. */
  public static Step logging(String id, Phase phase, List<String> log) {
    return Step.builder(id, phase)
        .execute(ctx -> {
          log.add("execute:" + id);
          return StepResult.succeeded(id + " done");
        })
        .compensate(ctx -> {
          log.add("compensate:" + id);
          return StepResult.succeeded(id + " undone");
        })
        .build();
  }
}
