/**
 * The incident report: {@link dev.rollback.core.report.IncidentReport} is built from a run's journal
 * alone (so a resumed run reports fully) and renders as Markdown, JSON and one self-contained HTML
 * file with inline SVG charts; {@link dev.rollback.core.report.ReportStep} writes all three during
 * the REPORT phase.
 *
 * <h2>What the report reads from the journal</h2>
 *
 * <p>RUN_STARTED (service, versions, owner, the plan's steps and phases), every step entry, operator
 * decisions, aborts, compensations, resumes and RUN_FINISHED; and TIMELINE entries by their {@code
 * kind} fact: {@code decision}, {@code impact}, {@code incident}, {@code gate} (with {@code samples},
 * a JSON array of {@code {"at","value"}}), {@code health-suite} (with {@code table}) and {@code
 * notification}. Other kinds are plain timeline lines; missing or unreadable facts never fail the
 * report (they show as placeholders or in its {@code problems}).
 *
 * <h2>JSON schema</h2>
 *
 * <p>The JSON rendering carries {@code "schemaVersion": 1} ({@link
 * dev.rollback.core.report.IncidentReport#SCHEMA_VERSION}). Within one schema version fields are only
 * added, never renamed or removed. The full description is in {@code rollback-core/docs/report-schema.md};
 * in short: instants are ISO-8601 UTC strings, durations are {@code *Millis} integers, absent values
 * are {@code null}, lists keep journal order, and the top-level fields are, in this order: {@code
 * schemaVersion, runId, incidentId, incidentRecorded, service, fromVersion, toVersion, owner,
 * targetReason, severity, outcome, finished, failure, startedAt, endedAt, durationMillis, rollbackAt,
 * timeToRollbackMillis, incident, decision, impact, phases, steps, timeline, gates, healthSuites,
 * rootCause, lessonsLearned, actionItems, problems}.
 *
 * <p>Rendering is deterministic (no current time, {@link java.util.Locale#ROOT} number formats,
 * stable order), so the same journal and notes always give byte-identical files.
 */
@NullMarked
package dev.rollback.core.report;

import org.jspecify.annotations.NullMarked;
