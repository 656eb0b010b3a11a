package dev.rollback.k8s;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One line of {@code kubectl rollout history}: a revision of a workload's pod template, read from
 * the ReplicaSet (Deployment) or ControllerRevision (StatefulSet, DaemonSet) that holds it.
 *
 * @param revision the revision number
 * @param source the ReplicaSet or ControllerRevision that holds it
 * @param version the application version it runs (the image tag of the version container)
 * @param images container name to image, in template order
 * @param changeCause the {@code kubernetes.io/change-cause} annotation, if any
 * @param createdAt when the ReplicaSet or ControllerRevision was created, if known
 * @param current whether the workload runs this revision's template now
 * @since 0.1.0
 */
public record WorkloadRevision(
    long revision, String source, String version, Map<String, String> images, @Nullable String changeCause,
    @Nullable Instant createdAt, boolean current) {

  /** Checks and copies the components. */
  public WorkloadRevision {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(version, "version");
    images = Map.copyOf(images);
  }

  /** @return the change cause, if recorded */
  public Optional<String> changeCauseText() {
    return Optional.ofNullable(changeCause);
  }

  /** @return a line like {@code 2  v1.2.9  kubectl set image deployment/checkout app=...:v1.2.9} */
  public String describe() {
    return revision + "  " + version + "  " + (changeCause == null ? "<none>" : changeCause) + (current ? "  (current)" : "");
  }
}
