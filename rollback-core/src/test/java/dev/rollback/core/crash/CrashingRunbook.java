package dev.rollback.core.crash;

import dev.rollback.core.Phase;
import dev.rollback.core.ResumeDecision;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.Step;
import dev.rollback.core.StepResult;
import dev.rollback.core.journal.JournalEntry;
import dev.rollback.core.journal.JournalEntryType;
import dev.rollback.core.journal.JournalReplay;
import dev.rollback.core.journal.JournalWriter;
import dev.rollback.core.journal.RunJournal;
import dev.rollback.core.lock.RollbackLock;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The runbook a child JVM runs in the crash tests. Each step counts its side effect in a file on
 * disk (fsynced), so a test can prove which steps ran how often across JVMs.
 *
 * <p>Arguments: {@code <dir> run <kill-point> <s3-idempotent>} or {@code <dir> resume
 * <s3-idempotent> [continue]}. Kill points: {@code mid-step} (s3 has done its effect and blocks),
 * {@code after-fsync} (the journal flush that made s2's completion durable returned; s3 not begun).
 * The process then waits to be killed with SIGKILL.
 */
public final class CrashingRunbook {
  public static final String RUN_ID = "crash-run-1";
  public static final String SERVICE = "payments";

  private CrashingRunbook() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String mode = args[1];
    String killPoint = mode.equals("run") ? args[2] : "none";
    boolean s3Idempotent = Boolean.parseBoolean(mode.equals("run") ? args[3] : args[2]);
    RunJournal journal = RunJournal.directory(dir.resolve("journal"));
    if (killPoint.equals("after-fsync")) {
      journal = new FreezeAfterFlushOf(journal, "s2", dir.resolve("frozen"));
    }
    RollbackRunner runner = RollbackRunner.builder()
        .journal(journal)
        .lock(RollbackLock.directory(dir.resolve("locks"), Clock.systemUTC()))
        .runIds((service, at) -> RUN_ID)
        .build();
    RollbackPlan plan = plan(dir, s3Idempotent, killPoint.equals("mid-step"));
    RollbackResult result;
    if (mode.equals("run")) {
      result = runner.run(plan);
    } else if (args.length > 3 && args[3].equals("continue")) {
      result = runner.resume(plan, RUN_ID, ResumeDecision.continueWith("s3", "oncall", "checked: s3 is safe to repeat"));
    } else {
      result = runner.resume(plan, RUN_ID);
    }
    Files.writeString(dir.resolve("result.txt"), result.outcome().name() + "\n" + result.failureMessage().orElse(""));
  }

  /** The plan both JVMs build: five steps, each counting its effect on disk. */
  public static RollbackPlan plan(Path dir, boolean s3Idempotent, boolean blockInS3) {
    RollbackPlan.Builder b = RollbackPlan.builder(SERVICE).currentVersion("v2.0.0").target("v1.9.3");
    String[] ids = {"s1", "s2", "s3", "s4", "s5"};
    Phase[] phases = {Phase.PRECHECK, Phase.TRAFFIC_DRAIN, Phase.PLATFORM_ROLLBACK, Phase.VALIDATE, Phase.TRAFFIC_RESTORE};
    for (int i = 0; i < ids.length; i++) {
      String id = ids[i];
      boolean block = blockInS3 && id.equals("s3");
      b.step(Step.builder(id, phases[i])
          .idempotent(id.equals("s3") ? s3Idempotent : true)
          .execute(ctx -> {
            count(dir, id);
            if (block) {
              Files.createFile(dir.resolve("in-" + id));
              new CountDownLatch(1).await(); // wait for SIGKILL
            }
            return StepResult.succeeded(id + " done");
          })
          .build());
    }
    return b.build();
  }

  /** Adds one to the step's counter file and forces it to disk before returning. */
  public static void count(Path dir, String id) throws IOException {
    Path file = dir.resolve("effects").resolve(id + ".count");
    Files.createDirectories(file.getParent());
    int n = Files.exists(file) ? Integer.parseInt(Files.readString(file).trim()) : 0;
    try (FileOutputStream out = new FileOutputStream(file.toFile())) {
      out.write(Integer.toString(n + 1).getBytes(StandardCharsets.UTF_8));
      out.getFD().sync();
    }
  }

  public static int counted(Path dir, String id) throws IOException {
    Path file = dir.resolve("effects").resolve(id + ".count");
    return Files.exists(file) ? Integer.parseInt(Files.readString(file).trim()) : 0;
  }

  /** A journal that freezes the process right after the flush that made a step's completion durable. */
  static final class FreezeAfterFlushOf implements RunJournal {
    private final RunJournal delegate;
    private final String stepId;
    private final Path marker;

    FreezeAfterFlushOf(RunJournal delegate, String stepId, Path marker) {
      this.delegate = delegate;
      this.stepId = stepId;
      this.marker = marker;
    }

    @Override
    public JournalWriter open(String runId) {
      JournalWriter w = delegate.open(runId);
      List<JournalEntry> batch = new ArrayList<>();
      return new JournalWriter() {
        @Override
        public void append(JournalEntry entry) {
          batch.add(entry);
          w.append(entry);
        }

        @Override
        public void flush() {
          w.flush();
          boolean hit = batch.stream().anyMatch(e -> e.type() == JournalEntryType.STEP_COMPLETED && stepId.equals(e.stepId()));
          batch.clear();
          if (hit) {
            try {
              Files.createFile(marker);
              new CountDownLatch(1).await(); // wait for SIGKILL
            } catch (IOException | InterruptedException e) {
              throw new IllegalStateException(e);
            }
          }
        }

        @Override
        public void close() {
          w.close();
        }
      };
    }

    @Override
    public Optional<JournalReplay> read(String runId) {
      return delegate.read(runId);
    }

    @Override
    public List<String> runIds() {
      return delegate.runIds();
    }
  }
}
