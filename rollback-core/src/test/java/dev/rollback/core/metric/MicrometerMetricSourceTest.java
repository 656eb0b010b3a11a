package dev.rollback.core.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.RollbackException;
import dev.rollback.core.health.MetricSource;
import dev.rollback.core.support.TestClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The in-process Micrometer source and its small query language. */
class MicrometerMetricSourceTest {
  private final TestClock clock = TestClock.create();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void aCounterReadsAsARatePerSecondSinceThePreviousRead() throws Exception {
    Counter errors = registry.counter("http.errors", "uri", "/pay");
    errors.increment(5);
    MetricSource source = MetricSources.micrometer(registry, clock);

    errors.increment(30);
    clock.advance(Duration.ofSeconds(10));
    assertThat(source.read("http.errors")).hasValue(3.0);

    errors.increment(6);
    clock.advance(Duration.ofSeconds(60));
    assertThat(source.read("http.errors:rate")).hasValue(0.1);
    assertThat(source.read("http.errors:count")).hasValue(41.0);
  }

  @Test
  void tagsSelectMetersAndSeveralMatchingMetersAreSummed() throws Exception {
    registry.counter("http.errors", "uri", "/pay", "status", "500").increment(2);
    registry.counter("http.errors", "uri", "/pay", "status", "503").increment(3);
    registry.counter("http.errors", "uri", "/cart", "status", "500").increment(7);
    MetricSource source = MetricSources.micrometer(registry, clock);

    assertThat(source.read("http.errors{uri=/pay}:count")).hasValue(5.0);
    assertThat(source.read("http.errors{uri=\"/pay\",status=503}:count")).hasValue(3.0);
    assertThat(source.read("http.errors:count")).hasValue(12.0);
  }

  @Test
  void gaugesAndTimersHaveTheirOwnStatistics() throws Exception {
    AtomicInteger queue = registry.gauge("queue.size", new AtomicInteger(42));
    Timer timer = registry.timer("http.latency");
    timer.record(Duration.ofMillis(100));
    timer.record(Duration.ofMillis(300));
    MetricSource source = MetricSources.micrometer(registry, clock);

    assertThat(source.read("queue.size")).hasValue(42.0);
    queue.set(7);
    assertThat(source.read("queue.size:value")).hasValue(7.0);
    assertThat(source.read("http.latency")).hasValue(200.0);
    assertThat(source.read("http.latency:max")).hasValue(300.0);
    assertThat(source.read("http.latency:count")).hasValue(2.0);
  }

  @Test
  void aMissingMeterIsNoDataNotZero() throws Exception {
    MetricSource source = MetricSources.micrometer(registry, clock);

    assertThat(source.read("http.errors")).isEmpty();
    assertThat(source.read("http.errors{uri=/nowhere}")).isEmpty();
    assertThat(source.read("http.latency:mean")).isEmpty();
  }

  @Test
  void aTimerWithoutRecordingsHasNoMean() throws Exception {
    registry.timer("http.latency");
    assertThat(MetricSources.micrometer(registry, clock).read("http.latency")).isEmpty();
  }

  @Test
  void badQueriesSayWhatIsExpected() {
    registry.counter("c").increment();
    MetricSource source = MetricSources.micrometer(registry, clock);

    assertThatThrownBy(() -> source.read("c:p99")).isInstanceOf(RollbackException.class)
        .hasMessageContaining("statistic 'p99': use rate, count, value, mean, max or total");
    assertThatThrownBy(() -> source.read("c{uri}")).hasMessageContaining("tag 'uri' without a value");
    assertThatThrownBy(() -> source.read("not a query")).hasMessageContaining("name[{tag=value,...}][:statistic]");
  }

  @Test
  void aGateOnTheErrorRateOfAMicrometerCounter() {
    Counter errors = registry.counter("http.errors");
    MetricSource source = MetricSources.micrometer(registry, clock);
    MetricSource producing = q -> {
      errors.increment(120); // 120 errors per interval of a minute: 2 per second
      return source.read(q);
    };
    MetricGate gate = MetricGate.custom("errors").source(producing).query("http.errors").max(1).count(3)
        .interval(Duration.ofMinutes(1)).build();

    GateResult r = GateHarness.evaluate(GateHarness.runner(clock), gate);

    assertThat(r.verdict()).isEqualTo(GateVerdict.FAIL);
  }
}
