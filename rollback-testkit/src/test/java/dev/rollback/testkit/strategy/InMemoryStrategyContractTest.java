package dev.rollback.testkit.strategy;

/** A strategy that keeps every rule passes the whole contract. */
class InMemoryStrategyContractTest extends RollbackStrategyContract {
  @Override
  protected StrategyFixture createFixture() {
    return new InMemoryPlatform(InMemoryPlatform.Mistake.NONE);
  }
}
