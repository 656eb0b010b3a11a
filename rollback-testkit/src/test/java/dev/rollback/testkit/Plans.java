package dev.rollback.testkit;

import dev.rollback.core.RollbackPlan;
import dev.rollback.core.Step;

/** Plans for the tests: checkout-api rolls back from v1.3.0 to v1.2.9. */
final class Plans {
  static final String SERVICE = "checkout-api";

  private Plans() {}

  static RollbackPlan.Builder checkout() {
    return RollbackPlan.builder(SERVICE).currentVersion("v1.3.0").target("v1.2.9");
  }

  static RollbackPlan checkout(Step... steps) {
    RollbackPlan.Builder b = checkout();
    for (Step s : steps) {
      b.step(s);
    }
    return b.build();
  }
}
