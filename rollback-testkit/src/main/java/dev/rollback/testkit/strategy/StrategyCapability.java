package dev.rollback.testkit.strategy;

/**
 * What a strategy (or its fixture) can do beyond the core of the contract. A fixture leaves out
 * what its platform legitimately cannot do (see {@link StrategyFixture#capabilities()}); the contract
 * tests that need it are then skipped with a message naming the capability, never passed silently.
 *
 * @since 0.1.0
 */
public enum StrategyCapability {
  /** Each history entry carries the time it was created ({@link dev.rollback.core.strategy.Revision#createdAt()}). */
  CREATION_TIMES("history entries carry no creation time"),

  /**
   * The strategy rolls back to any release in its history, not only to the previous one (a Swarm
   * service, for example, only knows its previous spec).
   */
  ANY_EARLIER_RELEASE("it rolls back to the previous release only"),

  /**
   * The strategy honours {@link dev.rollback.core.strategy.RollbackRequest#revision()} naming the
   * {@link dev.rollback.core.strategy.Revision#id()} of a history entry.
   */
  NAMED_REVISIONS("it does not take a revision id in the request"),

  /** The fixture can make the next rollout fail ({@link StrategyFixture#failNextRollout()}). */
  FAILING_ROLLOUT("its fixture cannot make a rollout fail"),

  /** The fixture can remove a release from the platform ({@link StrategyFixture#remove(String)}). */
  REMOVABLE_RELEASES("its fixture cannot remove a release");

  private final String missing;

  StrategyCapability(String missing) {
    this.missing = missing;
  }

  /** @return what it means when a strategy lacks this capability, for skip messages */
  public String whenMissing() {
    return missing;
  }
}
