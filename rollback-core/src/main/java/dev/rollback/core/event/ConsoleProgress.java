package dev.rollback.core.event;

import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * Prints a run's events as lines for people: one per step start and end, progress of long waits
 * (at most one line per tenth of the way), compensations, approvals and the final outcome.
 *
 * <pre>{@code
 * RollbackRunner.builder().listener(new ConsoleProgress(System.out)).build();
 * }</pre>
 *
 * <pre>
 * 09:15:02 run checkout-20261128-091502-3fa9c2: checkout v1.3.0 -&gt; v1.2.9 (12 steps)
 * 09:15:02 [ 3/12] TRAFFIC_DRAIN      drain-blue ...
 * 09:15:03          ok  drain-blue (812 ms) blue drained
 * </pre>
 *
 * @since 0.1.0
 */
public final class ConsoleProgress implements RollbackListener {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final PrintStream out;
  private final ZoneId zone;
  private final java.util.Map<String, Integer> lastShown = new java.util.HashMap<>();

  /**
   * @param out where to print (e.g. {@code System.out})
   */
  public ConsoleProgress(PrintStream out) {
    this(out, ZoneId.systemDefault());
  }

  /**
   * @param out where to print
   * @param zone the zone times are shown in
   */
  public ConsoleProgress(PrintStream out, ZoneId zone) {
    this.out = Objects.requireNonNull(out, "out");
    this.zone = Objects.requireNonNull(zone, "zone");
  }

  @Override
  public void onEvent(RollbackEvent event) {
    if (event instanceof StepStarted e) {
      lastShown.remove(e.stepId());
    } else if (event instanceof StepProgress e && !worthShowing(e)) {
      return;
    }
    String t = TIME.format(event.at().atZone(zone));
    out.println(t + render(event));
  }

  private String render(RollbackEvent event) {
    if (event instanceof RunStarted e) {
      return " run " + e.runId() + (e.resumed() ? " resumed" : "") + ": " + e.service() + " " + e.fromVersion() + " -> "
          + e.toVersion() + " (" + e.stepIds().size() + " steps)";
    }
    if (event instanceof StepStarted e) {
      return " [" + pad(e.index(), e.total()) + "/" + e.total() + "] " + String.format("%-18s", e.phase()) + " " + e.stepId()
          + (e.attempt() > 1 ? " (attempt " + e.attempt() + ")" : "") + " ...";
    }
    if (event instanceof StepProgress e) {
      return "          .. " + e.stepId() + ": " + e.message()
          + (e.fraction() >= 0 ? String.format(" (%.0f%%)", Math.min(1.0, e.fraction()) * 100) : "");
    }
    if (event instanceof StepSucceeded e) {
      String mark = switch (e.status()) {
        case SUCCEEDED -> "ok  ";
        case SKIPPED -> "skip";
        case WARNED -> "WARN";
        case DEGRADED -> "DEGR";
      };
      return "          " + mark + " " + e.stepId() + " (" + human(e.took()) + ")" + (e.message().isEmpty() ? "" : " " + e.message());
    }
    if (event instanceof StepFailed e) {
      return "          FAIL " + e.stepId() + " attempt " + e.attempt() + ": " + e.error() + " -> " + e.next();
    }
    if (event instanceof StepSkipped e) {
      return "          done " + e.stepId() + ": " + e.reason();
    }
    if (event instanceof StepCompensated e) {
      return "          undo " + e.stepId() + ": " + e.outcome() + (e.message().isEmpty() ? "" : " " + e.message());
    }
    if (event instanceof ApprovalRequested e) {
      return "          WAIT " + e.stepId() + ": approval needed until " + TIME.format(e.deadline().atZone(zone));
    }
    if (event instanceof ApprovalAnswered e) {
      return "          " + e.decision().action() + " by " + e.decision().decidedBy() + ": " + e.decision().reason();
    }
    if (event instanceof TimelineRecorded e) {
      return "          note " + e.entry().message();
    }
    RunFinished e = (RunFinished) event;
    return " " + e.outcome() + " after " + human(e.took()) + ": " + e.message();
  }

  /**
   * Long waits report progress on every poll; people need a line per tenth of the way (and every
   * line whose progress is unknown), not hundreds.
   */
  private synchronized boolean worthShowing(StepProgress e) {
    if (e.fraction() < 0) {
      return true;
    }
    int tenth = (int) Math.floor(Math.min(1.0, e.fraction()) * 10 + 1e-9);
    Integer last = lastShown.get(e.stepId());
    if (last == null || tenth > last) {
      lastShown.put(e.stepId(), tenth);
      return true;
    }
    return false;
  }

  private static String pad(int index, int total) {
    String s = Integer.toString(index);
    int width = Integer.toString(total).length();
    return " ".repeat(Math.max(0, width - s.length())) + s;
  }

  private static String human(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 120_000) {
      return String.format("%.1f s", ms / 1000.0);
    }
    return d.toMinutes() + " min " + d.toSecondsPart() + " s";
  }
}
