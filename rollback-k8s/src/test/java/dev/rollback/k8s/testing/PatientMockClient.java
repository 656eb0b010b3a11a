package dev.rollback.k8s.testing;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.function.Consumer;

/**
 * Configures the mock server's client for a busy build machine: long request and connection
 * timeouts and no retries. With the defaults, a create that the server performed but answered late
 * is retried and then fails with 409 "already exists".
 *
 * <pre>{@code
 * @EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = PatientMockClient.class)
 * }</pre>
 */
public final class PatientMockClient implements Consumer<KubernetesClientBuilder> {

  /** Called by the mock server extension. */
  public PatientMockClient() {}

  @Override
  public void accept(KubernetesClientBuilder builder) {
    builder.editOrNewConfig().withRequestTimeout(120_000).withConnectionTimeout(60_000).withRequestRetryBackoffLimit(0).endConfig();
  }
}
