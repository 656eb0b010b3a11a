package dev.rollback.k8s;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackInProgressException;
import dev.rollback.core.lock.LockHolder;
import dev.rollback.core.lock.LockLease;
import dev.rollback.core.lock.RollbackLock;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RollbackLock} on a {@code coordination.k8s.io/v1} Lease per service, so that runs on any
 * machine that talks to the cluster exclude each other.
 *
 * <pre>{@code
 * RollbackLock lock = KubernetesLeaseLock.create(client, "rollback-system", Clock.systemUTC());
 * RollbackRunner runner = RollbackRunner.builder().lock(lock).build();
 * }</pre>
 *
 * <p>The Lease {@code rollback-<service>} holds the run id as {@code holderIdentity}, {@code
 * acquireTime}, {@code renewTime}, {@code leaseDurationSeconds} (the TTL, rounded up to whole
 * seconds) and {@code leaseTransitions} (counted up whenever the holder changes), and annotations
 * naming the service, the run, its owner and a token for this acquisition. A lease ends at {@code
 * renewTime + leaseDurationSeconds} on this lock's clock; after that another run takes it over.
 * Releasing clears {@code holderIdentity}. Every write is an update at the resourceVersion read
 * just before; a conflict (HTTP 409) means someone else wrote meanwhile, so the Lease is read again
 * and the decision made again.
 *
 * <p>fabric8's {@code LeaderElector} is not used: it is single-use, runs its own timer threads on
 * the wall clock, and its release leaves {@code holderIdentity} set, so "holder set" would not mean
 * "held".
 *
 * <p>RBAC: {@code get}, {@code create}, {@code update} on {@code leases} ({@code
 * coordination.k8s.io}) in the lock's namespace.
 *
 * @since 0.1.0
 */
public final class KubernetesLeaseLock implements RollbackLock {
  /** Annotation with the service the Lease locks (its name may be shortened or sanitised). */
  public static final String SERVICE_ANNOTATION = "rollback.dev/service";
  /** Annotation with the holding run's id. */
  public static final String RUN_ANNOTATION = "rollback.dev/run-id";
  /** Annotation with who started the holding run. */
  public static final String OWNER_ANNOTATION = "rollback.dev/owner";
  /** Annotation with a token naming one acquisition, so a lease can tell it still holds the lock. */
  public static final String TOKEN_ANNOTATION = "rollback.dev/lease-token";

  private static final int MAX_CONFLICTS = 10;

  private final KubernetesClient client;
  private final String namespace;
  private final Clock clock;

  private KubernetesLeaseLock(KubernetesClient client, String namespace, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.clock = clock;
  }

  /**
   * @param client the client
   * @param namespace where the Leases live (the service's namespace, or a shared one such as {@code
   *     rollback-system})
   * @param clock the clock leases are measured on (the run's clock)
   * @return the lock
   * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} naming a bad argument
   */
  public static KubernetesLeaseLock create(KubernetesClient client, String namespace, Clock clock) {
    java.util.List<String> problems = new java.util.ArrayList<>();
    if (client == null) {
      problems.add("client must not be null: pass a KubernetesClient");
    }
    if (namespace == null || !namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
      problems.add("namespace must be a DNS label, but was " + (namespace == null ? "null" : "'" + namespace + "'") + ": pass e.g. \"prod\"");
    }
    if (clock == null) {
      problems.add("clock must not be null: pass the runner's clock, e.g. Clock.systemUTC()");
    }
    if (!problems.isEmpty()) {
      throw RollbackException.invalid("invalid Kubernetes lease lock", problems);
    }
    return new KubernetesLeaseLock(client, namespace, clock);
  }

  /**
   * @param service a service name
   * @return the name of its Lease: {@code rollback-<service>}, lower-cased; a name that had to be
   *     changed to be valid gets a hash of the original appended so that two services never share one
   */
  public static String leaseName(String service) {
    String lower = service.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    String name = "rollback-" + lower;
    if (!lower.equals(service) || name.length() > 200) {
      name = name.substring(0, Math.min(name.length(), 200)).replaceAll("[-.]+$", "") + "-" + hash(service);
    }
    return name;
  }

  @Override
  public LockLease acquire(String service, String runId, String owner, Duration ttl) {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(owner, "owner");
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "lock ttl must be positive, but was " + ttl + ": give e.g. Duration.ofMinutes(2)");
    }
    int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (ttl.toMillis() + 999) / 1000));
    String token = UUID.randomUUID().toString();
    for (int attempt = 1; attempt <= MAX_CONFLICTS; attempt++) {
      Lease current = read(service);
      ZonedDateTime now = now();
      if (current == null) {
        Lease fresh = new LeaseBuilder().withNewMetadata().withName(leaseName(service)).withNamespace(namespace)
            .withAnnotations(annotations(service, runId, owner, token)).endMetadata()
            .withNewSpec().withHolderIdentity(runId).withAcquireTime(now).withRenewTime(now).withLeaseDurationSeconds(seconds)
            .withLeaseTransitions(0).endSpec().build();
        try {
          return new HeldLease(service, token, holderOf(service, client.leases().inNamespace(namespace).resource(fresh).create()));
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409) {
            throw failure("create the lease of '" + service + "'", e);
          }
          continue;
        }
      }
      LockHolder held = holderOf(service, current);
      if (held != null && !held.expiredAt(now.toInstant()) && !held.runId().equals(runId)) {
        throw new RollbackInProgressException(service, held.runId(), held.owner(), held.acquiredAt(), held.expiresAt());
      }
      LeaseSpec old = current.getSpec() == null ? new LeaseSpec() : current.getSpec();
      int transitions = (old.getLeaseTransitions() == null ? 0 : old.getLeaseTransitions())
          + (runId.equals(old.getHolderIdentity()) ? 0 : 1);
      Lease next = new LeaseBuilder(current).editMetadata().addToAnnotations(annotations(service, runId, owner, token)).endMetadata()
          .withNewSpec().withHolderIdentity(runId).withAcquireTime(now).withRenewTime(now).withLeaseDurationSeconds(seconds)
          .withLeaseTransitions(transitions).endSpec().build();
      try {
        return new HeldLease(service, token, holderOf(service, client.leases().inNamespace(namespace).resource(next).update()));
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw failure("take over the lease of '" + service + "'", e);
        }
      }
    }
    throw new RollbackException(ErrorCode.LOCK_FAILURE, "the lease " + namespace + "/" + leaseName(service) + " of '" + service
        + "' changed under every one of " + MAX_CONFLICTS + " attempts to take it; another process writes it constantly");
  }

  @Override
  public Optional<LockHolder> holder(String service) {
    Objects.requireNonNull(service, "service");
    Lease l = read(service);
    return l == null ? Optional.empty() : Optional.ofNullable(holderOf(service, l));
  }

  private @Nullable Lease read(String service) {
    try {
      return resource(service).get();
    } catch (KubernetesClientException e) {
      throw failure("read the lease of '" + service + "'", e);
    }
  }

  private Resource<Lease> resource(String service) {
    return client.leases().inNamespace(namespace).withName(leaseName(service));
  }

  private ZonedDateTime now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS).atZone(ZoneOffset.UTC);
  }

  private static @Nullable LockHolder holderOf(String service, Lease lease) {
    LeaseSpec s = lease.getSpec();
    if (s == null || s.getHolderIdentity() == null || s.getHolderIdentity().isEmpty()) {
      return null;
    }
    Map<String, String> a = lease.getMetadata().getAnnotations() == null ? Map.of() : lease.getMetadata().getAnnotations();
    Instant renewed = s.getRenewTime() != null ? s.getRenewTime().toInstant()
        : s.getAcquireTime() != null ? s.getAcquireTime().toInstant() : Instant.EPOCH;
    Instant acquired = s.getAcquireTime() != null ? s.getAcquireTime().toInstant() : renewed;
    int seconds = s.getLeaseDurationSeconds() == null ? 0 : s.getLeaseDurationSeconds();
    String runId = a.getOrDefault(RUN_ANNOTATION, s.getHolderIdentity());
    return new LockHolder(service, runId, a.getOrDefault(OWNER_ANNOTATION, "unknown (holderIdentity " + s.getHolderIdentity() + ")"),
        acquired, renewed.plusSeconds(seconds));
  }

  private static Map<String, String> annotations(String service, String runId, String owner, String token) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put(SERVICE_ANNOTATION, service);
    a.put(RUN_ANNOTATION, runId);
    a.put(OWNER_ANNOTATION, owner);
    a.put(TOKEN_ANNOTATION, token);
    return a;
  }

  private RollbackException failure(String what, KubernetesClientException e) {
    return new RollbackException(ErrorCode.LOCK_FAILURE, "cannot " + what + " in namespace " + namespace + " (HTTP " + e.getCode() + ": "
        + e.getMessage() + "); check that the client may get, create and update leases.coordination.k8s.io there", e);
  }

  private static String hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "KubernetesLeaseLock[" + namespace + "]";
  }

  private final class HeldLease implements LockLease {
    private final String service;
    private final String token;
    private volatile LockHolder holder;
    private volatile boolean closed;

    HeldLease(String service, String token, @Nullable LockHolder holder) {
      this.service = service;
      this.token = token;
      this.holder = Objects.requireNonNull(holder, "the lease was written without a holder");
    }

    @Override
    public LockHolder holder() {
      return holder;
    }

    @Override
    public synchronized void renew() {
      for (int attempt = 1; attempt <= MAX_CONFLICTS; attempt++) {
        Lease current = read(service);
        if (closed || current == null || !mine(current)) {
          LockHolder now = current == null ? null : holderOf(service, current);
          throw new RollbackException(ErrorCode.LOCK_FAILURE, "lock of '" + service + "' for run " + holder.runId() + " was lost"
              + (closed ? " (the lease was closed)" : now == null ? "" : "; now held by run " + now.runId() + " of " + now.owner()));
        }
        Lease next = new LeaseBuilder(current).editSpec().withRenewTime(now()).endSpec().build();
        try {
          holder = Objects.requireNonNull(holderOf(service, client.leases().inNamespace(namespace).resource(next).update()));
          return;
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409) {
            throw failure("renew the lease of '" + service + "'", e);
          }
        }
      }
      throw new RollbackException(ErrorCode.LOCK_FAILURE, "the lease of '" + service + "' changed under every one of " + MAX_CONFLICTS
          + " attempts to renew it");
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      for (int attempt = 1; attempt <= MAX_CONFLICTS; attempt++) {
        Lease current = read(service);
        if (current == null || !mine(current)) {
          closed = true;
          return;
        }
        Lease next = new LeaseBuilder(current).editMetadata().removeFromAnnotations(RUN_ANNOTATION).removeFromAnnotations(OWNER_ANNOTATION)
            .removeFromAnnotations(TOKEN_ANNOTATION).endMetadata().editSpec().withHolderIdentity(null).endSpec().build();
        try {
          client.leases().inNamespace(namespace).resource(next).update();
          closed = true;
          return;
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409) {
            throw failure("release the lease of '" + service + "'", e);
          }
        }
      }
      throw new RollbackException(ErrorCode.LOCK_FAILURE, "the lease of '" + service + "' changed under every one of " + MAX_CONFLICTS
          + " attempts to release it; it ends by itself at " + holder.expiresAt());
    }

    private boolean mine(Lease lease) {
      Map<String, String> a = lease.getMetadata().getAnnotations();
      return a != null && token.equals(a.get(TOKEN_ANNOTATION)) && lease.getSpec() != null
          && holder.runId().equals(lease.getSpec().getHolderIdentity());
    }
  }
}
