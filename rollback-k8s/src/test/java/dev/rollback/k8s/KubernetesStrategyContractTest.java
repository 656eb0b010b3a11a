package dev.rollback.k8s;

import dev.rollback.core.RollbackRunner;
import dev.rollback.core.strategy.RollbackStrategy;
import dev.rollback.testkit.FakeRollbackLock;
import dev.rollback.testkit.ManualClock;
import dev.rollback.testkit.RecordingJournal;
import dev.rollback.testkit.k8s.PodFailure;
import dev.rollback.testkit.k8s.SimulatedDeploymentController;
import dev.rollback.testkit.strategy.RollbackStrategyContract;
import dev.rollback.testkit.strategy.StrategyFixture;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * The {@code kubernetes} strategy passes the strategy compatibility kit: a Deployment released as
 * v1.0.0, v1.1.0, v1.2.0 (revisions 1–3) on fabric8's CRUD mock server, with the testkit's simulated
 * deployment controller moving pods and status as the run's manual clock advances.
 *
 * <p>The strategy is built with {@code rollbackByImage(false)}: a removed revision must be refused
 * as the contract asks, not replaced by setting the image tag (that fallback has its own tests in
 * {@link RollbackByImageTest}).
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesStrategyContractTest extends RollbackStrategyContract {
  static {
    Workloads.quietMockServer();
  }

  KubernetesClient client;
  KubernetesMockServer server;

  @Override
  protected StrategyFixture createFixture() {
    return new DeploymentFixture(client, server);
  }

  /** A Deployment {@code checkout} with 2 replicas and its simulated controller. */
  static final class DeploymentFixture implements StrategyFixture {
    private static final String NAME = "checkout";
    private final KubernetesClient client;
    private final ManualClock clock = ManualClock.create();
    private final SimulatedDeploymentController sim;
    private final List<String> released = new ArrayList<>();

    DeploymentFixture(KubernetesClient client, KubernetesMockServer server) {
      this.client = client;
      this.sim = SimulatedDeploymentController.builder(client).clock(clock).watch(false)
          .logSink(Workloads.logsOn(server)).build();
    }

    /**
     * Creates the Deployment at the first version and rolls it through the others. The mock server
     * stamps {@code creationTimestamp} from the wall clock, in whole seconds, so each release waits
     * for the next wall-clock second: history entries then carry distinct creation times, as in a
     * cluster.
     */
    @Override
    public void release(List<String> versions) throws InterruptedException {
      released.addAll(versions);
      Workloads.deployedThrough(client, sim, NAME, 2, versions.get(0));
      for (String v : versions.subList(1, versions.size())) {
        long second = System.currentTimeMillis() / 1000;
        while (System.currentTimeMillis() / 1000 == second) {
          Thread.sleep(20);
        }
        Workloads.setVersion(client, NAME, v);
        if (!sim.settle()) {
          throw new IllegalStateException("the rollout of " + NAME + " to " + v + " did not settle");
        }
      }
    }

    @Override
    public RollbackStrategy strategy() {
      return KubernetesRollback.deployment(NAME).client(client).rollbackByImage(false)
          .pollInterval(Duration.ofSeconds(1)).resyncInterval(Duration.ofSeconds(1)).build();
    }

    /** The runner moves the simulation whenever the run sleeps. */
    @Override
    public RollbackRunner.Builder runner() {
      return RollbackRunner.builder()
          .clock(clock)
          .sleeper(sim.sleeper(clock))
          .lock(new FakeRollbackLock(clock))
          .journal(new RecordingJournal())
          .owner("rollback-k8s-contract");
    }

    /** The image tag of every pod, read from the pods themselves. */
    @Override
    public List<String> runningVersions() {
      List<String> versions = new ArrayList<>();
      for (Pod p : client.pods().list().getItems()) {
        String image = p.getSpec().getContainers().get(0).getImage();
        versions.add(image.substring(image.lastIndexOf(':') + 1));
      }
      if (versions.isEmpty()) {
        versions.add("<no pods>");
      }
      return versions;
    }

    /** The Deployment's spec and annotations, and every ReplicaSet's revision and replicas. */
    @Override
    public Object snapshot() {
      TreeMap<String, String> state = new TreeMap<>();
      Deployment d = client.apps().deployments().withName(NAME).get();
      state.put("deployment.spec", client.getKubernetesSerialization().asJson(d.getSpec()));
      state.put("deployment.annotations", String.valueOf(new TreeMap<>(d.getMetadata().getAnnotations())));
      client.apps().replicaSets().list().getItems().stream()
          .sorted(Comparator.comparing(rs -> rs.getMetadata().getName()))
          .forEach((ReplicaSet rs) -> state.put("rs." + rs.getMetadata().getName(),
              rs.getMetadata().getAnnotations().get(SimulatedDeploymentController.REVISION) + "/" + rs.getSpec().getReplicas()));
      return state;
    }

    /** Every earlier release's image crash-loops, with a line in its log that the diagnosis must carry. */
    @Override
    public String failNextRollout() {
      String line = "FATAL: schema version 42 is newer than this build understands";
      for (String v : released) {
        sim.failImage(Workloads.image(v), PodFailure.crashLoop("starting checkout", line));
      }
      return "CrashLoopBackOff";
    }

    /** Deletes the release's ReplicaSet, as {@code revisionHistoryLimit} would. */
    @Override
    public void remove(String version) {
      for (ReplicaSet rs : client.apps().replicaSets().list().getItems()) {
        if (rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage().equals(Workloads.image(version))) {
          client.apps().replicaSets().resource(rs).delete();
        }
      }
    }

    @Override
    public Duration notConvergingWait() {
      return Duration.ofSeconds(20);
    }

    @Override
    public void close() {
      sim.close();
    }
  }
}
