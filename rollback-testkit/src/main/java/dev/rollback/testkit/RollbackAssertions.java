package dev.rollback.testkit;

import dev.rollback.core.RollbackResult;

/**
 * The entry point of the testkit's AssertJ assertions. Import it statically next to AssertJ's own
 * {@code assertThat}; the compiler picks this one for a {@link RollbackResult}.
 *
 * <pre>{@code
 * import static dev.rollback.testkit.RollbackAssertions.assertThat;
 *
 * assertThat(runner.run(plan))
 *     .failed()
 *     .ranSteps("drain")
 *     .didNotRun("validate")
 *     .compensated("drain");
 * }</pre>
 *
 * @since 0.1.0
 */
public final class RollbackAssertions {
  private RollbackAssertions() {}

  /**
   * @param actual the result of a run
   * @return assertions on it
   */
  public static RollbackResultAssert assertThat(RollbackResult actual) {
    return new RollbackResultAssert(actual);
  }
}
