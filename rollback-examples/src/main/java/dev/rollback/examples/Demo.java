package dev.rollback.examples;

import dev.rollback.core.FailureAction;
import dev.rollback.core.Phase;
import dev.rollback.core.RetryPolicy;
import dev.rollback.core.RollbackPlan;
import dev.rollback.core.RollbackResult;
import dev.rollback.core.RollbackRunner;
import dev.rollback.core.Step;
import dev.rollback.core.StepPolicy;
import dev.rollback.core.StepResult;
import dev.rollback.core.metric.MetricGate;
import dev.rollback.core.monitor.MonitorWindow;
import dev.rollback.core.notify.IncidentSteps;
import dev.rollback.host.ConfigRollback;
import dev.rollback.host.ProcessSpec;
import dev.rollback.host.ServiceControls;
import dev.rollback.host.SymlinkStrategy;
import dev.rollback.core.notify.NotificationDispatcher;
import dev.rollback.core.notify.Notifiers;
import dev.rollback.core.report.IncidentReport;
import dev.rollback.core.report.ReportFormat;
import dev.rollback.core.report.ReportNotes;
import dev.rollback.core.report.ReportStep;
import dev.rollback.core.TargetSelector;
import dev.rollback.core.VersionProbe;
import dev.rollback.core.decision.Assessor;
import dev.rollback.core.decision.Impact;
import dev.rollback.core.health.HealthCheck;
import dev.rollback.core.health.MetricSource;
import dev.rollback.core.release.ReleaseLedger;
import dev.rollback.core.release.ReleaseOutcome;
import dev.rollback.core.release.ReleaseRecord;
import dev.rollback.core.version.GitVersionCatalog;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.OptionalDouble;
import dev.rollback.core.event.ConsoleProgress;
import dev.rollback.core.journal.RunJournal;
import dev.rollback.core.lock.RollbackLock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The embedded demo: a real HTTP service runs a bad release (v1.3.0). The runbook reads the release
 * history (a JSON ledger) and the git tags of a repository it makes with JGit, picks the newest
 * version that was stable for a day (v1.2.9, skipping the failed v1.2.10), assesses the service over
 * HTTP and decides to roll back with a written rationale, confirms the running version from two
 * sources, verifies the target tag, opens an incident, drains traffic behind a maintenance flag and
 * a circuit breaker, switches the release, validates health, restores traffic gradually, watches for
 * 15 minutes (fast-forwarded), records the rollback in the ledger and writes a summary. Nothing but
 * a JDK is needed.
 *
 * <p>Run it with {@code ./mvnw -q -pl rollback-examples -am -DskipTests package exec:java}.
 */
public final class Demo {
  static final String BAD = "v1.3.0";
  static final String GOOD = "v1.2.9";
  private static final Impact IMPACT =
      new Impact(38, List.of("checkout"), List.of("checkout"), true, false, "38% of checkouts fail");
  private static final ReportNotes NOTES = ReportNotes.none()
      .withActionItem("Add a canary stage that watches the checkout error rate before full rollout");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm").withZone(ZoneOffset.UTC);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Demo() {}

  /**
   * @param args optional: the folder for the journal, locks and summary (default {@code
   *     target/rollback-demo})
   * @throws Exception when the demo cannot run
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of("target/rollback-demo");
    int keep = 5;
    long speed = 600;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--help", "-h" -> {
          System.out.println("""
              Usage: Demo [--dir FOLDER] [--keep N] [--speed FACTOR]
                --dir FOLDER     where the repository, the host layout, the journal and the report go
                                 (default target/rollback-demo; its previous content is replaced)
                --keep N         releases the clean-up keeps besides current, target and young failed ones (default 5)
                --speed FACTOR   how many times faster than real time waits pass: 600 shows the
                                 15-minute watch in about 1.5 s; 1 runs in real time (default 600)
              Exits 0 only when the service answers healthy on v1.2.9 afterwards.""");
          return;
        }
        case "--dir" -> dir = Path.of(args[++i]);
        case "--keep" -> keep = Integer.parseInt(args[++i]);
        case "--speed" -> speed = Long.parseLong(args[++i]);
        default -> {
          System.err.println("unknown option " + args[i] + "; see --help");
          System.exit(2);
        }
      }
    }
    Outcome outcome = run(dir, keep, speed, System.out);
    System.exit(outcome.healthyOnTarget() ? 0 : 1);
  }

  /**
   * How the demo ended.
   *
   * @param result the run's result
   * @param healthyOnTarget whether the service answered healthy on the target afterwards
   */
  public record Outcome(RollbackResult result, boolean healthyOnTarget) {}

  /**
   * Runs the demo with the defaults (keep 5, 600 times faster).
   *
   * @param dir where everything goes
   * @param out where progress is printed
   * @return the result
   * @throws IOException when the demo cannot set up its service or write its files
   */
  public static RollbackResult run(Path dir, PrintStream out) throws IOException {
    return run(dir, 5, 600, out).result();
  }

  /**
   * Runs the demo.
   *
   * @param dir where the repository, host layout, journal and report go
   * @param keep releases the clean-up keeps
   * @param speed how many times faster than real time waits pass
   * @param out where progress is printed
   * @return the result and whether the service is healthy on the target afterwards
   * @throws IOException when the demo cannot set up its service or write its files
   */
  public static Outcome run(Path dir, int keep, long speed, PrintStream out) throws IOException {
    try {
      return new Demo().walk(dir, keep, speed, out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while talking to the demo service", e);
    }
  }

  private Outcome walk(Path dir, int keep, long speed, PrintStream out) throws IOException, InterruptedException {
    FastForwardClock clock = new FastForwardClock(speed);
    clean(dir);
    Path host = DemoReleaseLayout.create(dir.resolve("host"), clock.instant().minus(Duration.ofDays(10)));
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Files.writeString(etc.resolve("app.yaml"), "version: v1.3.0\npool: 23\n");
    int port = DemoProcess.freePort();
    URI base = URI.create("http://127.0.0.1:" + port);
    Path pidFile = dir.resolve("service.pid");
    List<String> command = DemoProcess.command(host, port);
    DemoProcess.start(command, pidFile, dir.resolve("service.log"), base.resolve("/version"));
    try {
      return rollBack(dir, host, etc, base, command, pidFile, keep, clock, out);
    } finally {
      DemoProcess.stop(pidFile);
    }
  }

  private Outcome rollBack(Path dir, Path host, Path etc, URI base, List<String> command, Path pidFile, int keep, FastForwardClock clock,
      PrintStream out) throws IOException, InterruptedException {
    AtomicBoolean maintenance = new AtomicBoolean();
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("checkout-upstream");
    out.println("Demo service (pid " + Files.readString(pidFile).strip() + ") on " + base + " runs "
        + Files.readSymbolicLink(host.resolve("current")) + "; /version says " + get(base, "/version").body());
    out.println();

    Path repo = DemoRepository.create(dir.resolve("repo"), clock.instant().minus(Duration.ofDays(12)));
    ReleaseLedger ledger = ledger(dir.resolve("releases.json"), clock.instant().truncatedTo(ChronoUnit.SECONDS));
    out.println("Release history (" + dir.resolve("releases.json") + "):");
    for (ReleaseRecord r : ledger.releases("checkout-api")) {
      out.println("  " + r.version() + "  deployed " + r.deployedAt() + "  " + r.outcome()
          + (r.incidents().isEmpty() ? "" : " " + r.incidents()));
    }
    out.println();
    SymlinkStrategy symlink = SymlinkStrategy.builder(host)
        .marker("REVISION")
        .keep(keep)
        .service(ServiceControls.process(ProcessSpec.builder(command)
            .readinessUrl(base.resolve("/version"))
            .pidFile(pidFile)
            .logFile(dir.resolve("service.log"))
            .stopGrace(Duration.ofSeconds(60))
            .build()))
        .readinessTimeout(Duration.ofHours(1))
        .operator("oncall-alice")
        .build();
    MetricSource errorRate = query -> {
      HttpResponse<String> r = get(base, query);
      return r.statusCode() == 200 ? OptionalDouble.of(Double.parseDouble(r.body().strip())) : OptionalDouble.empty();
    };

    GitVersionCatalog versions = GitVersionCatalog.builder().repository(repo).requiredFiles("Dockerfile").build();
    RunJournal journal = RunJournal.directory(dir.resolve("runs"));
    NotificationDispatcher people = NotificationDispatcher.of(Notifiers.console(out));
    RollbackPlan plan = RollbackPlan.builder("checkout-api")
        .currentVersion(VersionProbe.http(base.resolve("/version")))
        .confirmCurrentVersion(VersionProbe.platform(symlink))
        .expectCurrentVersion(BAD)
        .versions(versions)
        .ledger(ledger)
        .target(TargetSelector.previousStable(Duration.ofHours(24)))
        .assess(Assessor.custom()
            .health(HealthCheck.http(base.resolve("/health")))
            .errorRate(errorRate, "/metrics/error-rate")
            .baselineErrorRate(0.002)
            .affectedSystems("checkout", "payments")
            .impact(IMPACT)
            .build())
        .step(IncidentSteps.openIncident(people)
            .impact(IMPACT)
            .owner("on-call: alice")
            .eta(Duration.ofMinutes(30))
            .issue("checkout-api v1.3.0 fails 38% of checkouts since its deploy")
            .build())
        .step(Step.builder("maintenance-on", Phase.TRAFFIC_DRAIN).idempotent(true)
            .execute(ctx -> {
              maintenance.set(true);
              return StepResult.succeeded("maintenance page on");
            })
            .compensate(ctx -> {
              maintenance.set(false);
              return StepResult.succeeded("maintenance page off");
            }).build())
        .step(Step.builder("open-breaker", Phase.TRAFFIC_DRAIN).idempotent(true)
            .execute(ctx -> {
              breaker.transitionToForcedOpenState();
              return StepResult.succeeded("breaker " + breaker.getState());
            })
            .compensate(ctx -> {
              breaker.transitionToClosedState();
              return StepResult.succeeded("breaker " + breaker.getState());
            }).build())
        .steps(symlink.steps())
        .step(ConfigRollback.builder("restore-config").versions(versions).configFolder(etc).folder("config").build())
        .step(Step.builder("health", Phase.VALIDATE).idempotent(true).execute(ctx -> {
          HttpResponse<String> r = get(base, "/health");
          if (r.statusCode() / 100 != 2) {
            throw new IOException("GET /health answered " + r.statusCode() + ": " + r.body());
          }
          return StepResult.succeeded("healthy on " + ctx.toVersion());
        }).build(), StepPolicy.custom()
            .retry(RetryPolicy.custom().maxAttempts(5).backoff(Duration.ofSeconds(5), 2, Duration.ofMinutes(1)).build())
            .onFailure(FailureAction.ABORT)
            .build())
        .step(Step.builder("restore-traffic", Phase.TRAFFIC_RESTORE).idempotent(true).execute(ctx -> {
          int[] percents = {1, 10, 50, 100};
          for (int i = 0; i < percents.length; i++) {
            ctx.progress(percents[i] + "% of traffic back", (i + 1) / (double) percents.length);
            if (get(base, "/health").statusCode() / 100 != 2) {
              throw new IllegalStateException("unhealthy at " + percents[i] + "% of traffic");
            }
            if (i < percents.length - 1) {
              ctx.sleep(Duration.ofMinutes(2));
            }
          }
          maintenance.set(false);
          breaker.transitionToClosedState();
          return StepResult.succeeded("100% of traffic on " + ctx.toVersion() + "; maintenance off, breaker " + breaker.getState());
        }).build())
        .gate(MetricGate.custom("error-rate").source(errorRate).query("/metrics/error-rate").metric("error-rate")
            .max(0.05).count(3).interval(Duration.ofSeconds(30)).build())
        .monitor(MonitorWindow.custom()
            .gate(MetricGate.custom("error-rate-watch").source(errorRate).query("/metrics/error-rate").metric("error-rate")
                .max(0.05).build())
            .duration(Duration.ofMinutes(15))
            .interval(Duration.ofMinutes(1))
            .alerts(alert -> out.println("ALERT " + alert))
            .build())
        .step(IncidentSteps.statusUpdate(people)
            .whatHappened("v1.3.0 failed 38% of checkouts; rolled back to v1.2.9, the last version stable for a day")
            .metrics(Map.of("error rate", "0.2% (baseline 0.2%, was 38%)", "health", "200 OK"))
            .dataLoss("none")
            .nextStep("root-cause v1.3.0 before the next deploy; v1.2.10 stays blocked")
            .build())
        .step(ReportStep.to(journal, dir.resolve("report")).withNotes(NOTES))
        .step(symlink.cleanUpStep())
        .build();

    RollbackRunner runner = RollbackRunner.builder()
        .journal(journal)
        .lock(RollbackLock.directory(dir.resolve("locks"), clock))
        .clock(clock)
        .sleeper(clock.sleeper())
        .listener(new ConsoleProgress(out, ZoneOffset.UTC))
        .build();
    RollbackResult result;
    try {
      result = runner.run(plan);
    } finally {
      versions.close();
    }

    Map<ReportFormat, Path> report = IncidentReport.fromJournal(journal, result.runId(), NOTES).writeTo(dir.resolve("report"));
    String version = getQuietly(base, "/version");
    boolean healthy = GOOD.equals(version) && get(base, "/health").statusCode() == 200;
    out.println();
    out.println("Service now runs " + version + " (current -> " + Files.readSymbolicLink(host.resolve("current")) + "); /health "
        + (healthy ? "answers 200" : "is NOT healthy on " + GOOD));
    out.println("Config: " + etc.resolve("app.yaml") + " holds " + Files.readString(etc.resolve("app.yaml")).lines().findFirst().orElse(""));
    out.println("Journal: " + dir.resolve("runs").resolve(result.runId() + ".jsonl").toAbsolutePath());
    out.println("Incident report: " + report.get(ReportFormat.HTML).toAbsolutePath());
    out.println("                 " + report.get(ReportFormat.MARKDOWN).toAbsolutePath());
    out.println("                 " + report.get(ReportFormat.JSON).toAbsolutePath());
    return new Outcome(result, result.succeeded() && healthy);
  }

  /** Removes what an earlier demo left in the folder, so each run starts from the same state. */
  private static void clean(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          if (!p.equals(dir)) {
            Files.delete(p);
          }
        }
      }
    }
    Files.createDirectories(dir);
  }

  /** The release history the deploy pipeline would have written: v1.2.10 failed, v1.3.0 runs now. */
  private static ReleaseLedger ledger(Path file, Instant now) throws IOException {
    Files.deleteIfExists(file);
    ReleaseLedger ledger = ReleaseLedger.jsonFile(file);
    Instant t = now.minus(Duration.ofDays(12));
    ledger.record(new ReleaseRecord("checkout-api", "v1.2.8", t, t.plus(Duration.ofDays(4)), ReleaseOutcome.STABLE, List.of()));
    ledger.record(new ReleaseRecord("checkout-api", "v1.2.9", t.plus(Duration.ofDays(4)), t.plus(Duration.ofDays(10)),
        ReleaseOutcome.STABLE, List.of()));
    ledger.record(new ReleaseRecord("checkout-api", "v1.2.10", t.plus(Duration.ofDays(10)), t.plus(Duration.ofDays(10)).plus(Duration.ofHours(5)),
        ReleaseOutcome.FAILED, List.of("INC-" + STAMP.format(t.plus(Duration.ofDays(10)).plus(Duration.ofHours(4))) + "-checkout-api")));
    ledger.deployed("checkout-api", "v1.3.0", now.minus(Duration.ofMinutes(42)));
    return ledger;
  }

  private HttpResponse<String> get(URI base, String path) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  private String getQuietly(URI base, String path) {
    try {
      return get(base, path).body();
    } catch (IOException e) {
      return "unreachable: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
