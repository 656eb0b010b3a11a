package dev.rollback.core.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollback.core.RollbackException;
import dev.rollback.core.health.MetricSource;
import dev.rollback.core.support.TestClock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A log file followed like tail -F | grep: rotation by rename, truncation, missing file, windows. */
class LogFileMetricSourceTest {
  @TempDir Path dir;
  private final TestClock clock = TestClock.create();

  private Path log() {
    return dir.resolve("app.log");
  }

  private void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static double value(MetricSource s, String q) throws Exception {
    OptionalDouble v = s.read(q);
    assertThat(v).as("value of " + q).isPresent();
    return v.getAsDouble();
  }

  @Test
  void startsAtTheEndOfTheFileAndCountsErrorsAndWarningsPerMinute() throws Exception {
    append(log(), "ERROR old, before the rollback\n");
    MetricSource source = MetricSources.logFile(log(), clock);
    assertThat(value(source, "errors")).isZero();

    append(log(), "INFO ok\nERROR db timeout\nWARN slow\nERROR again\nan unfinished ERROR line");

    assertThat(value(source, "errors")).isEqualTo(2.0);
    assertThat(value(source, "warnings")).isEqualTo(1.0);
    assertThat(value(source, "lines_total")).isEqualTo(4.0);
  }

  @Test
  void followsARotationByRenameFinishingTheOldFileFirst() throws Exception {
    append(log(), "");
    MetricSource source = MetricSources.logFile(log(), clock);
    source.read("errors");
    append(log(), "ERROR one\n");
    Path rotated = dir.resolve("app.log.1");
    Files.move(log(), rotated);
    // The application still writes to the old file until it reopens its log.
    append(rotated, "ERROR two, written to the renamed file\n");
    assertThat(value(source, "errors_total")).as("while only the renamed file exists").isEqualTo(2.0);

    append(rotated, "ERROR three, the last line of the old file\nWARN partial last line without newline");
    append(log(), "ERROR four, in the new file\nINFO fine\n");

    assertThat(value(source, "errors_total")).isEqualTo(4.0);
    assertThat(value(source, "warnings_total")).isEqualTo(1.0);
    append(log(), "ERROR five\n");
    assertThat(value(source, "errors_total")).isEqualTo(5.0);
  }

  @Test
  void startsFromTheTopAfterATruncation() throws Exception {
    append(log(), "");
    MetricSource source = MetricSources.logFile(log(), clock);
    source.read("errors");
    append(log(), "ERROR a long line before the truncation, longer than what comes after\nERROR second\n");
    assertThat(value(source, "errors_total")).isEqualTo(2.0);

    try (FileChannel ch = FileChannel.open(log(), StandardOpenOption.WRITE)) {
      ch.truncate(0);
    }
    append(log(), "ERROR x\n");

    assertThat(value(source, "errors_total")).isEqualTo(3.0);
    append(log(), "WARN y\n");
    assertThat(value(source, "warnings_total")).isEqualTo(1.0);
    assertThat(value(source, "errors_total")).isEqualTo(3.0);
  }

  @Test
  void aFileThatDoesNotExistYetHasNoDataNotZeroAndIsReadFromTheTopWhenItAppears() throws Exception {
    MetricSource source = MetricSources.logFile(log(), clock);
    assertThat(source.read("errors")).isEmpty();

    append(log(), "ERROR first line of a new file\n");

    assertThat(value(source, "errors")).isEqualTo(1.0);
  }

  @Test
  void countsOnlyTheLinesOfTheLastWindow() throws Exception {
    append(log(), "");
    MetricSource source = MetricSources.logFile(log(), java.util.regex.Pattern.compile("ERROR"),
        java.util.regex.Pattern.compile("WARN"), Duration.ofMinutes(5), clock);
    source.read("errors");
    append(log(), "ERROR 1\nERROR 2\nERROR 3\nERROR 4\nERROR 5\n");
    assertThat(value(source, "errors")).as("5 errors in a 5-minute window: 1 per minute").isEqualTo(1.0);

    clock.advance(Duration.ofMinutes(3));
    append(log(), "ERROR 6\nERROR 7\nERROR 8\nERROR 9\nERROR 10\n");
    assertThat(value(source, "errors")).isEqualTo(2.0);

    clock.advance(Duration.ofMinutes(3));
    assertThat(value(source, "errors")).as("the first five left the window").isEqualTo(1.0);
    clock.advance(Duration.ofMinutes(3));
    assertThat(value(source, "errors")).isZero();
  }

  @Test
  void anUnknownQueryNamesTheKnownOnes() {
    MetricSource source = MetricSources.logFile(log(), clock);

    assertThatThrownBy(() -> source.read("error_rate")).isInstanceOf(RollbackException.class)
        .hasMessageContaining("'error_rate' is unknown: use errors or warnings");
  }
}
