package dev.rollback.core.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.health.MetricSource;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host's load, memory and disk read as sane numbers. */
class SystemMetricSourceTest {
  @TempDir Path dir;

  @Test
  void loadMemoryAndDiskAreWithinTheirRanges() throws Exception {
    MetricSource source = MetricSources.system(dir, Path.of("/"));

    assertThat(source.read("load1").orElseThrow()).isGreaterThanOrEqualTo(0);
    assertThat(source.read("load15").orElseThrow()).isGreaterThanOrEqualTo(0);
    assertThat(source.read("cpu").orElseThrow()).isGreaterThanOrEqualTo(0);
    assertThat(source.read("memory.used").orElseThrow()).isStrictlyBetween(0.0, 1.0);
    assertThat(source.read("disk.free").orElseThrow()).isBetween(0.0, 1.0);
    assertThat(source.read("disk.free:" + dir).orElseThrow()).isBetween(0.0, 1.0);
  }

  @Test
  void load1MatchesTheJvmsView() throws Exception {
    double jvm = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    org.junit.jupiter.api.Assumptions.assumeTrue(jvm >= 0, "the JVM reports no load average on this OS");

    assertThat(MetricSources.system().read("load1").orElseThrow()).isCloseTo(jvm, org.assertj.core.data.Offset.offset(5.0));
  }

  @Test
  void unknownQueriesAndDiskWithoutPathsAreExplained() {
    assertThatThrownBy(() -> MetricSources.system().read("disk.free")).hasMessageContaining("'disk.free' needs paths");
    assertThatThrownBy(() -> MetricSources.system().read("swap")).hasMessageContaining("use load1, load5, load15, cpu, memory.used");
  }
}
