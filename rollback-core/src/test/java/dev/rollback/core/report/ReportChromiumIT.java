package dev.rollback.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report opens in a real headless Chromium (Debian's {@code chromium}, installed by {@code
 * scripts/test-services.sh start}) and renders to a screenshot, copied to {@code
 * target/report-screenshot.png} for people to look at. Without Chromium the test fails when
 * {@code CI=true} and is skipped otherwise.
 */
class ReportChromiumIT {
  private static final long TIMEOUT_SECONDS = 120;
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @TempDir
  Path tmp;

  @Test
  void theHtmlReportOpensInHeadlessChromiumAndRendersAScreenshot() throws Exception {
    String chromium = requireChromium();
    IncidentReport report = IncidentReport.fromJournal(ReportFixture.journal(), ReportFixture.RUN_ID, ReportFixture.notes());
    Map<ReportFormat, Path> files = report.writeTo(tmp.resolve("reports"));
    Path html = files.get(ReportFormat.HTML);
    Path screenshot = tmp.resolve("report.png");
    Path profile = Files.createDirectories(tmp.resolve("chromium-profile"));
    Path log = tmp.resolve("chromium.log");

    List<String> command = new ArrayList<>(Arrays.asList(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--screenshot=" + screenshot, "--window-size=1280,1600", html.toUri().toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      fail("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command + "\n" + read(log));
    }

    assertThat(p.exitValue()).as("chromium exit code; output:\n%s", read(log)).isZero();
    assertThat(screenshot).as("screenshot; chromium output:\n%s", read(log)).exists();
    byte[] png = Files.readAllBytes(screenshot);
    assertThat(Arrays.copyOf(png, PNG_MAGIC.length)).as("PNG magic bytes").isEqualTo(PNG_MAGIC);
    // a blank 1280x1600 page compresses to a few kilobytes; the report with its charts is far larger
    assertThat(png.length).as("screenshot size in bytes").isGreaterThan(40_000);
    Path kept = Files.createDirectories(Path.of("target")).resolve("report-screenshot.png");
    Files.copy(screenshot, kept, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(html, Path.of("target", "report-screenshot.html"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static String requireChromium() {
    for (String candidate : List.of("chromium", "chromium-browser")) {
      try {
        Process p = new ProcessBuilder(candidate, "--version").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return candidate;
        }
        p.destroyForcibly();
      } catch (IOException e) {
        // not this one
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if ("true".equals(System.getenv("CI"))) {
      fail("chromium is not on the PATH, and CI=true: run scripts/test-services.sh start (it installs Debian's chromium)");
    }
    Assumptions.abort("chromium is not on the PATH: install Debian's chromium (scripts/test-services.sh start) to run the HTML report test");
    return "";
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }
}
