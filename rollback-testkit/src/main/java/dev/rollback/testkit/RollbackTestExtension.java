package dev.rollback.testkit;

import dev.rollback.core.RollbackRunner;
import dev.rollback.testkit.internal.TestFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link RollbackTest}: resolves parameters of the testkit's types for
 * test methods and their {@code @BeforeEach}/{@code @AfterEach} methods.
 *
 * <p>Each test method (each invocation, for repeated and parameterized tests) gets its own fakes,
 * made on first use and kept in the method's {@link ExtensionContext.Store}, so every parameter of one
 * test sees the same instances:
 *
 * <ul>
 *   <li>{@link ManualClock} starting at {@link ManualClock#DEFAULT_START};
 *   <li>{@link ManualSleeper} that advances that clock;
 *   <li>{@link FakeRollbackLock} measured on that clock;
 *   <li>{@link RecordingJournal}, {@link RecordingListener}, {@link StepLog};
 *   <li>{@link SimpleMeterRegistry}, closed when the test ends;
 *   <li>{@link RollbackRunner} built with {@code RollbackRunner.builder().clock(clock).sleeper(sleeper)
 *       .lock(lock).journal(journal).listener(listener).meterRegistry(registry)} and the owner
 *       {@code rollback-testkit};
 *   <li>{@link RollbackRunner.Builder}: a new builder wired the same way on every resolution, to add
 *       an approval gate or a lock TTL, for example.
 * </ul>
 *
 * <p>Constructors and {@code @BeforeAll} methods cannot take these parameters: they are not bound to
 * one test, so they would share fakes between tests.
 *
 * @since 0.1.0
 */
public final class RollbackTestExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RollbackTestExtension.class);

  private static final Map<Class<?>, Function<TestFixtures, Object>> RESOLVERS = Map.of(
      ManualClock.class, TestFixtures::clock,
      ManualSleeper.class, TestFixtures::sleeper,
      FakeRollbackLock.class, TestFixtures::lock,
      RecordingJournal.class, TestFixtures::journal,
      RecordingListener.class, TestFixtures::listener,
      StepLog.class, TestFixtures::stepLog,
      SimpleMeterRegistry.class, TestFixtures::meterRegistry,
      RollbackRunner.class, TestFixtures::runner,
      RollbackRunner.Builder.class, TestFixtures::runnerBuilder);

  /** Created by JUnit through {@link RollbackTest}. */
  public RollbackTestExtension() {}

  /**
   * @param parameter the parameter to resolve
   * @param context the test's context
   * @return whether the parameter has one of the testkit's types
   */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return RESOLVERS.containsKey(parameter.getParameter().getType());
  }

  /**
   * @param parameter the parameter to resolve
   * @param context the test's context
   * @return the test's instance of the parameter's type
   * @throws ParameterResolutionException when the parameter is not on a test method or one of its
   *     lifecycle methods
   */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (context.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException(
          "@RollbackTest injects " + type.getSimpleName() + " into test methods and their @BeforeEach/@AfterEach methods only,"
              + " so that each test gets fresh fakes; move the parameter of " + parameter.getDeclaringExecutable() + " there");
    }
    TestFixtures fixtures = context.getStore(NAMESPACE).getOrComputeIfAbsent(TestFixtures.class, k -> TestFixtures.create(), TestFixtures.class);
    return RESOLVERS.get(type).apply(fixtures);
  }
}
