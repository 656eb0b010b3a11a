package dev.rollback.k8s;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Why a pod is or is not serving, as an incident report needs it: its phase and readiness, the
 * reason its failing container gives ({@code CrashLoopBackOff}, {@code ImagePullBackOff}, ...),
 * how it last terminated ({@code OOMKilled}, exit code), restarts, recent events and the tail of
 * its log.
 *
 * @param pod the pod's name
 * @param phase the pod's phase ({@code Pending}, {@code Running}, ...)
 * @param ready whether the pod is ready
 * @param container the first container that is not ready, or empty when all are
 * @param reason the waiting or terminated reason of that container, if any
 * @param message the message that came with the reason, if any
 * @param lastTermination how that container last terminated (e.g. {@code OOMKilled (exit 137)}), if it did
 * @param restarts restarts of all containers of the pod
 * @param events recent events of the pod, oldest first ({@code Warning BackOff: Back-off restarting ...})
 * @param logTail the last lines of that container's log (of its previous run after a crash)
 * @since 0.1.0
 */
public record PodDiagnosis(
    String pod, String phase, boolean ready, String container, @Nullable String reason, @Nullable String message,
    @Nullable String lastTermination, int restarts, List<String> events, List<String> logTail) {

  /** Checks and copies the components. */
  public PodDiagnosis {
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(container, "container");
    events = List.copyOf(events);
    logTail = List.copyOf(logTail);
  }

  /** @return one line, e.g. {@code checkout-7d9f-x2k not ready: CrashLoopBackOff, last OOMKilled (exit 137), 4 restarts} */
  public String summary() {
    if (ready) {
      return pod + " ready (" + phase + ", " + restarts + " restarts)";
    }
    StringBuilder sb = new StringBuilder(pod).append(" not ready: ").append(reason == null ? phase : reason);
    if (lastTermination != null) {
      sb.append(", last ").append(lastTermination);
    }
    return sb.append(", ").append(restarts).append(restarts == 1 ? " restart" : " restarts").toString();
  }

  /**
   * @return the diagnosis as report facts, keys prefixed with {@code pod.<name>.}: {@code reason},
   *     {@code restarts}, {@code lastTermination}, {@code events}, {@code log}
   */
  public Map<String, String> facts() {
    String p = "pod." + pod + ".";
    Map<String, String> f = new LinkedHashMap<>();
    f.put(p + "phase", phase);
    f.put(p + "ready", String.valueOf(ready));
    if (!container.isEmpty()) {
      f.put(p + "container", container);
    }
    if (reason != null) {
      f.put(p + "reason", reason);
    }
    if (message != null) {
      f.put(p + "message", message);
    }
    if (lastTermination != null) {
      f.put(p + "lastTermination", lastTermination);
    }
    f.put(p + "restarts", String.valueOf(restarts));
    if (!events.isEmpty()) {
      f.put(p + "events", String.join("\n", events));
    }
    if (!logTail.isEmpty()) {
      f.put(p + "log", String.join("\n", logTail));
    }
    return f;
  }
}
