package dev.rollback.core.support;

/** A second provider of the same name with a higher priority: it must win. */
public class SecondFakeStrategyProvider extends FakeStrategyProvider {
  public SecondFakeStrategyProvider() {
    super("test-platform", 10);
  }
}
