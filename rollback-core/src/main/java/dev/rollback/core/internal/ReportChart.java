package dev.rollback.core.internal;

import static dev.rollback.core.internal.ReportText.html;

import dev.rollback.core.report.IncidentReport;
import dev.rollback.core.report.ReportGate;
import dev.rollback.core.report.ReportPhaseBand;
import dev.rollback.core.report.ReportSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One inline SVG chart of a metric over the run: the phases shaded as labelled bands, the rollback
 * moment as a vertical line, each gate's samples as a line with a circle per data point, the
 * threshold as a dashed line, axes with ticks and labels. Coordinates are rounded to one decimal
 * with {@link Locale#ROOT}, so the output is deterministic.
 */
final class ReportChart {
  static final int WIDTH = 960;
  static final int HEIGHT = 334;
  private static final int LEFT = 72;
  private static final int RIGHT = 24;
  private static final int TOP = 54;
  private static final int LABEL_ROWS = 4;
  private static final double LABEL_CHAR_WIDTH = 5.2;
  private static final int BOTTOM = 56;
  private static final String[] BAND_FILLS = {"#dbe9f6", "#fde9d4", "#e3f1dc", "#ece3f3", "#f6f0c9", "#dff1f1"};
  private static final String[] SERIES = {"#1f5fa8", "#c23b22", "#2d8a3e", "#7b3fa0", "#b8860b"};
  private static final long[] TIME_STEPS_SECONDS = {
    10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400
  };

  private final IncidentReport report;
  private final String metric;
  private final List<ReportGate> gates;
  private final StringBuilder out = new StringBuilder(8192);
  private long t0;
  private long t1;
  private double yMax;

  private ReportChart(IncidentReport report, String metric, List<ReportGate> gates) {
    this.report = report;
    this.metric = metric;
    this.gates = gates;
  }

  /**
   * @param report the report (phases, rollback moment, time range)
   * @param metric the metric charted
   * @param gates the gate evaluations of that metric; at least one sample among them
   * @return the {@code <svg>} element
   */
  static String svg(IncidentReport report, String metric, List<ReportGate> gates) {
    return new ReportChart(report, metric, gates).build();
  }

  private String build() {
    Map<String, List<ReportSample>> series = series();
    Instant start = report.startedAt();
    Instant end = report.endedAt();
    double max = 0;
    for (List<ReportSample> samples : series.values()) {
      for (ReportSample s : samples) {
        start = s.at().isBefore(start) ? s.at() : start;
        end = s.at().isAfter(end) ? s.at() : end;
        if (s.value() != null) {
          max = Math.max(max, s.value());
        }
      }
    }
    Set<Double> thresholds = new TreeSet<>();
    for (ReportGate g : gates) {
      Double t = number(g.threshold());
      if (t != null) {
        thresholds.add(t);
        max = Math.max(max, t);
      }
    }
    t0 = start.toEpochMilli();
    t1 = Math.max(end.toEpochMilli(), t0 + 60_000);
    yMax = niceCeiling(max <= 0 ? 1 : max * 1.1);

    String id = "chart-" + slug(metric);
    out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"").append(html(id)).append("\" width=\"").append(WIDTH)
        .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
        .append("\" role=\"img\" aria-label=\"").append(html(metric)).append(" over time\" font-family=\"sans-serif\" font-size=\"11\">\n");
    out.append("<title>").append(html(metric)).append(" over time</title>\n");
    out.append("<rect class=\"plot-area\" x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(plotWidth())
        .append("\" height=\"").append(plotHeight()).append("\" fill=\"#ffffff\" stroke=\"#cccccc\"/>\n");
    bands();
    grid();
    for (double t : thresholds) {
      double y = y(t);
      out.append("<line class=\"threshold\" x1=\"").append(LEFT).append("\" y1=\"").append(f(y)).append("\" x2=\"").append(LEFT + plotWidth())
          .append("\" y2=\"").append(f(y)).append("\" stroke=\"#888888\" stroke-dasharray=\"6 4\"/>\n");
      out.append("<text class=\"threshold-label\" x=\"").append(LEFT + plotWidth() - 4).append("\" y=\"").append(f(y - 4))
          .append("\" text-anchor=\"end\" fill=\"#555555\">threshold ").append(html(ReportText.number(t))).append("</text>\n");
    }
    rollbackLine();
    int k = 0;
    for (Map.Entry<String, List<ReportSample>> s : series.entrySet()) {
      drawSeries(s.getKey(), s.getValue(), SERIES[k % SERIES.length]);
      k++;
    }
    legend(series.keySet());
    out.append("</svg>\n");
    return out.toString();
  }

  /** Samples per gate name, merged over repeated evaluations, in time order, duplicates dropped. */
  private Map<String, List<ReportSample>> series() {
    Map<String, Set<ReportSample>> merged = new LinkedHashMap<>();
    for (ReportGate g : gates) {
      merged.computeIfAbsent(g.name(), n -> new LinkedHashSet<>()).addAll(g.samples());
    }
    Map<String, List<ReportSample>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Set<ReportSample>> e : merged.entrySet()) {
      List<ReportSample> list = new ArrayList<>(e.getValue());
      list.sort(java.util.Comparator.comparing(ReportSample::at));
      out.put(e.getKey(), list);
    }
    return out;
  }

  private void bands() {
    // Labels go into up to four rows above the plot: each into the first row where it does not run
    // into the previous label of that row, so short neighbouring phases stay readable.
    double[] rowEnd = new double[LABEL_ROWS];
    java.util.Arrays.fill(rowEnd, Double.NEGATIVE_INFINITY);
    int i = 0;
    for (ReportPhaseBand b : report.phases()) {
      double x0 = x(b.start());
      double x1 = x(b.end());
      double w = Math.max(1, x1 - x0);
      String fill = BAND_FILLS[i % BAND_FILLS.length];
      String text = label(b.phase());
      double lx = x0 + 1;
      int row = 0;
      while (row < LABEL_ROWS - 1 && rowEnd[row] > lx) {
        row++;
      }
      rowEnd[row] = lx + text.length() * LABEL_CHAR_WIDTH + 4;
      double ly = TOP - 4 - row * 11;
      out.append("<g class=\"phase-band\" data-phase=\"").append(html(b.phase())).append("\">");
      out.append("<rect class=\"phase-band\" data-phase=\"").append(html(b.phase())).append("\" x=\"").append(f(x0)).append("\" y=\"")
          .append(TOP).append("\" width=\"").append(f(w)).append("\" height=\"").append(plotHeight()).append("\" fill=\"").append(fill)
          .append("\" fill-opacity=\"0.8\"><title>").append(html(b.phase())).append(' ').append(ReportText.time(b.start())).append('–')
          .append(ReportText.time(b.end())).append("</title></rect>");
      out.append("<line class=\"phase-tick\" x1=\"").append(f(x0)).append("\" y1=\"").append(f(ly + 2)).append("\" x2=\"").append(f(x0))
          .append("\" y2=\"").append(TOP).append("\" stroke=\"#999999\" stroke-width=\"0.5\"/>");
      out.append("<text class=\"phase-label\" x=\"").append(f(lx + 1)).append("\" y=\"").append(f(ly)).append("\" font-size=\"9\" fill=\"#333333\">")
          .append(html(text)).append("</text></g>\n");
      i++;
    }
  }

  private static String label(String phase) {
    return phase.toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  private void grid() {
    // y axis: five ticks from 0 to yMax
    out.append("<g class=\"axis y-axis\">\n");
    out.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"").append(LEFT).append("\" y2=\"")
        .append(TOP + plotHeight()).append("\" stroke=\"#333333\"/>\n");
    for (int i = 0; i <= 5; i++) {
      double v = yMax * i / 5;
      double y = y(v);
      out.append("<line x1=\"").append(LEFT - 4).append("\" y1=\"").append(f(y)).append("\" x2=\"").append(LEFT + plotWidth())
          .append("\" y2=\"").append(f(y)).append("\" stroke=\"#000000\" stroke-opacity=\"").append(i == 0 ? "0.6" : "0.08").append("\"/>");
      out.append("<text x=\"").append(LEFT - 7).append("\" y=\"").append(f(y + 4)).append("\" text-anchor=\"end\">")
          .append(html(ReportText.number(v))).append("</text>\n");
    }
    double cy = TOP + plotHeight() / 2.0;
    out.append("<text class=\"axis-label\" x=\"16\" y=\"").append(f(cy)).append("\" text-anchor=\"middle\" transform=\"rotate(-90 16 ")
        .append(f(cy)).append(")\">").append(html(metric)).append("</text>\n");
    out.append("</g>\n");
    // x axis: time ticks on a round step
    out.append("<g class=\"axis x-axis\">\n");
    long span = (t1 - t0) / 1000;
    long step = TIME_STEPS_SECONDS[TIME_STEPS_SECONDS.length - 1];
    for (long s : TIME_STEPS_SECONDS) {
      if (span / s <= 8) {
        step = s;
        break;
      }
    }
    long stepMs = step * 1000;
    long first = ((t0 + stepMs - 1) / stepMs) * stepMs;
    for (long t = first; t <= t1; t += stepMs) {
      double x = x(Instant.ofEpochMilli(t));
      out.append("<line x1=\"").append(f(x)).append("\" y1=\"").append(TOP + plotHeight()).append("\" x2=\"").append(f(x)).append("\" y2=\"")
          .append(TOP + plotHeight() + 5).append("\" stroke=\"#333333\"/>");
      String label = step < 60 ? ReportText.time(Instant.ofEpochMilli(t)) : ReportText.hourMinute(Instant.ofEpochMilli(t));
      out.append("<text x=\"").append(f(x)).append("\" y=\"").append(TOP + plotHeight() + 18).append("\" text-anchor=\"middle\">")
          .append(label).append("</text>\n");
    }
    out.append("<text class=\"axis-label\" x=\"").append(LEFT + plotWidth() / 2).append("\" y=\"").append(HEIGHT - 22)
        .append("\" text-anchor=\"middle\">time (UTC)</text>\n");
    out.append("</g>\n");
  }

  private void rollbackLine() {
    Instant at = report.rollbackAt();
    if (at == null) {
      return;
    }
    double x = x(at);
    out.append("<g class=\"rollback-moment\"><line class=\"rollback-moment\" x1=\"").append(f(x)).append("\" y1=\"").append(TOP)
        .append("\" x2=\"").append(f(x)).append("\" y2=\"").append(TOP + plotHeight())
        .append("\" stroke=\"#d0021b\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>");
    boolean right = x < LEFT + plotWidth() - 140;
    out.append("<text class=\"rollback-label\" x=\"").append(f(right ? x + 4 : x - 4)).append("\" y=\"").append(TOP + 12)
        .append("\" text-anchor=\"").append(right ? "start" : "end").append("\" fill=\"#d0021b\" font-weight=\"bold\">rollback ")
        .append(ReportText.time(at)).append("</text></g>\n");
  }

  private void drawSeries(String name, List<ReportSample> samples, String color) {
    out.append("<g class=\"series\" data-gate=\"").append(html(name)).append("\">\n");
    StringBuilder points = new StringBuilder();
    for (ReportSample s : samples) {
      if (s.value() == null) {
        flush(points, color);
        continue;
      }
      points.append(points.length() == 0 ? "" : " ").append(f(x(s.at()))).append(',').append(f(y(s.value())));
    }
    flush(points, color);
    for (ReportSample s : samples) {
      if (s.value() == null) {
        continue;
      }
      out.append("<circle class=\"sample\" cx=\"").append(f(x(s.at()))).append("\" cy=\"").append(f(y(s.value())))
          .append("\" r=\"3.5\" fill=\"").append(color).append("\" stroke=\"#ffffff\" stroke-width=\"1\"><title>").append(html(name))
          .append(' ').append(ReportText.time(s.at())).append(": ").append(html(ReportText.number(s.value()))).append("</title></circle>\n");
    }
    out.append("</g>\n");
  }

  private void flush(StringBuilder points, String color) {
    if (points.length() == 0) {
      return;
    }
    out.append("<polyline class=\"sample-line\" points=\"").append(points).append("\" fill=\"none\" stroke=\"").append(color)
        .append("\" stroke-width=\"2\"/>\n");
    points.setLength(0);
  }

  private void legend(Set<String> names) {
    int x = LEFT;
    int k = 0;
    int y = HEIGHT - 6;
    out.append("<g class=\"legend\">");
    for (String n : names) {
      out.append("<rect x=\"").append(x).append("\" y=\"").append(y - 9).append("\" width=\"12\" height=\"4\" fill=\"")
          .append(SERIES[k % SERIES.length]).append("\"/><text x=\"").append(x + 16).append("\" y=\"").append(y - 4).append("\">gate ")
          .append(html(n)).append("</text>");
      x += 40 + 7 * n.length();
      k++;
    }
    int ly = y - 9;
    out.append("<line x1=\"").append(x).append("\" y1=\"").append(ly + 2).append("\" x2=\"").append(x + 14).append("\" y2=\"").append(ly + 2)
        .append("\" stroke=\"#d0021b\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/><text x=\"").append(x + 18).append("\" y=\"")
        .append(y - 4).append("\">rollback moment</text>");
    out.append("</g>\n");
  }

  private int plotWidth() {
    return WIDTH - LEFT - RIGHT;
  }

  private int plotHeight() {
    return HEIGHT - TOP - BOTTOM;
  }

  private double x(Instant at) {
    return LEFT + (double) (at.toEpochMilli() - t0) / (t1 - t0) * plotWidth();
  }

  private double y(double v) {
    return TOP + plotHeight() - v / yMax * plotHeight();
  }

  private static String f(double v) {
    return ReportText.number(v, 1);
  }

  static double niceCeiling(double v) {
    double exp = Math.pow(10, Math.floor(Math.log10(v)));
    double[] steps = {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10};
    for (double s : steps) {
      if (s * exp >= v - 1e-12) {
        return s * exp;
      }
    }
    return 10 * exp;
  }

  private static @Nullable Double number(@Nullable String s) {
    if (s == null) {
      return null;
    }
    try {
      double d = Double.parseDouble(s.strip());
      return Double.isFinite(d) ? d : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static String slug(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toLowerCase(Locale.ROOT).toCharArray()) {
      sb.append(Character.isLetterOrDigit(c) ? c : '-');
    }
    return sb.toString();
  }
}
