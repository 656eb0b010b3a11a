package dev.rollback.k8s;

import java.util.Map;
import java.util.Objects;

/**
 * What {@link KubernetesRollback#undo} did.
 *
 * @param workload {@code deployment/checkout} in namespace terms: kind, slash, name
 * @param namespace the namespace
 * @param fromRevision the revision running before (0 when unknown)
 * @param toRevision the revision restored (0 when rolled back by image)
 * @param changed false when nothing was patched (the target already ran)
 * @param method {@code revision} (template restored from history) or {@code image} (container
 *     images set, because the revision was gone)
 * @param images container name to image after the undo
 * @param lastAppliedConfigurationStale true when the workload carries a {@code
 *     kubectl.kubernetes.io/last-applied-configuration} that still describes the newer spec
 * @param resumed true when a paused Deployment was resumed as part of the undo
 * @param message one line for people, kubectl style
 * @since 0.1.0
 */
public record UndoResult(
    String workload, String namespace, long fromRevision, long toRevision, boolean changed, String method,
    Map<String, String> images, boolean lastAppliedConfigurationStale, boolean resumed, String message) {

  /** Rolled back by restoring a revision's template. */
  public static final String BY_REVISION = "revision";
  /** Rolled back by setting container images. */
  public static final String BY_IMAGE = "image";

  /** Checks and copies the components. */
  public UndoResult {
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(message, "message");
    images = Map.copyOf(images);
  }
}
