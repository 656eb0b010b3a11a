package dev.rollback.core.notify;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RetryPolicy;
import dev.rollback.core.RollbackException;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.internal.NotificationDelivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Sends a notification to every notifier, retrying each with exponential backoff, and never fails
 * the rollback: a notifier that still fails after its last attempt is recorded in the run's
 * timeline (facts {@code kind=notification, notifier, outcome=delivered|failed, attempts, error})
 * and reported back, so the calling step can end WARNED. Waits between attempts go through {@link
 * StepContext#sleep}, so tests compress them and a cancelled run stops waiting.
 *
 * <pre>{@code
 * NotificationDispatcher notify = NotificationDispatcher.builder()
 *     .notifier(Notifiers.slack(slackWebhook))
 *     .notifier(Notifiers.pagerDuty(routingKey))
 *     .retry(RetryPolicy.custom().maxAttempts(4).backoff(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(30)).build())
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; one dispatcher serves all the notification steps of a plan (and a
 * monitoring step that alerts on a breach).
 *
 * @since 0.1.0
 */
public final class NotificationDispatcher {
  /** Three attempts, waiting 1 s then 2 s (doubling, at most 30 s). */
  public static final RetryPolicy DEFAULT_RETRY =
      RetryPolicy.custom().maxAttempts(3).backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30)).build();

  private final List<Notifier> notifiers;
  private final RetryPolicy retry;

  private NotificationDispatcher(List<Notifier> notifiers, RetryPolicy retry) {
    this.notifiers = List.copyOf(notifiers);
    this.retry = retry;
  }

  /**
   * A dispatcher with {@link #DEFAULT_RETRY}.
   *
   * @param notifiers at least one, with distinct names
   * @return the dispatcher
   * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} listing every problem
   */
  public static NotificationDispatcher of(Notifier... notifiers) {
    Builder b = builder();
    for (Notifier n : notifiers) {
      b.notifier(n);
    }
    return b.build();
  }

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the notifiers, in the order they are sent to */
  public List<Notifier> notifiers() {
    return notifiers;
  }

  /** @return the retry policy applied to each notifier */
  public RetryPolicy retry() {
    return retry;
  }

  /**
   * Sends to every notifier in turn that {@linkplain Notifier#accepts accepts} the notification,
   * retrying each by the policy, and records one timeline entry per notifier it sent to. Never
   * throws for a notifier's failure.
   *
   * @param ctx the context of the step that sends
   * @param notification what to send
   * @return one delivery per notifier that accepted it, in order
   * @throws InterruptedException when interrupted while waiting to retry
   * @throws RollbackException with {@link ErrorCode#CANCELLED} when the run was cancelled meanwhile
   */
  public List<Delivery> deliver(StepContext ctx, Notification notification) throws InterruptedException {
    return NotificationDelivery.deliver(ctx, notifiers, retry, notification);
  }

  /**
   * Turns deliveries into a step result: SUCCEEDED when all were delivered, WARNED naming each
   * notifier that failed otherwise (a failed notification never fails the rollback).
   *
   * @param what what was sent, for the message ("incident INC-… opened")
   * @param deliveries what {@link #deliver} returned
   * @return the result, with facts {@code delivered} and {@code failed} (notifier names)
   */
  public static StepResult result(String what, List<Delivery> deliveries) {
    return NotificationDelivery.result(what, deliveries);
  }

  @Override
  public String toString() {
    return "NotificationDispatcher" + notifiers.stream().map(Notifier::name).toList() + "[" + retry + "]";
  }

  /** Builds a {@link NotificationDispatcher}; problems are collected and reported at {@link #build()}. */
  public static final class Builder {
    private final List<Notifier> notifiers = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private RetryPolicy retry = DEFAULT_RETRY;

    private Builder() {}

    /**
     * @param notifier a notifier; its name must differ from the others' (see {@link Notifiers#named})
     * @return this builder
     */
    public Builder notifier(Notifier notifier) {
      if (notifier == null) {
        problems.add("notifier #" + (notifiers.size() + 1) + " is null: pass one of Notifiers.slack(..), webhook(..), pagerDuty(..), log()");
      } else {
        notifiers.add(notifier);
      }
      return this;
    }

    /**
     * @param notifiers more notifiers
     * @return this builder
     */
    public Builder notifiers(Notifier... notifiers) {
      Arrays.asList(notifiers).forEach(this::notifier);
      return this;
    }

    /**
     * @param retry attempts and backoff per notifier; default {@link #DEFAULT_RETRY}
     * @return this builder
     */
    public Builder retry(RetryPolicy retry) {
      if (retry == null) {
        problems.add("retry must not be null: use RetryPolicy.none() to try once");
      } else {
        this.retry = retry;
      }
      return this;
    }

    /**
     * @return the dispatcher
     * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} listing every problem
     */
    public NotificationDispatcher build() {
      List<String> all = new ArrayList<>(problems);
      if (notifiers.isEmpty() && problems.isEmpty()) {
        all.add("notifiers must not be empty: add at least one, e.g. Notifiers.log()");
      }
      Set<String> seen = new HashSet<>();
      for (Notifier n : notifiers) {
        String name = n.name();
        if (name == null || name.isBlank()) {
          all.add("notifier " + n.getClass().getName() + " has a blank name: name() must return a short unique name");
        } else if (!seen.add(name)) {
          all.add("notifier name '" + name + "' is used twice: rename one with Notifiers.named(\"" + name + "-2\", notifier)");
        }
      }
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid notification dispatcher", all);
      }
      return new NotificationDispatcher(notifiers, retry);
    }
  }
}
