package dev.rollback.testkit.k8s;

import java.util.List;
import java.util.Objects;

/**
 * How the pods of a failing image fail in a {@link SimulatedDeploymentController}: what their
 * container state says, which events the kubelet would record, and what their log holds.
 *
 * <pre>{@code
 * sim.failImage("registry.example.com/checkout:v1.3.0",
 *     PodFailure.crashLoop("Exception in thread \"main\" java.lang.IllegalStateException: no DB_URL"));
 * }</pre>
 *
 * @param kind the kind of failure
 * @param logLines the lines the failing container writes before it dies (none for image pulls)
 * @since 0.1.0
 */
public record PodFailure(Kind kind, List<String> logLines) {

  /** The failures a real cluster shows most. */
  public enum Kind {
    /** The container starts, exits 1 and is restarted with back-off: {@code CrashLoopBackOff}. */
    CRASH_LOOP_BACK_OFF,
    /** The image cannot be pulled: {@code ImagePullBackOff}, the container never starts. */
    IMAGE_PULL_BACK_OFF,
    /** The container is killed for memory (exit code 137, {@code OOMKilled}) and restarted with back-off. */
    OOM_KILLED,
    /** The container runs but never passes its readiness probe: pods stay unready with no error. */
    NEVER_READY
  }

  /** Checks and copies the components. */
  public PodFailure {
    Objects.requireNonNull(kind, "kind must not be null: e.g. PodFailure.Kind.CRASH_LOOP_BACK_OFF");
    logLines = List.copyOf(logLines);
  }

  /**
   * @param logLines what the container logs before it exits 1
   * @return a crash loop
   */
  public static PodFailure crashLoop(String... logLines) {
    return new PodFailure(Kind.CRASH_LOOP_BACK_OFF, List.of(logLines));
  }

  /** @return an image that cannot be pulled */
  public static PodFailure imagePullBackOff() {
    return new PodFailure(Kind.IMAGE_PULL_BACK_OFF, List.of());
  }

  /**
   * @param logLines what the container logs before it is killed
   * @return a container killed for memory, again and again
   */
  public static PodFailure oomKilled(String... logLines) {
    return new PodFailure(Kind.OOM_KILLED, List.of(logLines));
  }

  /** @return pods that run but never become ready (a stalled rollout) */
  public static PodFailure neverReady() {
    return new PodFailure(Kind.NEVER_READY, List.of());
  }
}
