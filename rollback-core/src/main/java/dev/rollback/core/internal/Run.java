package dev.rollback.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.rollback.core.ApprovalDecision;
import dev.rollback.core.ApprovalRequest;
import dev.rollback.core.CompensationOutcome;
import dev.rollback.core.CompensationRecord;
import dev.rollback.core.ErrorCode;
import dev.rollback.core.FailureAction;
import dev.rollback.core.PlannedStep;
import dev.rollback.core.PreviewEntry;
import dev.rollback.core.RollbackPreview;
import dev.rollback.core.ResumeDecision;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RunOutcome;
import dev.rollback.core.Step;
import dev.rollback.core.StepOutcome;
import dev.rollback.core.StepPolicy;
import dev.rollback.core.StepRecord;
import dev.rollback.core.StepResult;
import dev.rollback.core.StepStatus;
import dev.rollback.core.TargetSelector;
import dev.rollback.core.VersionProbe;
import dev.rollback.core.TimelineEntry;
import dev.rollback.core.release.ReleaseLedger;
import dev.rollback.core.release.ReleaseOutcome;
import dev.rollback.core.event.ApprovalAnswered;
import dev.rollback.core.event.ApprovalRequested;
import dev.rollback.core.event.RollbackEvent;
import dev.rollback.core.event.RollbackListener;
import dev.rollback.core.event.RunFinished;
import dev.rollback.core.event.RunStarted;
import dev.rollback.core.event.StepCompensated;
import dev.rollback.core.event.StepFailed;
import dev.rollback.core.event.StepProgress;
import dev.rollback.core.event.StepSkipped;
import dev.rollback.core.event.StepStarted;
import dev.rollback.core.event.StepSucceeded;
import dev.rollback.core.event.TimelineRecorded;
import dev.rollback.core.journal.JournalEntry;
import dev.rollback.core.journal.JournalEntryType;
import dev.rollback.core.journal.JournalReplay;
import dev.rollback.core.journal.JournalWriter;
import dev.rollback.core.lock.LockLease;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.micrometer.observation.Observation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One run of a plan, fresh or resumed: walks the steps, journals each one durably before reporting
 * it, applies the step policies, compensates on abort, and builds the result.
 */
final class Run {
  private static final Logger log = LoggerFactory.getLogger(Run.class);
  private static final Duration APPROVAL_POLL = Duration.ofMillis(200);
  private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};

  private final RunnerSettings settings;
  private final RollbackPlan plan;
  private final String runId;
  private final RunControl control;
  private final Redactor redactor;
  private final Attributes attributes = new Attributes();
  private final int n;

  private String fromVersion = "";
  private String toVersion = "";
  private String targetReason = "";
  private @Nullable JournalWriter writer;
  private boolean journalBroken;
  private boolean degraded;
  private @Nullable String journalFailure;
  private long seq;
  private final List<RollbackEvent> pending = new ArrayList<>();
  private final List<JournalEntry> unflushed = new ArrayList<>();
  private final List<JournalEntry> unwritten = new ArrayList<>();

  private final StepRecord[] records;
  private final boolean[] done;
  private final int[] attempts;
  private final List<Integer> completionOrder = new ArrayList<>();
  private final Set<Integer> compensated = new HashSet<>();
  private final List<CompensationRecord> compensations = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final List<TimelineEntry> timeline = new ArrayList<>();
  private Instant startedAt;
  private @Nullable LockLease lease;
  private volatile Instant lastRenewal;
  private final Duration renewEvery;
  private @Nullable ScheduledFuture<?> heartbeat;

  Run(RunnerSettings settings, RollbackPlan plan, String runId, RunControl control) {
    this.settings = settings;
    this.plan = plan;
    this.runId = runId;
    this.control = control;
    this.redactor = Redactor.of(plan.secrets().values());
    this.n = plan.steps().size();
    this.records = new StepRecord[n];
    this.done = new boolean[n];
    this.attempts = new int[n];
    this.startedAt = settings.clock().instant();
    this.renewEvery = settings.lockTtl().dividedBy(3);
  }

  // ---- what contexts use ----

  RollbackPlan plan() {
    return plan;
  }

  String runId() {
    return runId;
  }

  String fromVersion() {
    return fromVersion;
  }

  String toVersion() {
    return toVersion;
  }

  Redactor redactor() {
    return redactor;
  }

  Attributes attributes() {
    return attributes;
  }

  RunControl control() {
    return control;
  }

  RunnerSettings settings() {
    return settings;
  }

  Clock clock() {
    return settings.clock();
  }

  void sleep(Duration d) throws InterruptedException {
    settings.sleeper().sleep(d);
    renewIfDue();
  }

  void progress(String stepId, String message, double fraction) {
    emit(new StepProgress(runId, now(), stepId, redactor.apply(message), fraction));
  }

  void record(@Nullable String stepId, String message, Map<String, String> facts) {
    TimelineEntry e = new TimelineEntry(now(), stepId, redactor.apply(message), redactor.apply(facts));
    synchronized (timeline) {
      timeline.add(e);
    }
    Map<String, String> data = new LinkedHashMap<>();
    data.put("message", e.message());
    append(JournalEntryType.TIMELINE, stepId, 0, data, e.facts(), Map.of());
    emit(new TimelineRecorded(runId, e.at(), e));
  }

  // ---- fresh run ----

  RollbackResult start() {
    try (MdcScope ignored = new MdcScope()) {
      acquireLock();
      try {
        resolveVersions();
        if (settings.journal().read(runId).isPresent()) {
          throw new RollbackException(ErrorCode.RESUME_NOT_POSSIBLE,
              "run id " + runId + " is already in " + settings.journal() + ": to continue that run use resume(plan, \"" + runId
                  + "\"); a new run needs a new id");
        }
        openJournal();
        startedAt = now();
        Map<String, String> data = new LinkedHashMap<>();
        data.put("service", plan.service());
        data.put("from", fromVersion);
        data.put("to", toVersion);
        data.put("owner", settings.owner());
        data.put("steps", json(plan.stepIds()));
        data.put("phases", json(plan.steps().stream().map(ps -> ps.step().phase().name()).toList()));
        data.put("targetReason", targetReason);
        append(JournalEntryType.RUN_STARTED, null, 0, data, Map.of(), Map.of());
        durable();
        emit(new RunStarted(runId, startedAt, plan.service(), fromVersion, toVersion, plan.stepIds(), false));
        record(null, "target " + toVersion + ": " + targetReason,
            Map.of("kind", "target", "from", fromVersion, "to", toVersion, "source", VersionProbe.describe(plan.currentVersion())));
        String expected = plan.expectedCurrentVersion().orElse(null);
        if (expected != null && !expected.equals(fromVersion)) {
          return finish(RunOutcome.FAILED, "expected " + expected + " to be running, but " + plan.currentVersion().source()
              + " reports " + fromVersion + ": someone deployed meanwhile, so this rollback is stale; nothing was changed."
              + " Check what runs and plan again");
        }
        if (fromVersion.equals(toVersion)) {
          warnings.add("nothing to do: " + plan.service() + " already runs " + toVersion);
          return finish(RunOutcome.NO_ACTION, null);
        }
        return proceed();
      } finally {
        releaseLock();
      }
    }
  }

  private void resolveVersions() {
    try {
      fromVersion = require("current version probe", plan.currentVersion().currentVersion());
    } catch (Exception e) {
      throw new RollbackException(
          ErrorCode.VERSION_RESOLUTION_FAILED,
          "cannot read the current version of " + plan.service() + ": " + redactor.describe(e) + "; nothing was changed", e);
    }
    try {
      TargetSelector.Choice choice = plan.target().select(new TargetSelector.Selection(
          plan.service(), fromVersion, plan.versions().orElse(null), plan.ledger().orElse(null), settings.clock()));
      if (choice == null) {
        throw new IllegalStateException("target selector " + plan.target() + " returned no choice");
      }
      toVersion = require("target selector " + plan.target(), choice.version());
      targetReason = choice.reason();
    } catch (Exception e) {
      throw new RollbackException(
          ErrorCode.VERSION_RESOLUTION_FAILED,
          "cannot choose the target of " + plan.service() + " (running " + fromVersion + "): " + redactor.describe(e) + "; nothing was changed", e);
    }
  }

  private static String require(String what, @Nullable String v) {
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(what + " returned " + (v == null ? "null" : "a blank version"));
    }
    return v;
  }

  // ---- dry run ----

  RollbackPreview preview() {
    try (MdcScope ignored = new MdcScope()) {
      resolveVersions();
      List<PreviewEntry> entries = new ArrayList<>(n);
      for (PlannedStep ps : plan.steps()) {
        DefaultStepContext ctx = new DefaultStepContext(this, ps.id(), 0, true, false);
        entries.add(new PreviewEntry(ps.id(), ps.step().phase(), redactor.apply(ps.step().preview(ctx)), ps.step().idempotent(), ps.policy()));
      }
      return new RollbackPreview(plan.service(), fromVersion, toVersion, entries);
    }
  }

  // ---- resumed run ----

  RollbackResult resume(JournalReplay replay, List<ResumeDecision> decisions) {
    try (MdcScope ignored = new MdcScope()) {
      Restored r = restore(replay);
      Map<String, ResumeDecision> byStep = new HashMap<>();
      for (ResumeDecision d : decisions) {
        if (r.interrupted == null || !r.interrupted.equals(d.stepId())) {
          throw new RollbackException(
              ErrorCode.RESUME_NOT_POSSIBLE,
              "decision for step '" + d.stepId() + "' does not apply: "
                  + (r.interrupted == null ? "no step of run " + runId + " was interrupted" : "the interrupted step is '" + r.interrupted + "'"));
        }
        byStep.put(d.stepId(), d);
      }
      acquireLock();
      try {
        openJournal();
        startedAt = r.startedAt;
        for (String p : replay.problems()) {
          warnings.add(p);
          log.warn("{}", p);
        }
        Map<String, String> data = new LinkedHashMap<>();
        data.put("owner", settings.owner());
        if (!replay.problems().isEmpty()) {
          data.put("problems", String.join("; ", replay.problems()));
        }
        append(JournalEntryType.RUN_RESUMED, null, 0, data, Map.of(), Map.of());
        durable();
        emit(new RunStarted(runId, now(), plan.service(), fromVersion, toVersion, plan.stepIds(), true));
        for (int i = 0; i < n; i++) {
          if (done[i]) {
            emit(new StepSkipped(runId, now(), plan.steps().get(i).id(), "completed before the run was interrupted"));
          }
        }
        if (r.aborting != null) {
          return abortAndCompensate(r.abortOutcome, "resumed an aborting run: " + r.aborting);
        }
        if (r.conclusion != null) {
          return finish(r.conclusion, r.conclusionMessage);
        }
        if (r.interrupted != null) {
          int i = indexOf(r.interrupted);
          Step step = plan.steps().get(i).step();
          ResumeDecision d = byStep.get(r.interrupted);
          if (d == null && !step.idempotent()) {
            String msg = "step '" + r.interrupted + "' was interrupted (attempt " + attempts[i] + ") and is not idempotent, so it may have"
                + " partly run: check its effect, then resume with ResumeDecision.continueWith(\"" + r.interrupted + "\", who, why) to run it"
                + " again, ResumeDecision.skip(...) if its effect is complete, or ResumeDecision.abort(...) to compensate and stop";
            Map<String, String> wait = new LinkedHashMap<>();
            wait.put("step", r.interrupted);
            wait.put("message", msg);
            append(JournalEntryType.RUN_AWAITING_OPERATOR, r.interrupted, attempts[i], wait, Map.of(), Map.of());
            durable();
            return result(RunOutcome.AWAITING_OPERATOR, msg, now());
          }
          if (d == null) {
            warnings.add("step '" + r.interrupted + "' was interrupted and is idempotent: it runs again");
          } else {
            Map<String, String> dd = new LinkedHashMap<>();
            dd.put("action", d.action().name());
            dd.put("by", d.decidedBy());
            dd.put("reason", redactor.apply(d.reason()));
            dd.put("context", "resume");
            append(JournalEntryType.OPERATOR_DECISION, d.stepId(), attempts[i], dd, Map.of(), Map.of());
            durable();
            switch (d.action()) {
              case CONTINUE -> warnings.add("step '" + d.stepId() + "' was interrupted; " + d.decidedBy() + " chose to run it again: " + d.reason());
              case SKIP -> {
                done[i] = true;
                records[i] = new StepRecord(d.stepId(), step.phase(), StepOutcome.SKIPPED, attempts[i], null, now(),
                    "skipped after interruption by " + d.decidedBy() + ": " + redactor.apply(d.reason()), Map.of());
                warnings.add("step '" + d.stepId() + "' was interrupted; " + d.decidedBy() + " marked it done: " + d.reason());
              }
              case ABORT -> {
                return abortAndCompensate(RunOutcome.FAILED,
                    "step '" + d.stepId() + "' was interrupted; " + d.decidedBy() + " chose to abort: " + redactor.apply(d.reason()));
              }
            }
          }
        }
        return proceed();
      } finally {
        releaseLock();
      }
    }
  }

  private static final class Restored {
    @Nullable String interrupted;
    @Nullable String aborting;
    RunOutcome abortOutcome = RunOutcome.FAILED;
    Instant startedAt = Instant.EPOCH;
    @Nullable RunOutcome conclusion;
    String conclusionMessage = "";
  }

  private Restored restore(JournalReplay replay) {
    List<JournalEntry> entries = replay.entries();
    if (entries.isEmpty() || entries.get(0).type() != JournalEntryType.RUN_STARTED) {
      throw new RollbackException(ErrorCode.JOURNAL_MISMATCH,
          "journal of run " + runId + " does not start with RUN_STARTED; it cannot be resumed");
    }
    JournalEntry first = entries.get(0);
    List<String> ids;
    try {
      ids = JournalCodec.MAPPER.readValue(first.get("steps"), STRING_LIST);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new RollbackException(ErrorCode.JOURNAL_MISMATCH, "journal of run " + runId + " has an unreadable step list", e);
    }
    if (!plan.service().equals(first.get("service"))) {
      throw new RollbackException(ErrorCode.JOURNAL_MISMATCH,
          "run " + runId + " rolled back '" + first.get("service") + "', but the plan given is for '" + plan.service() + "'");
    }
    if (!plan.stepIds().equals(ids)) {
      throw new RollbackException(ErrorCode.JOURNAL_MISMATCH,
          "run " + runId + " ran the steps " + ids + ", but the plan given has " + plan.stepIds()
              + ": resume with the plan the run started with");
    }
    fromVersion = first.get("from");
    toVersion = first.get("to");
    seq = entries.get(entries.size() - 1).seq();
    Restored r = new Restored();
    r.startedAt = first.at();
    Map<String, Instant> firstStart = new HashMap<>();
    Set<String> open = new HashSet<>();
    for (JournalEntry e : entries) {
      String id = e.stepId();
      int i = id == null ? -1 : indexOf(id);
      switch (e.type()) {
        case STEP_STARTED -> {
          attempts[i] = Math.max(attempts[i], e.attempt());
          firstStart.putIfAbsent(id, e.at());
          open.add(id);
        }
        case STEP_COMPLETED -> {
          open.remove(id);
          done[i] = true;
          if (e.get("conclusion") != null) {
            r.conclusion = RunOutcome.valueOf(e.get("conclusion"));
            r.conclusionMessage = Optional.ofNullable(e.get("message")).orElse("");
          }
          completionOrder.add(i);
          attributes.restore(e.attributes());
          if ("DEGRADED".equals(e.get("status"))) {
            degraded = true;
          }
          records[i] = new StepRecord(id, plan.steps().get(i).step().phase(), StepOutcome.COMPLETED_EARLIER, attempts[i],
              firstStart.get(id), e.at(), Optional.ofNullable(e.get("message")).orElse(""), e.facts());
        }
        case STEP_FAILED -> {
          String next = e.get("next");
          if ("CONTINUE".equals(next)) {
            open.remove(id);
            done[i] = true;
            records[i] = new StepRecord(id, plan.steps().get(i).step().phase(), StepOutcome.FAILED, attempts[i],
                firstStart.get(id), e.at(), Optional.ofNullable(e.get("error")).orElse(""), Map.of());
          } else if ("ABORT".equals(next) || "CANCEL".equals(next)) {
            open.remove(id);
            records[i] = new StepRecord(id, plan.steps().get(i).step().phase(), StepOutcome.FAILED, attempts[i],
                firstStart.get(id), e.at(), Optional.ofNullable(e.get("error")).orElse(""), Map.of());
          }
        }
        case OPERATOR_DECISION -> {
          String action = e.get("action");
          if ("SKIP".equals(action)) {
            open.remove(id);
            done[i] = true;
            records[i] = new StepRecord(id, plan.steps().get(i).step().phase(), StepOutcome.SKIPPED, attempts[i],
                firstStart.get(id), e.at(), "skipped by " + e.get("by") + ": " + e.get("reason"), Map.of());
          } else if ("ABORT".equals(action)) {
            open.remove(id);
          }
        }
        case RUN_ABORTING -> {
          r.aborting = Optional.ofNullable(e.get("reason")).orElse("aborted");
          if ("CANCELLED".equals(e.get("outcome"))) {
            r.abortOutcome = RunOutcome.CANCELLED;
          }
        }
        case STEP_COMPENSATED -> {
          compensated.add(i);
          compensations.add(new CompensationRecord(id, CompensationOutcome.valueOf(e.get("outcome")), e.at(),
              Optional.ofNullable(e.get("message")).orElse("")));
        }
        case TIMELINE -> timeline.add(new TimelineEntry(e.at(), id, Optional.ofNullable(e.get("message")).orElse(""), e.facts()));
        case RUN_FINISHED -> throw new RollbackException(ErrorCode.RESUME_NOT_POSSIBLE,
            "run " + runId + " already finished with " + e.get("outcome") + " at " + e.at() + "; start a new run instead");
        case RUN_STARTED, RUN_RESUMED, RUN_AWAITING_OPERATOR -> {
          // nothing to restore
        }
      }
    }
    if (!open.isEmpty()) {
      // Steps run one at a time, so at most one is open; take the latest in plan order to be safe.
      int last = -1;
      for (String id : open) {
        last = Math.max(last, indexOf(id));
      }
      r.interrupted = plan.steps().get(last).id();
    }
    return r;
  }

  private int indexOf(String stepId) {
    List<PlannedStep> steps = plan.steps();
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).id().equals(stepId)) {
        return i;
      }
    }
    throw new RollbackException(ErrorCode.JOURNAL_MISMATCH, "journal of run " + runId + " names step '" + stepId + "', which the plan lacks");
  }

  // ---- the walk ----

  private RollbackResult proceed() {
    Observation obs = Observation.createNotStarted("rollback.run", settings.observationRegistry())
        .lowCardinalityKeyValue("service", plan.service())
        .highCardinalityKeyValue("run.id", runId)
        .start();
    RollbackResult result = null;
    try {
      result = walk();
      return result;
    } finally {
      obs.lowCardinalityKeyValue("outcome", result == null ? "ERROR" : result.outcome().name());
      obs.stop();
    }
  }

  private RollbackResult walk() {
    for (int i = 0; i < n; i++) {
      if (done[i]) {
        continue;
      }
      if (control.cancelled()) {
        return abortAndCompensate(RunOutcome.CANCELLED, "cancelled before step '" + plan.steps().get(i).id() + "': " + control.reason());
      }
      if (journalBroken) {
        return abortAndCompensate(RunOutcome.FAILED, journalFailure);
      }
      try {
        renewIfDue();
      } catch (RollbackException e) {
        return abortAndCompensate(RunOutcome.CANCELLED, control.reason());
      }
      StepEnd end = runStep(i);
      switch (end.kind) {
        case DONE -> {
          // next
        }
        case ABORT -> {
          return abortAndCompensate(RunOutcome.FAILED, end.message);
        }
        case CANCEL -> {
          return abortAndCompensate(RunOutcome.CANCELLED, end.message);
        }
        case CONCLUDE -> {
          return finish(end.conclusion, end.message);
        }
      }
    }
    if (journalBroken) {
      return abortAndCompensate(RunOutcome.FAILED, journalFailure);
    }
    return degraded ? finish(RunOutcome.DEGRADED, "the rollback completed, but the service is degraded: see the warnings")
        : finish(RunOutcome.SUCCEEDED, null);
  }

  private enum EndKind { DONE, ABORT, CANCEL, CONCLUDE }

  private record StepEnd(EndKind kind, @Nullable RunOutcome conclusion, String message) {
    static final StepEnd OK = new StepEnd(EndKind.DONE, null, "");

    StepEnd(EndKind kind, String message) {
      this(kind, null, message);
    }
  }

  private StepEnd runStep(int i) {
    PlannedStep ps = plan.steps().get(i);
    Step step = ps.step();
    StepPolicy policy = ps.policy();
    String id = step.id();
    Instant first = null;
    int cycle = 0;
    MDC.put("rollback.step", id);
    Observation obs = Observation.createNotStarted("rollback.step", settings.observationRegistry())
        .lowCardinalityKeyValue("service", plan.service())
        .lowCardinalityKeyValue("phase", step.phase().name())
        .lowCardinalityKeyValue("step", id)
        .start();
    String outcome = "FAILED";
    try {
      while (true) {
        int attempt = ++attempts[i];
        cycle++;
        Instant began = now();
        if (first == null) {
          first = began;
        }
        append(JournalEntryType.STEP_STARTED, id, attempt, Map.of(), Map.of(), Map.of());
        durable();
        if (journalBroken) {
          return new StepEnd(EndKind.ABORT, journalFailure);
        }
        emit(new StepStarted(runId, began, id, step.phase(), attempt, i + 1, n));
        DefaultStepContext ctx = new DefaultStepContext(this, id, attempt, false, false);
        StepResult result = null;
        Throwable failure = null;
        try {
          result = invoke(() -> step.execute(ctx), policy, id, ctx);
          if (result == null) {
            failure = new IllegalStateException("step '" + id + "' returned null: return StepResult.succeeded(), skipped(..) or warned(..)");
          }
        } catch (Throwable t) {
          failure = t;
        }
        if (failure == null) {
          Instant end = now();
          Map<String, String> attrs = attributes.drainWritten(id, this::warn);
          String message = redactor.apply(result.message());
          Map<String, String> facts = redactor.apply(result.facts());
          records[i] = new StepRecord(id, step.phase(), StepOutcome.of(result.status()), attempt, first, end, message, facts);
          done[i] = true;
          completionOrder.add(i);
          Map<String, String> data = new LinkedHashMap<>();
          data.put("status", result.status().name());
          data.put("message", message);
          if (result.conclusion() != null) {
            data.put("conclusion", result.conclusion().name());
          }
          append(JournalEntryType.STEP_COMPLETED, id, attempt, data, facts, attrs);
          // Reported once durable: at the next flush, which also starts the next step.
          pending(new StepSucceeded(runId, end, id, result.status(), message, facts, Duration.between(first, end)));
          if (result.status() == StepStatus.WARNED) {
            warnings.add("step '" + id + "': " + message);
          } else if (result.status() == StepStatus.DEGRADED) {
            degraded = true;
            warnings.add("step '" + id + "' reports the service degraded: " + message);
          }
          outcome = result.status().name();
          if (result.conclusion() != null) {
            return new StepEnd(EndKind.CONCLUDE, result.conclusion(), message);
          }
          return StepEnd.OK;
        }
        attributes.forgetWritten();
        obs.error(failure);
        String error = redactor.describe(failure);
        if (control.cancelled() || isCancellation(failure)) {
          failed(i, id, attempt, first, error, "CANCEL");
          outcome = "CANCELLED";
          return new StepEnd(EndKind.CANCEL, "cancelled during step '" + id + "': " + control.reason());
        }
        log.warn("step '{}' attempt {} failed: {}", id, attempt, error);
        log.debug("step '{}' attempt {} failure trace", id, attempt, redactor.apply(failure));
        if (cycle < policy.retry().maxAttempts() && policy.retry().retries(failure)) {
          Duration backoff = policy.retry().backoffAfter(cycle);
          failed(i, id, attempt, first, error, "RETRY", "backoff", backoff.toString());
          durable();
          emit(new StepFailed(runId, now(), id, attempt, error, "RETRY"));
          try {
            waitInterruptibly(backoff);
          } catch (InterruptedException | RollbackException e) {
            outcome = "CANCELLED";
            return new StepEnd(EndKind.CANCEL, "cancelled while waiting to retry step '" + id + "': " + control.reason());
          }
          if (control.cancelled()) {
            outcome = "CANCELLED";
            return new StepEnd(EndKind.CANCEL, "cancelled while waiting to retry step '" + id + "': " + control.reason());
          }
          continue;
        }
        String failedMsg = "step '" + id + "' failed after " + attempt + " attempt" + (attempt == 1 ? "" : "s") + ": " + error;
        FailureAction action = policy.onFailure();
        if (action == FailureAction.CONTINUE) {
          failed(i, id, attempt, first, error, "CONTINUE");
          durable();
          emit(new StepFailed(runId, now(), id, attempt, error, "CONTINUE"));
          done[i] = true;
          warnings.add(failedMsg + " (the run went on: onFailure=CONTINUE)");
          return StepEnd.OK;
        }
        if (action == FailureAction.ABORT) {
          failed(i, id, attempt, first, error, "ABORT");
          durable();
          emit(new StepFailed(runId, now(), id, attempt, error, "ABORT"));
          return new StepEnd(EndKind.ABORT, failedMsg);
        }
        // PAUSE
        failed(i, id, attempt, first, error, "PAUSE");
        durable();
        emit(new StepFailed(runId, now(), id, attempt, error, "PAUSE"));
        ApprovalDecision decision = awaitApproval(id, error, policy.approvalTimeout());
        if (decision == null) {
          outcome = "CANCELLED";
          return new StepEnd(EndKind.CANCEL, "cancelled while waiting for approval of step '" + id + "': " + control.reason());
        }
        Map<String, String> dd = new LinkedHashMap<>();
        dd.put("action", decision.action().name());
        dd.put("by", redactor.apply(decision.decidedBy()));
        dd.put("reason", redactor.apply(decision.reason()));
        dd.put("context", "approval");
        append(JournalEntryType.OPERATOR_DECISION, id, attempt, dd, Map.of(), Map.of());
        durable();
        emit(new ApprovalAnswered(runId, now(), id, decision));
        switch (decision.action()) {
          case RETRY -> cycle = 0;
          case SKIP -> {
            done[i] = true;
            records[i] = new StepRecord(id, step.phase(), StepOutcome.SKIPPED, attempt, first, now(),
                "failed, then skipped by " + dd.get("by") + ": " + dd.get("reason") + " (failure: " + error + ")", Map.of());
            warnings.add(failedMsg + "; skipped by " + dd.get("by") + ": " + dd.get("reason"));
            outcome = "SKIPPED";
            return StepEnd.OK;
          }
          case ABORT -> {
            return new StepEnd(EndKind.ABORT, failedMsg + "; aborted by " + dd.get("by") + ": " + dd.get("reason"));
          }
        }
      }
    } finally {
      obs.lowCardinalityKeyValue("outcome", outcome);
      obs.stop();
      MDC.remove("rollback.step");
    }
  }

  private void failed(int i, String id, int attempt, @Nullable Instant first, String error, String next, String... extra) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("error", error);
    data.put("next", next);
    for (int k = 0; k + 1 < extra.length; k += 2) {
      data.put(extra[k], extra[k + 1]);
    }
    records[i] = new StepRecord(id, plan.steps().get(i).step().phase(), StepOutcome.FAILED, attempt, first, now(), error, Map.of());
    append(JournalEntryType.STEP_FAILED, id, attempt, data, Map.of(), Map.of());
  }

  private static boolean isCancellation(Throwable t) {
    return t instanceof RollbackException re && re.code() == ErrorCode.CANCELLED;
  }

  private interface StepCall {
    StepResult call() throws Exception;
  }

  /** Runs a step's work on this thread, or on a worker with a time limit when the policy has one. */
  private StepResult invoke(StepCall call, StepPolicy policy, String id, DefaultStepContext ctx) throws Exception {
    Optional<Duration> timeout = policy.timeout();
    if (timeout.isEmpty()) {
      control.enter();
      try {
        return call.call();
      } finally {
        control.exit();
      }
    }
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    TimeLimiter limiter = TimeLimiter.of("rollback-step-" + id,
        TimeLimiterConfig.custom().timeoutDuration(timeout.get()).cancelRunningFuture(true).build());
    try {
      return limiter.executeFutureSupplier(() -> settings.stepExecutor().submit(() -> {
        if (mdc != null) {
          MDC.setContextMap(mdc);
        }
        control.enter();
        try {
          return call.call();
        } finally {
          control.exit();
          MDC.clear();
        }
      }));
    } catch (TimeoutException e) {
      ctx.detach();
      throw new StepTimeoutException("step '" + id + "' did not finish within its timeout of " + timeout.get() + "; it was interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw (Error) cause;
    } finally {
      ctx.detach();
    }
  }

  /** A step took longer than its policy allows. */
  static final class StepTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StepTimeoutException(String message) {
      super(message);
    }
  }

  private void waitInterruptibly(Duration d) throws InterruptedException {
    if (control.cancelled()) {
      throw new InterruptedException("cancelled");
    }
    control.enter();
    try {
      sleep(d);
    } finally {
      control.exit();
    }
  }

  private @Nullable ApprovalDecision awaitApproval(String stepId, String error, Duration timeout) {
    Instant deadline = now().plus(timeout);
    ApprovalRequest request = new ApprovalRequest(runId, plan.service(), stepId, error, deadline);
    emit(new ApprovalRequested(runId, now(), stepId, error, deadline));
    CompletableFuture<ApprovalDecision> answer;
    try {
      CompletionStage<ApprovalDecision> stage = settings.approvalGate().request(request);
      answer = stage == null ? CompletableFuture.completedFuture(null) : stage.toCompletableFuture();
    } catch (RuntimeException e) {
      log.error("approval gate failed for step '{}': {}", stepId, redactor.describe(e), redactor.apply(e));
      return ApprovalDecision.abort("rollback", "the approval gate failed: " + redactor.describe(e));
    }
    try {
      control.enter();
      while (!answer.isDone()) {
        if (control.cancelled()) {
          answer.cancel(false);
          return null;
        }
        Duration remaining = Duration.between(now(), deadline);
        if (remaining.isNegative() || remaining.isZero()) {
          answer.cancel(false);
          return ApprovalDecision.abort("rollback", "no answer within the approval timeout of " + timeout);
        }
        sleep(remaining.compareTo(APPROVAL_POLL) < 0 ? remaining : APPROVAL_POLL);
      }
    } catch (RollbackException e) {
      answer.cancel(false);
      return ApprovalDecision.abort("rollback", "stopped waiting for approval: " + redactor.apply(e.getMessage()));
    } catch (InterruptedException e) {
      answer.cancel(false);
      if (control.cancelled()) {
        return null;
      }
      Thread.currentThread().interrupt();
      return ApprovalDecision.abort("rollback", "interrupted while waiting for approval");
    } finally {
      control.exit();
    }
    try {
      ApprovalDecision d = answer.join();
      return d != null ? d : ApprovalDecision.abort("rollback", "the approval gate answered nothing");
    } catch (CompletionException | java.util.concurrent.CancellationException e) {
      return ApprovalDecision.abort("rollback", "the approval gate failed: " + redactor.describe(e.getCause() == null ? e : e.getCause()));
    }
  }

  // ---- abort and compensation ----

  private RollbackResult abortAndCompensate(RunOutcome outcome, @Nullable String reason) {
    String why = reason == null ? "aborted" : reason;
    control.compensating();
    Map<String, String> data = new LinkedHashMap<>();
    data.put("outcome", outcome.name());
    data.put("reason", why);
    append(JournalEntryType.RUN_ABORTING, null, 0, data, Map.of(), Map.of());
    durable();
    List<Integer> order = new ArrayList<>(completionOrder);
    for (int k = order.size() - 1; k >= 0; k--) {
      int i = order.get(k);
      if (compensated.contains(i)) {
        continue;
      }
      compensate(i);
    }
    return finish(outcome, why);
  }

  private void compensate(int i) {
    PlannedStep ps = plan.steps().get(i);
    Step step = ps.step();
    String id = step.id();
    MDC.put("rollback.step", id);
    Observation obs = Observation.createNotStarted("rollback.compensation", settings.observationRegistry())
        .lowCardinalityKeyValue("service", plan.service())
        .lowCardinalityKeyValue("step", id)
        .start();
    CompensationOutcome outcome;
    String message;
    try {
      DefaultStepContext ctx = new DefaultStepContext(this, id, Math.max(1, attempts[i]), false, true);
      StepResult r = invoke(() -> step.compensate(ctx), ps.policy(), id, ctx);
      if (r == null || r.status() == StepStatus.SKIPPED) {
        outcome = CompensationOutcome.NOTHING_TO_UNDO;
      } else {
        outcome = CompensationOutcome.COMPENSATED;
      }
      message = r == null ? "" : redactor.apply(r.message());
    } catch (Throwable t) {
      outcome = CompensationOutcome.FAILED;
      message = redactor.describe(t);
      obs.error(t);
      log.error("compensation of step '{}' failed: {}", id, message, redactor.apply(t));
      warnings.add("compensation of step '" + id + "' failed: " + message + "; undo its effect by hand");
    } finally {
      MDC.remove("rollback.step");
    }
    obs.lowCardinalityKeyValue("outcome", outcome.name());
    obs.stop();
    Instant at = now();
    Map<String, String> data = new LinkedHashMap<>();
    data.put("outcome", outcome.name());
    data.put("message", message);
    append(JournalEntryType.STEP_COMPENSATED, id, attempts[i], data, Map.of(), Map.of());
    durable();
    compensated.add(i);
    compensations.add(new CompensationRecord(id, outcome, at, message));
    emit(new StepCompensated(runId, at, id, outcome, message));
  }

  // ---- finishing ----

  private RollbackResult finish(RunOutcome outcome, @Nullable String failure) {
    Instant end = now();
    Map<String, String> data = new LinkedHashMap<>();
    data.put("outcome", outcome.name());
    if (failure != null) {
      data.put("failure", redactor.apply(failure));
    }
    if (outcome == RunOutcome.SUCCEEDED || outcome == RunOutcome.DEGRADED) {
      recordInLedger(end);
    }
    append(JournalEntryType.RUN_FINISHED, null, 0, data, Map.of(), Map.of());
    durable();
    if (journalBroken) {
      recoverJournal();
    }
    closeJournal();
    String message = switch (outcome) {
      case SUCCEEDED -> plan.service() + " rolled back from " + fromVersion + " to " + toVersion;
      case NO_ACTION -> failure != null ? redactor.apply(failure) : plan.service() + " already runs " + toVersion + "; nothing to do";
      default -> redactor.apply(failure);
    };
    emit(new RunFinished(runId, end, outcome, message, Duration.between(startedAt, end)));
    return result(outcome, failure, end);
  }

  /** A successful rollback ends the bad release as ROLLED_BACK and starts the target again. */
  private void recordInLedger(Instant at) {
    ReleaseLedger ledger = plan.ledger().orElse(null);
    if (ledger == null) {
      return;
    }
    try {
      boolean running = ledger.latest(plan.service(), fromVersion).map(r -> r.outcome() == ReleaseOutcome.RUNNING).orElse(false);
      if (running) {
        ledger.ended(plan.service(), fromVersion, at, ReleaseOutcome.ROLLED_BACK, List.of());
      } else {
        warnings.add("the release ledger had no running record of " + fromVersion + "; only the return of " + toVersion + " was recorded");
      }
      ledger.deployed(plan.service(), toVersion, at);
      record(null, "release ledger: " + fromVersion + " ROLLED_BACK, " + toVersion + " RUNNING since " + at, Map.of());
    } catch (RuntimeException e) {
      String w = "the release ledger could not be updated (" + redactor.describe(e) + "): record by hand that " + fromVersion
          + " was rolled back to " + toVersion + " at " + at;
      log.warn("{}", w);
      warnings.add(w);
    }
  }

  private RollbackResult result(RunOutcome outcome, @Nullable String failure, Instant end) {
    List<StepRecord> steps = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      StepRecord r = records[i];
      if (r == null) {
        PlannedStep ps = plan.steps().get(i);
        r = new StepRecord(ps.id(), ps.step().phase(), StepOutcome.NOT_RUN, attempts[i], null, null, "", Map.of());
      }
      steps.add(r);
    }
    closeJournal();
    List<TimelineEntry> tl;
    synchronized (timeline) {
      tl = List.copyOf(timeline);
    }
    return new RollbackResult(runId, plan.service(), fromVersion, toVersion, outcome, steps, compensations,
        warnings.stream().map(redactor::apply).toList(), tl, failure == null ? null : redactor.apply(failure), startedAt, end);
  }

  // ---- journal, events, lock ----

  private void openJournal() {
    writer = settings.journal().open(runId);
  }

  private void closeJournal() {
    JournalWriter w = writer;
    writer = null;
    if (w == null) {
      return;
    }
    try {
      w.close();
    } catch (RuntimeException e) {
      if (journalBroken) {
        log.debug("closing the failed journal writer of run {} failed too", runId, redactor.apply(e));
      } else {
        journalBroken("cannot close the journal", e);
      }
    }
  }

  private synchronized void append(JournalEntryType type, @Nullable String stepId, int attempt,
      Map<String, String> data, Map<String, String> facts, Map<String, String> attrs) {
    if (writer == null && !journalBroken) {
      return;
    }
    JournalEntry entry = new JournalEntry(++seq, now(), runId, type, stepId, attempt, redactor.apply(data), facts, attrs);
    if (journalBroken) {
      unwritten.add(entry);
      return;
    }
    try {
      writer.append(entry);
      unflushed.add(entry);
    } catch (RuntimeException e) {
      unflushed.add(entry);
      journalBroken("cannot append " + type + " to the journal", e);
    }
  }

  /** Makes the journal durable, then reports the events that waited for it. */
  private void durable() {
    if (!journalBroken && writer != null) {
      try {
        writer.flush();
        unflushed.clear();
      } catch (RuntimeException e) {
        journalBroken("cannot flush the journal", e);
      }
    }
    // Once the journal failed, events still go out: the steps really ran, and the run now aborts
    // and compensates them, which listeners must be able to follow.
    List<RollbackEvent> ready;
    synchronized (pending) {
      if (pending.isEmpty()) {
        return;
      }
      ready = new ArrayList<>(pending);
      pending.clear();
    }
    for (RollbackEvent e : ready) {
      emit(e);
    }
  }

  private synchronized void journalBroken(String what, RuntimeException e) {
    if (!journalBroken) {
      journalBroken = true;
      unwritten.addAll(unflushed);
      unflushed.clear();
      journalFailure = what + " (" + redactor.describe(e) + "): the run stops because it can no longer record what it does";
      log.error("run {}: {}", runId, journalFailure, redactor.apply(e));
      warnings.add(journalFailure);
    }
  }

  /**
   * After the journal failed, the run went on in memory (it aborted and compensated). Try once to
   * write what the journal lacks, so that a later resume does not trust steps that were undone.
   */
  private void recoverJournal() {
    JournalWriter broken = writer;
    writer = null;
    if (broken != null) {
      try {
        broken.close();
      } catch (RuntimeException e) {
        log.debug("closing the failed journal writer of run {} failed too", runId, redactor.apply(e));
      }
    }
    try {
      long present = settings.journal().read(runId)
          .map(r -> r.entries().isEmpty() ? 0L : r.entries().get(r.entries().size() - 1).seq())
          .orElse(0L);
      try (JournalWriter w = settings.journal().open(runId)) {
        for (JournalEntry e : unwritten) {
          if (e.seq() > present) {
            w.append(e);
          }
        }
        w.flush();
      }
      unwritten.clear();
      warnings.add("the journal failed during the run and was completed afterwards; it records the abort and compensations");
    } catch (RuntimeException e) {
      String msg = "the journal of run " + runId + " stays incomplete (" + redactor.describe(e) + "): it lacks the abort and"
          + " the compensations, so do not resume this run; start a new one after checking the service's state";
      log.error("{}", msg);
      warnings.add(msg);
    }
  }

  private void pending(RollbackEvent e) {
    synchronized (pending) {
      pending.add(e);
    }
  }

  private void emit(RollbackEvent event) {
    for (RollbackListener l : settings.listeners()) {
      deliver(l, event);
    }
    for (RollbackListener l : control.listeners()) {
      deliver(l, event);
    }
  }

  private void deliver(RollbackListener l, RollbackEvent event) {
    try {
      l.onEvent(event);
    } catch (RuntimeException e) {
      log.warn("listener {} failed on {}: {}", l.getClass().getName(), event.getClass().getSimpleName(), redactor.describe(e), redactor.apply(e));
    }
  }

  private void warn(String warning) {
    log.warn("{}", warning);
    warnings.add(warning);
  }

  private void acquireLock() {
    lease = settings.lock().acquire(plan.service(), runId, settings.owner(), settings.lockTtl());
    lastRenewal = now();
    long period = Math.max(1, settings.lockTtl().toMillis() / 3);
    heartbeat = settings.heartbeat().scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
  }

  private void heartbeat() {
    try {
      LockLease l = lease;
      if (l != null) {
        l.renew();
        lastRenewal = now();
      }
    } catch (RuntimeException e) {
      log.error("run {}: lock of {} lost; cancelling: {}", runId, plan.service(), redactor.describe(e));
      control.cancel("the lock of " + plan.service() + " was lost (" + e.getMessage() + "); another run may act on it");
    }
  }

  /**
   * Renews the lease when a third of its TTL passed on the run clock (a compressed clock can pass
   * it faster than the heartbeat). A lost lease cancels the run: another run may act on the
   * service now.
   */
  private void renewIfDue() {
    LockLease l = lease;
    if (l == null) {
      return;
    }
    Instant now = now();
    if (Duration.between(lastRenewal, now).compareTo(renewEvery) >= 0) {
      try {
        l.renew();
        lastRenewal = now;
      } catch (RollbackException e) {
        control.cancel("the lock of " + plan.service() + " was lost (" + e.getMessage() + "); another run may act on it");
        throw new RollbackException(ErrorCode.CANCELLED, "run " + runId + " was cancelled: " + control.reason(), e);
      }
    }
  }

  private void releaseLock() {
    ScheduledFuture<?> h = heartbeat;
    if (h != null) {
      h.cancel(false);
    }
    LockLease l = lease;
    lease = null;
    if (l != null) {
      l.close();
    }
    closeJournal();
  }

  private Instant now() {
    return settings.clock().instant();
  }

  private static String json(Object o) {
    try {
      return JournalCodec.MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Puts the run id and service in the MDC for the run's duration and restores what was there. */
  private final class MdcScope implements AutoCloseable {
    private final @Nullable Map<String, String> previous = MDC.getCopyOfContextMap();

    MdcScope() {
      MDC.put("rollback.run", runId);
      MDC.put("rollback.service", plan.service());
    }

    @Override
    public void close() {
      if (previous == null) {
        MDC.clear();
      } else {
        MDC.setContextMap(previous);
      }
    }
  }
}
