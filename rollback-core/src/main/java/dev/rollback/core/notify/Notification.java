package dev.rollback.core.notify;

import dev.rollback.core.Phase;
import dev.rollback.core.decision.Severity;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One message about an incident, in a neutral form that each {@link Notifier} renders its own way
 * (Slack blocks, a signed JSON document, a PagerDuty event, a log line): a title, lines of text,
 * labelled fields, and metrics compared with their baseline.
 *
 * <p>The three factories make the three messages of a rollback: {@link #opened} (MOBILIZE), {@link
 * #progress} (any phase) and {@link #resolved} (COMMUNICATE).
 *
 * @param kind which of the three messages this is
 * @param incident the incident it is about
 * @param title one line, e.g. "Rolling back checkout-api: v2.4.0 → v2.3.1"
 * @param lines text for people, one paragraph or bullet each, in order
 * @param fields labelled values ("Current version" → "v2.4.0"), in insertion order
 * @param metrics metric name → value compared with its baseline ("error rate" → "0.3% (baseline
 *     0.2%)"), in insertion order; empty for most messages
 * @param at when the message was made, on the run clock
 * @since 0.1.0
 */
public record Notification(
    Kind kind,
    Incident incident,
    String title,
    List<String> lines,
    Map<String, String> fields,
    Map<String, String> metrics,
    Instant at) {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  /** Which message of an incident's life a notification is. */
  public enum Kind {
    /** The incident was opened: page and inform. */
    OPENED,
    /** The rollback reached a phase. */
    PROGRESS,
    /** Service is restored: the final status update. */
    RESOLVED
  }

  /** Checks and copies the components. */
  public Notification {
    Objects.requireNonNull(kind, "kind of a Notification must not be null: use OPENED, PROGRESS or RESOLVED");
    Objects.requireNonNull(incident, "incident of a Notification must not be null: open one with Incident.open(..)");
    Objects.requireNonNull(title, "title of a Notification must not be null");
    Objects.requireNonNull(at, "at of a Notification must not be null: take it from the run clock");
    lines = List.copyOf(lines);
    fields = copy("fields", fields);
    metrics = copy("metrics", metrics);
  }

  /** @return the incident's severity */
  public Severity severity() {
    return incident.severity();
  }

  /**
   * The message that opens an incident: the issue, the current version, the target, the impact and
   * the ETA.
   *
   * @param incident the incident
   * @param issue what is wrong, one sentence ("checkout returns 502 for 30% of requests")
   * @param at when, on the run clock
   * @return the notification
   */
  public static Notification opened(Incident incident, String issue, Instant at) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Incident", incident.id());
    fields.put("Severity", incident.severity().name());
    fields.put("Current version", incident.fromVersion());
    fields.put("Target version", incident.toVersion());
    fields.put("Impact", describe(incident));
    fields.put("ETA", eta(incident));
    fields.put("Owner", incident.owner());
    String title = incident.severity() + " " + incident.service() + ": rolling back " + incident.fromVersion() + " → " + incident.toVersion();
    return new Notification(Kind.OPENED, incident, title, List.of(Objects.requireNonNull(issue, "issue")), fields, Map.of(), at);
  }

  /**
   * A progress message: the rollback reached a phase.
   *
   * @param incident the incident
   * @param phase the phase reached
   * @param message what is happening ("traffic drained from blue")
   * @param at when, on the run clock
   * @return the notification
   */
  public static Notification progress(Incident incident, Phase phase, String message, Instant at) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Incident", incident.id());
    fields.put("Phase", phase.name());
    fields.put("Target version", incident.toVersion());
    fields.put("ETA", eta(incident));
    String title = incident.service() + " rollback: " + phase.name();
    return new Notification(Kind.PROGRESS, incident, title, List.of(Objects.requireNonNull(message, "message")), fields, Map.of(), at);
  }

  /**
   * The final status update: service restored, when, how long it took, what happened, metrics
   * against their baseline, data loss and next steps.
   *
   * @param incident the incident
   * @param restoredAt when service was restored, on the run clock
   * @param whatHappened what went wrong and what was done
   * @param metrics metric name → value against baseline, in order
   * @param dataLoss {@code null} or blank for none, else a description of what was lost
   * @param nextSteps follow-ups, in order
   * @return the notification
   */
  public static Notification resolved(Incident incident, Instant restoredAt, String whatHappened, Map<String, String> metrics,
      @Nullable String dataLoss, List<String> nextSteps) {
    Duration took = Duration.between(incident.openedAt(), restoredAt);
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Incident", incident.id());
    fields.put("Severity", incident.severity().name());
    fields.put("Restored at", TIME.format(restoredAt));
    fields.put("Duration", human(took.isNegative() ? Duration.ZERO : took));
    fields.put("Now running", incident.toVersion());
    fields.put("Rolled back from", incident.fromVersion());
    fields.put("Data loss", dataLoss == null || dataLoss.isBlank() ? "none" : dataLoss);
    fields.put("Owner", incident.owner());
    List<String> lines = new java.util.ArrayList<>();
    lines.add(Objects.requireNonNull(whatHappened, "whatHappened"));
    for (String s : nextSteps) {
      lines.add("Next: " + s);
    }
    String title = "Resolved: " + incident.service() + " restored on " + incident.toVersion();
    return new Notification(Kind.RESOLVED, incident, title, lines, fields, metrics, restoredAt);
  }

  /**
   * @param d a duration
   * @return it for people: "42s", "17 min", "1 h 05 min"
   */
  static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    long m = d.toMinutes();
    if (m < 60) {
      return m + " min";
    }
    return d.toHours() + " h " + String.format(java.util.Locale.ROOT, "%02d", m % 60) + " min";
  }

  private static String eta(Incident incident) {
    Duration eta = incident.eta();
    if (eta == null) {
      return "unknown";
    }
    return human(eta) + " (by " + TIME.format(incident.openedAt().plus(eta)) + ")";
  }

  private static String describe(Incident incident) {
    if (incident.impact() == null) {
      return incident.severity().name();
    }
    var impact = incident.impact();
    StringBuilder sb = new StringBuilder();
    if (!impact.description().isBlank()) {
      sb.append(impact.description()).append("; ");
    }
    sb.append(fmt(impact.usersAffectedPercent())).append("% of users");
    if (!impact.criticalFunctions().isEmpty()) {
      sb.append("; critical down: ").append(String.join(", ", impact.criticalFunctions()));
    }
    if (!impact.businessFunctions().isEmpty()) {
      sb.append("; affected: ").append(String.join(", ", impact.businessFunctions()));
    }
    if (impact.revenueLoss()) {
      sb.append("; revenue loss");
    }
    if (impact.dataLoss()) {
      sb.append("; data loss");
    }
    return sb.toString();
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static Map<String, String> copy(String what, Map<String, String> map) {
    Objects.requireNonNull(map, what + " of a Notification must not be null: use Map.of() for none");
    if (map.entrySet().stream().anyMatch(e -> e.getKey() == null || e.getValue() == null)) {
      throw new NullPointerException(what + " of a Notification must not hold null keys or values, but were " + map);
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
