package dev.rollback.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where a paused run asks a person what to do. The embedding platform implements it (a button in a
 * UI, a chat command) and completes the stage when someone answers. The runner waits at most the
 * step's {@link StepPolicy#approvalTimeout()}; no answer in time counts as {@link
 * ApprovalDecision.Action#ABORT}.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ApprovalGate {

  /**
   * @param request what failed and until when the runner waits
   * @return the answer, when it comes
   */
  CompletionStage<ApprovalDecision> request(ApprovalRequest request);

  /** @return the default gate: denies at once, so a pause aborts */
  static ApprovalGate denyAll() {
    return request ->
        CompletableFuture.completedFuture(
            ApprovalDecision.abort("rollback", "no approval gate configured: the default denies"));
  }
}
