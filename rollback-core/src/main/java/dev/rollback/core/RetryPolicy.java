package dev.rollback.core;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * How often a failing step is tried again and how long to wait in between: exponential backoff
 * with optional jitter, for chosen exception types. The policy is a resilience4j {@link
 * RetryConfig}; the waits between attempts go through the run's {@link Sleeper}.
 *
 * <pre>{@code
 * RetryPolicy retry = RetryPolicy.custom()
 *     .maxAttempts(4)
 *     .backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30))
 *     .jitter(0.5)
 *     .retryOn(IOException.class)
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class RetryPolicy {
  private static final RetryPolicy NONE = new RetryPolicy(RetryConfig.custom().maxAttempts(1).build());

  private final RetryConfig config;

  private RetryPolicy(RetryConfig config) {
    this.config = config;
  }

  /** @return the policy that tries once */
  public static RetryPolicy none() {
    return NONE;
  }

  /** @return a builder */
  public static Builder custom() {
    return new Builder();
  }

  /** @return how many attempts in all, counting the first */
  public int maxAttempts() {
    return config.getMaxAttempts();
  }

  /**
   * @param failure what the last attempt threw
   * @return whether that failure is worth another attempt
   */
  public boolean retries(Throwable failure) {
    return config.getExceptionPredicate().test(failure);
  }

  /**
   * @param attempt the attempt that just failed, from 1
   * @return how long to wait before the next attempt
   */
  public Duration backoffAfter(int attempt) {
    return Duration.ofMillis(config.getIntervalBiFunction().apply(attempt, null));
  }

  /** @return the underlying resilience4j configuration */
  public RetryConfig config() {
    return config;
  }

  @Override
  public String toString() {
    return "RetryPolicy[maxAttempts=" + maxAttempts() + "]";
  }

  /** Builds a {@link RetryPolicy}; problems are collected and reported at {@link #build()}. */
  public static final class Builder {
    private int maxAttempts = 3;
    private Duration initial = Duration.ofSeconds(1);
    private double multiplier = 2.0;
    private Duration max = Duration.ofSeconds(30);
    private double jitter;
    private final List<Class<? extends Throwable>> retryOn = new ArrayList<>();
    private final List<Class<? extends Throwable>> ignore = new ArrayList<>();

    private Builder() {}

    /**
     * @param maxAttempts attempts in all, counting the first; at least 1
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * @param initial the first wait; positive
     * @param multiplier growth per attempt; at least 1
     * @param max the longest wait; not shorter than {@code initial}
     * @return this builder
     */
    public Builder backoff(Duration initial, double multiplier, Duration max) {
      this.initial = initial;
      this.multiplier = multiplier;
      this.max = max;
      return this;
    }

    /**
     * @param randomizationFactor 0 for none; up to 1 to vary each wait by that fraction
     * @return this builder
     */
    public Builder jitter(double randomizationFactor) {
      this.jitter = randomizationFactor;
      return this;
    }

    /**
     * @param types the failures that retry (and their subclasses); default: every exception
     * @return this builder
     */
    @SafeVarargs
    public final Builder retryOn(Class<? extends Throwable>... types) {
      retryOn.addAll(Arrays.asList(types));
      return this;
    }

    /**
     * @param types failures that never retry, even when {@link #retryOn} matches
     * @return this builder
     */
    @SafeVarargs
    public final Builder ignore(Class<? extends Throwable>... types) {
      ignore.addAll(Arrays.asList(types));
      return this;
    }

    /**
     * @return the policy
     * @throws RollbackException listing every problem
     */
    public RetryPolicy build() {
      List<String> problems = new ArrayList<>();
      if (maxAttempts < 1) {
        problems.add("maxAttempts must be at least 1, but was " + maxAttempts);
      }
      if (initial == null || initial.isNegative() || initial.isZero()) {
        problems.add("backoff initial interval must be positive, but was " + initial);
      }
      if (!(multiplier >= 1.0)) {
        problems.add("backoff multiplier must be at least 1.0, but was " + multiplier);
      }
      if (max == null || (initial != null && max.compareTo(initial) < 0)) {
        problems.add("backoff max interval must not be shorter than the initial " + initial + ", but was " + max);
      }
      if (!(jitter >= 0.0 && jitter < 1.0)) {
        problems.add("jitter must be in [0, 1), but was " + jitter);
      }
      if (retryOn.contains(null) || ignore.contains(null)) {
        problems.add("retryOn/ignore types must not contain null");
      }
      if (!problems.isEmpty()) {
        throw RollbackException.invalid("invalid retry policy", problems);
      }
      IntervalFunction interval =
          jitter > 0
              ? IntervalFunction.ofExponentialRandomBackoff(initial, multiplier, jitter, max)
              : IntervalFunction.ofExponentialBackoff(initial, multiplier, max);
      List<Class<? extends Throwable>> on = List.copyOf(retryOn);
      List<Class<? extends Throwable>> never = List.copyOf(ignore);
      Predicate<Throwable> predicate =
          t ->
              never.stream().noneMatch(c -> c.isInstance(t))
                  && !(t instanceof Error)
                  && (on.isEmpty() || on.stream().anyMatch(c -> c.isInstance(t)));
      RetryConfig config =
          RetryConfig.custom()
              .maxAttempts(maxAttempts)
              .intervalFunction(interval)
              .retryOnException(Objects.requireNonNull(predicate))
              .build();
      return new RetryPolicy(config);
    }
  }
}
