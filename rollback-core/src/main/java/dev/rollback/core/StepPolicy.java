package dev.rollback.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How the runner treats one step: its timeout, its retries, and what happens when it fails.
 * Immutable; build it with {@link #custom()}.
 *
 * <pre>{@code
 * StepPolicy policy = StepPolicy.custom()
 *     .timeout(Duration.ofMinutes(5))
 *     .retry(RetryPolicy.custom().maxAttempts(3).build())
 *     .onFailure(FailureAction.PAUSE)
 *     .approvalTimeout(Duration.ofMinutes(10))
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class StepPolicy {
  private static final StepPolicy DEFAULTS = new Builder().build();

  private final @Nullable Duration timeout;
  private final RetryPolicy retry;
  private final FailureAction onFailure;
  private final Duration approvalTimeout;

  private StepPolicy(Builder b) {
    this.timeout = b.timeout;
    this.retry = b.retry;
    this.onFailure = b.onFailure;
    this.approvalTimeout = b.approvalTimeout;
  }

  /**
   * The defaults: no runner-imposed timeout (built-in steps bound their own waits), a single
   * attempt, {@link FailureAction#ABORT}, and 15 minutes for an approval.
   *
   * @return the default policy
   */
  public static StepPolicy defaults() {
    return DEFAULTS;
  }

  /** @return a builder starting from the defaults */
  public static Builder custom() {
    return new Builder();
  }

  /** @return the longest one attempt may take; empty when the step bounds itself */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** @return the retry policy */
  public RetryPolicy retry() {
    return retry;
  }

  /** @return what happens when the step fails after its retries */
  public FailureAction onFailure() {
    return onFailure;
  }

  /** @return how long a {@link FailureAction#PAUSE} waits for an answer before aborting */
  public Duration approvalTimeout() {
    return approvalTimeout;
  }

  @Override
  public String toString() {
    return "StepPolicy[timeout=" + timeout + ", retry=" + retry + ", onFailure=" + onFailure + ", approvalTimeout=" + approvalTimeout + "]";
  }

  /** Builds a {@link StepPolicy}; problems are collected and reported at {@link #build()}. */
  public static final class Builder {
    private @Nullable Duration timeout;
    private RetryPolicy retry = RetryPolicy.none();
    private FailureAction onFailure = FailureAction.ABORT;
    private Duration approvalTimeout = Duration.ofMinutes(15);
    private final List<String> problems = new ArrayList<>();

    private Builder() {}

    /**
     * @param timeout the longest one attempt may take; positive
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        problems.add("timeout must be positive, but was " + timeout + ": give e.g. Duration.ofMinutes(5)");
      } else {
        this.timeout = timeout;
      }
      return this;
    }

    /**
     * @param retry the retry policy
     * @return this builder
     */
    public Builder retry(RetryPolicy retry) {
      if (retry == null) {
        problems.add("retry must not be null: use RetryPolicy.none() for a single attempt");
      } else {
        this.retry = retry;
      }
      return this;
    }

    /**
     * @param action what happens when the step fails after its retries
     * @return this builder
     */
    public Builder onFailure(FailureAction action) {
      if (action == null) {
        problems.add("onFailure must not be null: pass ABORT, CONTINUE or PAUSE");
      } else {
        this.onFailure = action;
      }
      return this;
    }

    /**
     * @param approvalTimeout how long a pause waits for an answer; positive
     * @return this builder
     */
    public Builder approvalTimeout(Duration approvalTimeout) {
      if (approvalTimeout == null || approvalTimeout.isNegative() || approvalTimeout.isZero()) {
        problems.add("approvalTimeout must be positive, but was " + approvalTimeout + ": give e.g. Duration.ofMinutes(15)");
      } else {
        this.approvalTimeout = approvalTimeout;
      }
      return this;
    }

    /**
     * @return the policy
     * @throws RollbackException listing every problem
     */
    public StepPolicy build() {
      if (!problems.isEmpty()) {
        throw RollbackException.invalid("invalid step policy", problems);
      }
      return new StepPolicy(this);
    }
  }
}
