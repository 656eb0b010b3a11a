package dev.rollback.core.health;

import dev.rollback.core.Phase;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.internal.HealthSuiteStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The critical endpoints a rollback must bring back (auth, core API, data retrieval…), each of which
 * must pass a number of consecutive times within a deadline. A failure resets that endpoint's count;
 * an endpoint that reached its count is not asked again. Waits go through the run's sleeper, so tests
 * compress time, and progress is reported while it polls.
 *
 * <p>As a step of the VALIDATE phase ({@link #asStep()}) it records one timeline entry with the
 * facts {@code kind=health-suite}, {@code suite}, {@code verdict} ({@code PASS} or {@code FAIL}) and
 * {@code table} (see {@link HealthSuiteResult#tableJson()}), which the incident report reads, and
 * fails with a {@link HealthSuiteFailedException} naming the endpoints that did not make it.
 *
 * <pre>{@code
 * HealthSuite suite = HealthSuite.custom("critical-endpoints")
 *     .endpoint("auth", HealthCheck.http(HttpCheck.custom(URI.create("https://auth/health")).build()))
 *     .endpoint("core-api", HealthCheck.http(URI.create("https://api/health")))
 *     .endpoint("data", HealthCheck.http(URI.create("https://api/orders?limit=1")), 5)
 *     .consecutivePasses(3)
 *     .interval(Duration.ofSeconds(5))
 *     .deadline(Duration.ofMinutes(5))
 *     .build();
 * plan.step(suite.asStep());
 * }</pre>
 *
 * @since 0.1.0
 */
public final class HealthSuite {
  /**
   * One critical endpoint.
   *
   * @param name its name in the table ("auth")
   * @param check how it is checked
   * @param requiredPasses how many consecutive passes it needs
   */
  public record Endpoint(String name, HealthCheck check, int requiredPasses) {
    /** Checks the components. */
    public Endpoint {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(check, "check");
    }
  }

  private final String name;
  private final List<Endpoint> endpoints;
  private final Duration interval;
  private final Duration deadline;

  private HealthSuite(String name, List<Endpoint> endpoints, Duration interval, Duration deadline) {
    this.name = name;
    this.endpoints = List.copyOf(endpoints);
    this.interval = interval;
    this.deadline = deadline;
  }

  /**
   * Starts a suite.
   *
   * @param name the suite's name; it is also the id of its step (e.g. {@code critical-endpoints})
   * @return a builder; problems are collected and reported at {@link Builder#build()}
   */
  public static Builder custom(String name) {
    return new Builder(name);
  }

  /** @return the suite's name, also the id of its step */
  public String name() {
    return name;
  }

  /** @return the endpoints, in declaration order */
  public List<Endpoint> endpoints() {
    return endpoints;
  }

  /** @return the time between two rounds of checks */
  public Duration interval() {
    return interval;
  }

  /** @return how long, on the run's clock, the endpoints have to reach their passes */
  public Duration deadline() {
    return deadline;
  }

  /**
   * Polls the endpoints until each reached its consecutive passes or the deadline passed. It records
   * nothing and does not throw for a failed suite: the caller decides ({@link #asStep()} records and
   * throws).
   *
   * @param ctx the run's context, for the clock, sleeper, cancellation and progress
   * @return the table of what each endpoint did
   * @throws InterruptedException when interrupted
   * @throws RollbackException with {@link dev.rollback.core.ErrorCode#CANCELLED} when the run was
   *     cancelled
   */
  public HealthSuiteResult run(StepContext ctx) throws InterruptedException {
    return HealthSuiteStep.poll(this, ctx);
  }

  /**
   * @return a read-only, idempotent step of the {@link Phase#VALIDATE} phase with the suite's name as
   *     its id
   */
  public Step asStep() {
    return new HealthSuiteStep(this);
  }

  @Override
  public String toString() {
    List<String> names = new ArrayList<>();
    for (Endpoint e : endpoints) {
      names.add(e.name() + " x" + e.requiredPasses() + " (" + e.check().name() + ")");
    }
    return "HealthSuite[" + name + ": " + String.join(", ", names) + ", every " + interval + " within " + deadline + "]";
  }

  /** Builds a {@link HealthSuite}; every problem is collected and reported once by {@link #build()}. */
  public static final class Builder {
    private final String name;
    private final List<String> names = new ArrayList<>();
    private final List<HealthCheck> checks = new ArrayList<>();
    private final List<Integer> required = new ArrayList<>();
    private int consecutivePasses = 3;
    private Duration interval = Duration.ofSeconds(5);
    private Duration deadline = Duration.ofMinutes(5);
    private final List<String> problems = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
      if (name == null || name.isBlank()) {
        problems.add("suite name must not be blank, but was " + (name == null ? "null" : "'" + name + "'")
            + ": name it after what it proves, e.g. 'critical-endpoints'");
      }
    }

    /**
     * Adds an endpoint that needs the suite's {@link #consecutivePasses(int)}.
     *
     * @param name its name in the table, unique in the suite ("auth", "core-api", "data")
     * @param check how it is checked
     * @return this builder
     */
    public Builder endpoint(String name, HealthCheck check) {
      return add(name, check, 0);
    }

    /**
     * Adds an endpoint with its own number of consecutive passes.
     *
     * @param name its name in the table, unique in the suite
     * @param check how it is checked
     * @param requiredPasses how many consecutive passes it needs; at least 1
     * @return this builder
     */
    public Builder endpoint(String name, HealthCheck check, int requiredPasses) {
      if (requiredPasses < 1) {
        problems.add("requiredPasses of endpoint '" + name + "' must be at least 1, but was " + requiredPasses);
        requiredPasses = 1;
      }
      return add(name, check, requiredPasses);
    }

    /**
     * Adds an HTTP endpoint.
     *
     * @param name its name in the table, unique in the suite
     * @param check the HTTP check's configuration
     * @return this builder
     */
    public Builder endpoint(String name, HttpCheck check) {
      return add(name, check == null ? null : HealthCheck.http(check), 0);
    }

    /**
     * Adds an HTTP endpoint with its own number of consecutive passes.
     *
     * @param name its name in the table, unique in the suite
     * @param check the HTTP check's configuration
     * @param requiredPasses how many consecutive passes it needs; at least 1
     * @return this builder
     */
    public Builder endpoint(String name, HttpCheck check, int requiredPasses) {
      return endpoint(name, check == null ? null : HealthCheck.http(check), requiredPasses);
    }

    private Builder add(String endpoint, HealthCheck check, int requiredPasses) {
      if (endpoint == null || endpoint.isBlank()) {
        problems.add("endpoint name must not be blank, but was " + (endpoint == null ? "null" : "'" + endpoint + "'") + ": e.g. 'auth'");
      } else if (names.contains(endpoint)) {
        problems.add("endpoint '" + endpoint + "' is declared twice: give each endpoint its own name");
      }
      if (check == null) {
        problems.add("check of endpoint '" + endpoint + "' must not be null: pass HealthCheck.http(uri)");
      }
      names.add(endpoint);
      checks.add(check);
      required.add(requiredPasses);
      return this;
    }

    /**
     * @param passes how many consecutive passes each endpoint needs unless it says otherwise; at
     *     least 1, default 3
     * @return this builder
     */
    public Builder consecutivePasses(int passes) {
      if (passes < 1) {
        problems.add("consecutivePasses must be at least 1, but was " + passes);
      } else {
        this.consecutivePasses = passes;
      }
      return this;
    }

    /**
     * @param interval the time between two rounds of checks; positive, default 5 s
     * @return this builder
     */
    public Builder interval(Duration interval) {
      if (interval == null || interval.isZero() || interval.isNegative()) {
        problems.add("interval must be positive, but was " + interval);
      } else {
        this.interval = interval;
      }
      return this;
    }

    /**
     * @param deadline how long the endpoints have, on the run's clock; positive, default 5 min
     * @return this builder
     */
    public Builder deadline(Duration deadline) {
      if (deadline == null || deadline.isZero() || deadline.isNegative()) {
        problems.add("deadline must be positive, but was " + deadline);
      } else {
        this.deadline = deadline;
      }
      return this;
    }

    /**
     * @return the suite
     * @throws RollbackException with {@link dev.rollback.core.ErrorCode#INVALID_CONFIGURATION}
     *     listing every problem
     */
    public HealthSuite build() {
      List<String> all = new ArrayList<>(problems);
      if (names.isEmpty()) {
        all.add("suite '" + name + "' has no endpoints: add at least one with endpoint(name, check)");
      }
      List<Endpoint> endpoints = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      int most = 0;
      for (int i = 0; i < names.size(); i++) {
        int n = required.get(i) == 0 ? consecutivePasses : required.get(i);
        most = Math.max(most, n);
        if (names.get(i) != null && !names.get(i).isBlank() && checks.get(i) != null && seen.add(names.get(i))) {
          endpoints.add(new Endpoint(names.get(i), checks.get(i), n));
        }
      }
      Duration needed = interval.multipliedBy(Math.max(0, most - 1));
      if (deadline.compareTo(needed) < 0) {
        all.add("deadline " + deadline + " is too short for " + most + " consecutive passes every " + interval
            + ": it needs at least " + needed + "; raise the deadline or shorten the interval");
      }
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid health suite '" + name + "'", all);
      }
      return new HealthSuite(name, endpoints, interval, deadline);
    }
  }
}
