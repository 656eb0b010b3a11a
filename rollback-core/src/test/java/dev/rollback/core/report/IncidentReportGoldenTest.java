package dev.rollback.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The fixed journal of {@link ReportFixture} renders byte-identical Markdown, JSON and HTML,
 * compared with the golden files in {@code src/test/resources/report/}.
 *
 * <p>To regenerate the golden files after an intended change of the rendering, run
 * {@code ./mvnw -o -pl rollback-core test -Dtest=IncidentReportGoldenTest -Dreport.golden.update=true}
 * and review the diff of {@code src/test/resources/report/} before committing it. Without that
 * property this test never writes them.
 */
class IncidentReportGoldenTest {
  private static final Path GOLDEN = Path.of("src", "test", "resources", "report");
  private static final boolean UPDATE = Boolean.getBoolean("report.golden.update");

  private final IncidentReport report = IncidentReport.fromJournal(ReportFixture.journal(), ReportFixture.RUN_ID, ReportFixture.notes());

  @Test
  void theFixedJournalRendersByteIdenticalMarkdown() throws IOException {
    assertGolden("incident-report.md", report.toMarkdown());
  }

  @Test
  void theFixedJournalRendersByteIdenticalJson() throws IOException {
    assertGolden("incident-report.json", report.toJson());
  }

  @Test
  void theFixedJournalRendersByteIdenticalHtml() throws IOException {
    assertGolden("incident-report.html", report.toHtml());
  }

  @Test
  void renderingTwiceFromTwoReadsOfTheJournalGivesTheSameBytes() {
    IncidentReport again = IncidentReport.fromJournal(ReportFixture.journal(), ReportFixture.RUN_ID, ReportFixture.notes());

    assertThat(again).isEqualTo(report);
    assertThat(again.toMarkdown()).isEqualTo(report.toMarkdown());
    assertThat(again.toJson()).isEqualTo(report.toJson());
    assertThat(again.toHtml()).isEqualTo(report.toHtml());
  }

  @Test
  void theSvgShadesEveryPhaseThatRanAsALabelledBand() {
    String html = report.toHtml();
    List<String> svgs = all(Pattern.compile("(?s)<svg .*?</svg>"), html, 0);
    assertThat(svgs).hasSize(2);
    String errorChart = svgs.get(0);

    List<String> bandPhases = all(Pattern.compile("<rect class=\"phase-band\" data-phase=\"([A-Z_]+)\""), errorChart, 1);
    assertThat(bandPhases).containsExactly("ASSESS", "MOBILIZE", "PRECHECK", "TRAFFIC_DRAIN", "PLATFORM_ROLLBACK", "EDGE", "VALIDATE",
        "TRAFFIC_RESTORE");
    assertThat(all(Pattern.compile("<text class=\"phase-label\"[^>]*>([a-z ]+)</text>"), errorChart, 1))
        .containsExactly("assess", "mobilize", "precheck", "traffic drain", "platform rollback", "edge", "validate", "traffic restore");
    for (String rect : all(Pattern.compile("<rect class=\"phase-band\"[^>]*>"), errorChart, 0)) {
      assertThat(Double.parseDouble(attr(rect, "width"))).as(rect).isPositive();
      assertThat(attr(rect, "height")).isEqualTo("224");
    }
  }

  @Test
  void theSvgDrawsEveryRecordedSampleAsAPointAndLeavesGapsForMissingData() {
    String html = report.toHtml();
    List<String> svgs = all(Pattern.compile("(?s)<svg .*?</svg>"), html, 0);
    String errorChart = svgs.get(0);
    String latencyChart = svgs.get(1);

    assertThat(errorChart).contains("id=\"chart-error-rate\"");
    assertThat(latencyChart).contains("id=\"chart-latency-p99\"");
    // 14 samples of gate error-rate + 3 of gate restore-50pct (the fourth had no data)
    assertThat(all(Pattern.compile("<circle class=\"sample\""), errorChart, 0)).hasSize(17);
    assertThat(all(Pattern.compile("<circle class=\"sample\""), latencyChart, 0)).hasSize(7);
    assertThat(errorChart).contains("<title>error-rate 09:31:00: 0.118</title>", "<title>restore-50pct 09:50:00: 0.071</title>");
    // the gap splits restore-50pct's line in two
    assertThat(all(Pattern.compile("<polyline class=\"sample-line\""), errorChart, 0)).hasSize(3);
    assertThat(errorChart).contains("class=\"threshold\"", "threshold 0.05", ">time (UTC)</text>", ">error-rate</text>");
  }

  @Test
  void theSvgMarksTheRollbackMomentWithAVerticalLine() {
    String errorChart = all(Pattern.compile("(?s)<svg .*?</svg>"), report.toHtml(), 0).get(0);
    String line = all(Pattern.compile("<line class=\"rollback-moment\"[^>]*>"), errorChart, 0).get(0);
    assertThat(attr(line, "x1")).isEqualTo(attr(line, "x2"));
    String band = all(Pattern.compile("<rect class=\"phase-band\" data-phase=\"PLATFORM_ROLLBACK\"[^>]*>"), errorChart, 0).get(0);
    double bandEnd = Double.parseDouble(attr(band, "x")) + Double.parseDouble(attr(band, "width"));
    assertThat(Double.parseDouble(attr(line, "x1"))).isCloseTo(bandEnd, org.assertj.core.data.Offset.offset(0.11));
    assertThat(errorChart).contains(">rollback 09:39:10</text>");
  }

  @Test
  void theHtmlIsSelfContained() {
    String html = report.toHtml();
    assertThat(html).doesNotContainIgnoringCase("<script").contains("default-src 'none'");
    // the only URL is the SVG namespace: nothing is fetched, no font, no style sheet, no image
    assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", ""))
        .doesNotContain("http://", "https://", "src=", "href=", "@import", "url(", "<link");
  }

  private static String attr(String element, String name) {
    Matcher m = Pattern.compile(" " + name + "=\"([^\"]*)\"").matcher(element);
    assertThat(m.find()).as("%s has %s", element, name).isTrue();
    return m.group(1);
  }

  private static List<String> all(Pattern p, String s, int group) {
    List<String> out = new ArrayList<>();
    Matcher m = p.matcher(s);
    while (m.find()) {
      out.add(m.group(group));
    }
    return out;
  }

  private static void assertGolden(String name, String actual) throws IOException {
    Path file = GOLDEN.resolve(name);
    if (UPDATE) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(file).as("golden file %s (regenerate with -Dreport.golden.update=true)", file.toAbsolutePath()).exists();
    String expected = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(actual).as("rendering differs from golden file %s; if the change is intended, regenerate it with"
        + " -Dreport.golden.update=true and review the diff", file).isEqualTo(expected);
    assertThat(actual.getBytes(StandardCharsets.UTF_8)).isEqualTo(Files.readAllBytes(file));
  }
}
