package dev.rollback.host;

import dev.rollback.core.Phase;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.Step;
import dev.rollback.core.StepContext;
import dev.rollback.core.StepResult;
import dev.rollback.core.journal.RunJournal;
import dev.rollback.core.lock.RollbackLock;
import dev.rollback.core.service.ServiceControl;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The runbook a child JVM runs in {@link SymlinkCrashTest}: a symlink rollback of {@code <dir>/app}
 * from v1.3.0 to v1.2.9 with a file journal, a file lock and a fixed run id. Counter files on disk
 * (fsynced) prove how often the swap step ran, how often it really changed the link, and how often
 * the service was restarted and validated.
 *
 * <p>Arguments: {@code <dir> run <kill-point>} or {@code <dir> resume}. Kill points: {@code
 * in-restart} (the swap step was journaled complete; the restart blocks), {@code in-swap} (the link
 * was swapped, the step has not returned). The process then waits to be killed with SIGKILL.
 */
public final class SymlinkCrashRunbook {
  static final String RUN_ID = "symlink-crash-1";

  private SymlinkCrashRunbook() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String killPoint = args[1].equals("run") ? args[2] : "none";
    RollbackRunner runner = RollbackRunner.builder()
        .journal(RunJournal.directory(dir.resolve("journal")))
        .lock(RollbackLock.directory(dir.resolve("locks"), Clock.systemUTC()))
        .runIds((service, at) -> RUN_ID)
        .build();
    RollbackPlan plan = plan(dir, killPoint);
    RollbackResult result = args[1].equals("run") ? runner.run(plan) : runner.resume(plan, RUN_ID);
    Files.writeString(dir.resolve("result.txt"), result.outcome().name() + "\n" + result.failureMessage().orElse(""));
  }

  static RollbackPlan plan(Path dir, String killPoint) {
    SymlinkStrategy symlink = SymlinkStrategy.builder(dir.resolve("app"))
        .marker("REVISION")
        .service(new FileBackedService(dir, killPoint.equals("in-restart")))
        .readinessTimeout(Duration.ofSeconds(20))
        .build();
    List<Step> steps = symlink.steps();
    Step swap = steps.get(0);
    return RollbackPlan.builder("checkout").currentVersion("v1.3.0").target("v1.2.9")
        .step(new CountedSwap(swap, dir, killPoint.equals("in-swap")))
        .step(steps.get(1))
        .step(steps.get(2))
        .step(Step.builder("validate-version", Phase.VALIDATE)
            .idempotent(true)
            .execute(ctx -> {
              count(dir, "validations");
              String running = Files.readString(dir.resolve("service-running.txt")).trim();
              if (!running.equals("app v1.2.9")) {
                throw new IllegalStateException("service runs " + running + ", not app v1.2.9");
              }
              return StepResult.succeeded("service runs " + running);
            })
            .build())
        .build();
  }

  /** Counts the swap step's executions, and the swaps that really changed the link. */
  static final class CountedSwap implements Step {
    private final Step delegate;
    private final Path dir;
    private final boolean block;

    CountedSwap(Step delegate, Path dir, boolean block) {
      this.delegate = delegate;
      this.dir = dir;
      this.block = block;
    }

    @Override
    public String id() {
      return delegate.id();
    }

    @Override
    public Phase phase() {
      return delegate.phase();
    }

    @Override
    public boolean idempotent() {
      return delegate.idempotent();
    }

    @Override
    public StepResult execute(StepContext ctx) throws Exception {
      count(dir, "swap-executions");
      StepResult r = delegate.execute(ctx);
      if ("true".equals(r.facts().get("swapped"))) {
        count(dir, "swaps");
      }
      if (block) {
        Files.createFile(dir.resolve("in-swap"));
        new CountDownLatch(1).await(); // wait for SIGKILL
      }
      return r;
    }
  }

  /**
   * A service whose restart "loads" the release {@code current} points to into a file; in the first
   * JVM it blocks after restarting, until killed.
   */
  static final class FileBackedService implements ServiceControl {
    private final Path dir;
    private final boolean block;

    FileBackedService(Path dir, boolean block) {
      this.dir = dir;
      this.block = block;
    }

    @Override
    public String name() {
      return "file-backed checkout";
    }

    @Override
    public void restart(StepContext ctx) throws Exception {
      count(dir, "restarts");
      Files.deleteIfExists(dir.resolve("service-running.txt"));
      if (block) {
        Files.createFile(dir.resolve("in-restart"));
        new CountDownLatch(1).await(); // wait for SIGKILL
      }
      String app = Files.readString(dir.resolve("app").resolve("current").resolve("app.txt")).trim();
      Files.writeString(dir.resolve("service-running.txt"), app);
    }

    @Override
    public boolean awaitReady(Duration timeout, StepContext ctx) throws Exception {
      return ctx.await("checkout ready", () -> Files.exists(dir.resolve("service-running.txt")), timeout, Duration.ofMillis(20));
    }
  }

  /** Adds one to a counter file and forces it to disk before returning. */
  static void count(Path dir, String name) throws IOException {
    Path file = dir.resolve("effects").resolve(name + ".count");
    Files.createDirectories(file.getParent());
    int n = counted(dir, name);
    try (FileOutputStream out = new FileOutputStream(file.toFile())) {
      out.write(Integer.toString(n + 1).getBytes(StandardCharsets.UTF_8));
      out.getFD().sync();
    }
  }

  static int counted(Path dir, String name) throws IOException {
    Path file = dir.resolve("effects").resolve(name + ".count");
    return Files.exists(file) ? Integer.parseInt(Files.readString(file).trim()) : 0;
  }
}
