package dev.rollback.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.Phase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

  @Test
  void showsAtMostOneProgressLinePerTenthOfTheWayAndEveryLineOfUnknownProgress() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleProgress console = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), ZoneOffset.UTC);
    Instant t = Instant.parse("2026-11-28T03:00:00Z");
    console.onEvent(new StepStarted("r", t, "wait", Phase.MONITOR, 1, 1, 1));
    for (int i = 0; i <= 100; i++) {
      console.onEvent(new StepProgress("r", t, "wait", "poll " + i, i / 100.0));
    }
    console.onEvent(new StepProgress("r", t, "wait", "no idea", -1));

    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text.lines().filter(l -> l.contains(".. wait: poll"))).hasSize(11);
    assertThat(text).contains("poll 0 (0%)").contains("poll 50 (50%)").contains("poll 100 (100%)").contains("no idea");
  }
}
