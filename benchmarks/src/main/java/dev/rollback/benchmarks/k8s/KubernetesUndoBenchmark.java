package dev.rollback.benchmarks.k8s;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.rollback.core.command.CommandLine;
import dev.rollback.core.command.CommandResult;
import dev.rollback.k8s.KubernetesRollback;
import dev.rollback.k8s.UndoResult;
import dev.rollback.testkit.DetachedStepContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Rolling many Deployments back at once, and one undo against one {@code kubectl rollout undo}.
 *
 * <p>Against fabric8's CRUD mock server, run as a separate process ({@link MockApiServer}) so that
 * the heap measured here is the client's. Every Deployment is at revision 3 with its three owned
 * ReplicaSets ({@link BenchObjects}).
 *
 * <ol>
 *   <li><b>Bulk</b>: undo N Deployments spread over M namespaces with a fixed pool of T threads (one
 *       undo per task, one shared client), twice on fresh objects: the first pass in a cold JVM,
 *       the second warm. Reported: wall time, API requests per Deployment as counted by the server
 *       (and what they were), per-undo latency, and heap: the peak of heap in use (sampled every
 *       millisecond, and the in-use size just before every collection, from GC notifications) and
 *       the largest heap left after a collection during the pass (the live set). Before timing
 *       ends nothing waits for a rollout; afterwards every Deployment is read back and checked to
 *       run revision 2's image, so a broken undo cannot produce a number.
 *   <li><b>One undo</b>: alternately, the library's undo in this (warm) process and a {@code
 *       kubectl rollout undo deployment/…} process, each on a fresh Deployment; the medians, the
 *       ratio, and the requests each made. When the {@code kubectl} on the PATH is Google Cloud
 *       SDK's dispatcher, the kubectl release it runs ({@code kubectl.1.32} beside it) is measured
 *       too.
 * </ol>
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.rollback.benchmarks.k8s.KubernetesUndoBenchmark [deployments] [namespaces] [threads] [runs]}
 * (defaults 500, 20, 8, 21).
 */
public final class KubernetesUndoBenchmark {
  private static final Duration KUBECTL_TIMEOUT = Duration.ofSeconds(60);

  private KubernetesUndoBenchmark() {}

  /**
   * @param args optional: deployments, namespaces, threads, measured runs of the one-undo comparison
   * @throws Exception when the server does not start or an undo gives the wrong result
   */
  public static void main(String[] args) throws Exception {
    int deployments = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int namespaces = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 21;
    int warmups = 3;

    Path home = Files.createTempDirectory("rollback-k8s-bench-");
    Process serverProcess = startServer();
    try {
      int port = readPort(serverProcess);
      String url = "http://127.0.0.1:" + port;
      Config config = new ConfigBuilder()
          .withMasterUrl(url)
          .withOauthToken("not-a-secret")
          .withNamespace("default")
          .withMaxConcurrentRequests(64)
          .withMaxConcurrentRequestsPerHost(64)
          .withRequestRetryBackoffLimit(0)
          .build();
      Counter counter = new Counter(url);
      System.out.printf(Locale.ROOT, "JVM: %s %s, max heap %d MiB; %d CPUs; mock server (fabric8 CRUD) in a separate JVM at %s%n",
          System.getProperty("java.vm.name"), System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
          Runtime.getRuntime().availableProcessors(), url);
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
        for (int pass = 1; pass <= 2; pass++) {
          String prefix = "bulk" + pass + "-";
          List<Target> targets = populate(client, prefix, deployments, namespaces, threads);
          bulk(pass == 1 ? "cold JVM" : "warm JVM", client, counter, targets, namespaces, threads, serverProcess.toHandle());
        }
        compareWithKubectl(client, counter, home, url, warmups, runs);
      }
    } finally {
      serverProcess.getOutputStream().close();
      if (!serverProcess.waitFor(10, TimeUnit.SECONDS)) {
        serverProcess.destroyForcibly();
      }
      try (Stream<Path> paths = Files.walk(home)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The library's side: all calls into rollback-k8s are here.

  /**
   * One undo to the previous revision through the public API, as a runbook does it: a {@link
   * KubernetesRollback} for the Deployment (sharing the client), {@code undo(0, ctx)}; no rollout
   * wait.
   */
  static void libraryUndo(KubernetesClient client, String namespace, String name) {
    UndoResult result = KubernetesRollback.deployment(name).namespace(namespace).client(client).build()
        .undo(0, DetachedStepContext.builder().runId("bench").service(name).keepRecords(false).build());
    if (!result.changed() || result.toRevision() != 2) {
      throw new IllegalStateException(namespace + "/" + name + ": " + result.message());
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static void bulk(String label, KubernetesClient client, Counter counter, List<Target> targets, int namespaces, int threads,
      ProcessHandle server) throws Exception {
    System.out.printf(Locale.ROOT, "%n== bulk undo, %s: %d Deployments in %d namespaces, %d threads ==%n", label, targets.size(),
        namespaces, threads);
    System.gc();
    HeapWatch heap = HeapWatch.start();
    counter.reset();
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    long clientCpu0 = processCpuNanos();
    long serverCpu0 = server.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    long[] latencies = new long[targets.size()];
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long t0 = System.nanoTime();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < targets.size(); i++) {
        int index = i;
        Target t = targets.get(i);
        futures.add(pool.submit(() -> {
          long s = System.nanoTime();
          libraryUndo(client, t.namespace, t.name);
          latencies[index] = System.nanoTime() - s;
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    long wall = System.nanoTime() - t0;
    long clientCpu = processCpuNanos() - clientCpu0;
    long serverCpu = server.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L) - serverCpu0;
    double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    HeapWatch.Figures h = heap.stop();
    Counter.Counts counts = counter.read();
    verify(client, targets);
    Arrays.sort(latencies);
    System.out.printf(Locale.ROOT, "wall time            %,10.0f ms  (%.0f undos/s)%n", wall / 1e6, targets.size() / (wall / 1e9));
    System.out.printf(Locale.ROOT, "per undo             median %.1f ms, p95 %.1f ms, max %.1f ms%n", latencies[latencies.length / 2] / 1e6,
        latencies[(int) (latencies.length * 0.95)] / 1e6, latencies[latencies.length - 1] / 1e6);
    System.out.printf(Locale.ROOT, "CPU                  this JVM %,.0f ms (%.1f ms per undo), mock server %,.0f ms (%.1f ms per undo); "
        + "load average %.1f before, %.1f after%n", clientCpu / 1e6, clientCpu / 1e6 / targets.size(), serverCpu / 1e6,
        serverCpu / 1e6 / targets.size(), loadBefore, loadAfter);
    System.out.printf(Locale.ROOT, "API requests         %d in all, %.2f per Deployment: %s%n", counts.total,
        (double) counts.total / targets.size(), counts.detail);
    System.out.printf(Locale.ROOT, "heap before          %,10.1f MiB in use after System.gc()%n", h.baseline / 1048576.0);
    System.out.printf(Locale.ROOT, "heap peak in use     %,10.1f MiB (sampled %,.1f, before a GC %,.1f; %d GCs during the pass)%n",
        Math.max(h.peakSampled, h.peakBeforeGc) / 1048576.0, h.peakSampled / 1048576.0, h.peakBeforeGc / 1048576.0, h.collections);
    System.out.printf(Locale.ROOT, "heap live after GC   %,10.1f MiB at most (%s)%n", h.maxAfterGc / 1048576.0,
        h.collections == 0 ? "no GC ran during the pass" : "largest after-GC size during the pass");
  }

  private static void compareWithKubectl(KubernetesClient client, Counter counter, Path home, String url, int warmups, int runs)
      throws Exception {
    Optional<Path> kubectl = findOnPath("kubectl");
    System.out.printf(Locale.ROOT, "%n== one undo: library in-process against kubectl rollout undo, %d warm-up + %d measured each, alternating ==%n",
        warmups, runs);
    List<Path> binaries = new ArrayList<>();
    if (kubectl.isEmpty()) {
      System.out.println("kubectl is not on the PATH: only the library is measured");
    } else {
      binaries.add(kubectl.get());
      Path real = kubectl.get().toRealPath();
      Path release = real.resolveSibling("kubectl.1.32");
      if (!real.equals(kubectl.get()) && Files.isExecutable(release)) {
        binaries.add(release);
      }
    }
    Path kubeconfig = home.resolve("kubeconfig");
    Files.writeString(kubeconfig, String.join("\n", "apiVersion: v1", "kind: Config", "clusters:", "- name: mock", "  cluster:",
        "    server: " + url, "contexts:", "- name: mock", "  context:", "    cluster: mock", "    user: mock", "current-context: mock",
        "users:", "- name: mock", "  user:", "    token: not-a-secret", ""), StandardCharsets.UTF_8);
    int total = warmups + runs;
    List<Target> targets = populate(client, "one-", total * (1 + binaries.size()), 1, 4);
    String ns = targets.get(0).namespace;
    List<List<Long>> times = new ArrayList<>();
    List<String> requests = new ArrayList<>();
    for (int b = 0; b <= binaries.size(); b++) {
      times.add(new ArrayList<>());
      requests.add("");
    }
    int next = 0;
    for (int i = 0; i < total; i++) {
      for (int b = 0; b <= binaries.size(); b++) {
        Target t = targets.get(next++);
        counter.reset();
        long s = System.nanoTime();
        if (b == 0) {
          libraryUndo(client, t.namespace, t.name);
        } else {
          CommandResult r = CommandLine.of(binaries.get(b - 1).toString(), "--kubeconfig=" + kubeconfig, "--cache-dir=" + home.resolve("cache"),
                  "-n", ns, "rollout", "undo", "deployment/" + t.name)
              .env("HOME", home.toString())
              .timeout(KUBECTL_TIMEOUT)
              .run();
          if (!r.succeeded() || !r.output().contains("rolled back")) {
            throw new IllegalStateException(r.summary());
          }
        }
        long took = System.nanoTime() - s;
        Counter.Counts c = counter.read();
        requests.set(b, c.total + " (" + c.detail + ")");
        if (i >= warmups) {
          times.get(b).add(took);
        }
        verify(client, List.of(t));
      }
    }
    double library = median(times.get(0));
    System.out.printf(Locale.ROOT, "load average now %.1f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.printf(Locale.ROOT, "%-44s %10s %10s %10s %10s  %s%n", "what", "median ms", "min ms", "max ms", "ratio", "requests (last run)");
    print("library undo (in-process, warm)", times.get(0), library, requests.get(0));
    for (int b = 1; b <= binaries.size(); b++) {
      Path bin = binaries.get(b - 1);
      String what = "kubectl rollout undo (" + bin + (b == 1 && binaries.size() > 1 ? ", dispatcher" : "") + ")";
      print(what, times.get(b), library, requests.get(b));
    }
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
  }

  private static void print(String what, List<Long> nanos, double libraryMedian, String requests) {
    double median = median(nanos);
    System.out.printf(Locale.ROOT, "%-44s %10.2f %10.2f %10.2f %10.1f  %s%n", what, median / 1e6, Collections.min(nanos) / 1e6,
        Collections.max(nanos) / 1e6, median / libraryMedian, requests);
  }

  private static double median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }

  /** Every Deployment must now run revision 2's image. */
  private static void verify(KubernetesClient client, List<Target> targets) {
    for (Target t : targets) {
      Deployment d = client.apps().deployments().inNamespace(t.namespace).withName(t.name).get();
      String image = d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
      if (!BenchObjects.image(2).equals(image) || d.getSpec().getTemplate().getMetadata().getLabels().containsKey("pod-template-hash")) {
        throw new IllegalStateException(t.namespace + "/" + t.name + " was not rolled back to revision 2: " + image);
      }
    }
  }

  private static List<Target> populate(KubernetesClient client, String prefix, int deployments, int namespaces, int threads)
      throws Exception {
    List<Target> targets = new ArrayList<>();
    for (int n = 0; n < namespaces; n++) {
      BenchObjects.namespace(client, prefix + String.format(Locale.ROOT, "ns%02d", n));
    }
    for (int i = 0; i < deployments; i++) {
      targets.add(new Target(prefix + String.format(Locale.ROOT, "ns%02d", i % namespaces), String.format(Locale.ROOT, "svc-%03d", i)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Target t : targets) {
        futures.add(pool.submit(() -> BenchObjects.create(client, t.namespace, t.name)));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    return targets;
  }

  private static Process startServer() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"), MockApiServer.class.getName())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  private static int readPort(Process server) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("PORT ")) {
        return Integer.parseInt(line.substring(5).trim());
      }
    }
    throw new IllegalStateException("the mock server exited before it printed its port");
  }

  private static Optional<Path> findOnPath(String program) {
    String path = System.getenv("PATH");
    return path == null ? Optional.empty()
        : Arrays.stream(path.split(java.io.File.pathSeparator)).filter(d -> !d.isBlank()).map(d -> Path.of(d, program))
            .filter(Files::isExecutable).findFirst();
  }

  private record Target(String namespace, String name) {}

  /** Reads and resets the server's request counts, with requests the server does not count. */
  private static final class Counter {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String url;

    Counter(String url) {
      this.url = url;
    }

    void reset() throws IOException, InterruptedException {
      http.send(HttpRequest.newBuilder(URI.create(url + "/_bench/reset")).build(), HttpResponse.BodyHandlers.discarding());
    }

    Counts read() throws IOException, InterruptedException {
      String body = http.send(HttpRequest.newBuilder(URI.create(url + "/_bench/requests")).build(), HttpResponse.BodyHandlers.ofString())
          .body();
      int space = body.indexOf(' ');
      return new Counts(Long.parseLong(space < 0 ? body : body.substring(0, space)), space < 0 ? "" : body.substring(space + 1));
    }

    record Counts(long total, String detail) {}
  }

  /**
   * Heap in use during a phase: sampled every millisecond, plus what each collection found before
   * and left after it (GC notifications), so a peak between two samples is not missed.
   */
  private static final class HeapWatch {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peakSampled = new AtomicLong();
    private final AtomicLong peakBeforeGc = new AtomicLong();
    private final AtomicLong maxAfterGc = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();
    private final long baseline;
    private final List<Runnable> unsubscribe = new ArrayList<>();
    private volatile boolean running = true;
    private final Thread sampler;

    private HeapWatch() {
      baseline = memory.getHeapMemoryUsage().getUsed();
      NotificationListener listener = (notification, handback) -> {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
          return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long before = info.getGcInfo().getMemoryUsageBeforeGc().values().stream().mapToLong(MemoryUsage::getUsed).sum();
        long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream().mapToLong(MemoryUsage::getUsed).sum();
        peakBeforeGc.accumulateAndGet(before, Math::max);
        maxAfterGc.accumulateAndGet(after, Math::max);
        collections.incrementAndGet();
      };
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof NotificationEmitter emitter) {
          emitter.addNotificationListener(listener, null, null);
          unsubscribe.add(() -> {
            try {
              emitter.removeNotificationListener(listener);
            } catch (javax.management.ListenerNotFoundException e) {
              // already gone
            }
          });
        }
      }
      sampler = new Thread(() -> {
        while (running) {
          peakSampled.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
          try {
            Thread.sleep(1);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-sampler");
      sampler.setDaemon(true);
      sampler.start();
    }

    static HeapWatch start() {
      return new HeapWatch();
    }

    Figures stop() throws InterruptedException {
      peakSampled.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
      running = false;
      sampler.join();
      // GC notifications arrive asynchronously; give the last one a moment.
      Thread.sleep(50);
      unsubscribe.forEach(Runnable::run);
      return new Figures(baseline, peakSampled.get(), peakBeforeGc.get(), maxAfterGc.get(), collections.get());
    }

    record Figures(long baseline, long peakSampled, long peakBeforeGc, long maxAfterGc, long collections) {}
  }
}
