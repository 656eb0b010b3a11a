package dev.rollback.k8s;

import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of workload {@link KubernetesRollback} rolls back, and where their history lives.
 *
 * @since 0.1.0
 */
public enum WorkloadKind {
  /** A Deployment: history in its owned ReplicaSets. */
  DEPLOYMENT("deployment", "Deployment"),
  /** A StatefulSet: history in its owned ControllerRevisions. */
  STATEFUL_SET("statefulset", "StatefulSet"),
  /** A DaemonSet: history in its owned ControllerRevisions. */
  DAEMON_SET("daemonset", "DaemonSet");

  private final String id;
  private final String kind;

  WorkloadKind(String id, String kind) {
    this.id = id;
    this.kind = kind;
  }

  /** @return the name kubectl uses, e.g. {@code deployment} */
  public String id() {
    return id;
  }

  /** @return the API kind, e.g. {@code Deployment} */
  public String kind() {
    return kind;
  }

  /**
   * @param text {@code deployment}, {@code statefulset}, {@code daemonset}, their plurals, kinds or
   *     the short names {@code deploy}, {@code sts}, {@code ds}; any case
   * @return the kind, if the text names one
   */
  public static Optional<WorkloadKind> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    switch (t) {
      case "deployment", "deployments", "deploy":
        return Optional.of(DEPLOYMENT);
      case "statefulset", "statefulsets", "sts":
        return Optional.of(STATEFUL_SET);
      case "daemonset", "daemonsets", "ds":
        return Optional.of(DAEMON_SET);
      default:
        return Optional.empty();
    }
  }
}
