package dev.rollback.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollback.core.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS verification of the HTTP health check against a real local HTTPS server whose self-signed
 * certificates are made by the JDK's {@code keytool} in the test.
 */
class HttpHealthCheckTlsTest {
  private static final String PASSWORD = "changeit";

  @TempDir
  static Path dir;

  private static HealthTestServer matching;
  private static HealthTestServer otherName;
  private static Path matchingPem;
  private static Path otherNamePem;
  private static Path trustStore;

  @BeforeAll
  static void startServers() throws Exception {
    Path matchingKeys = keyPair("matching", "CN=localhost", "san=ip:127.0.0.1,dns:localhost");
    Path otherKeys = keyPair("other", "CN=api.example.com", "san=dns:api.example.com");
    matchingPem = exportCertificate(matchingKeys, "matching");
    otherNamePem = exportCertificate(otherKeys, "other");
    trustStore = dir.resolve("trust.p12");
    keytool("-importcert", "-noprompt", "-alias", "server", "-file", matchingPem.toString(), "-keystore", trustStore.toString(),
        "-storetype", "PKCS12", "-storepass", PASSWORD);
    matching = HealthTestServer.https(serverContext(matchingKeys)).answer("/health", 200, "application/json", "{\"status\":\"UP\"}");
    otherName = HealthTestServer.https(serverContext(otherKeys)).answer("/health", 200, "application/json", "{\"status\":\"UP\"}");
  }

  @AfterAll
  static void stopServers() {
    if (matching != null) {
      matching.close();
    }
    if (otherName != null) {
      otherName.close();
    }
  }

  @Test
  void aSelfSignedCertificateIsRejectedByDefaultWithATlsReason() throws Exception {
    HealthObservation o = HealthCheck.http(HttpCheck.custom(matching.uri("/health")).build()).check();

    assertThat(o.healthy()).isFalse();
    assertThat(o.status()).isZero();
    assertThat(o.reason()).startsWith("TLS: PKIX path building failed").contains("unable to find valid certification path")
        .doesNotContain("sun.security");
  }

  @Test
  void theSimpleFactoryVerifiesTlsToo() throws Exception {
    HealthObservation o = HealthCheck.http(matching.uri("/health")).check();

    assertThat(o.healthy()).isFalse();
    assertThat(o.reason()).startsWith("TLS: ");
  }

  @Test
  void theCertificateAsTrustAnchorMakesItHealthy() throws Exception {
    HealthObservation o = HealthCheck.http(HttpCheck.custom(matching.uri("/health")).trustCertificate(matchingPem)
        .jsonPointerEquals("/status", "UP").build()).check();

    assertThat(o.healthy()).as(o.reason()).isTrue();
    assertThat(o.reason()).matches("200 OK in \\d+ ms");
  }

  @Test
  void aTrustStoreWithTheCertificateMakesItHealthy() throws Exception {
    HealthObservation o = HealthCheck.http(HttpCheck.custom(matching.uri("/health")).trustStore(trustStore, Secret.of(PASSWORD))
        .build()).check();

    assertThat(o.healthy()).as(o.reason()).isTrue();
  }

  @Test
  void aTrustedCertificateForAnotherHostNameIsStillRejected() throws Exception {
    HealthObservation o = HealthCheck.http(HttpCheck.custom(otherName.uri("/health")).trustCertificate(otherNamePem).build()).check();

    assertThat(o.healthy()).isFalse();
    assertThat(o.reason()).startsWith("TLS: ").contains("127.0.0.1"); // "No subject alternative names matching IP address 127.0.0.1"
  }

  @Test
  void theInsecureOptionAcceptsAnyCertificateAndHostNameAndSaysSo() throws Exception {
    HttpCheck config = HttpCheck.custom(otherName.uri("/health")).insecureSkipTlsVerification().build();

    HealthObservation o = HealthCheck.http(config).check();

    assertThat(o.healthy()).as(o.reason()).isTrue();
    assertThat(config.insecureSkipTlsVerification()).isTrue();
    assertThat(config.toString()).contains("TLS VERIFICATION OFF");
  }

  @Test
  void aWrongTrustStorePasswordIsAConfigurationProblemThatDoesNotShowThePassword() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpCheck.custom(matching.uri("/health"))
        .trustStore(trustStore, Secret.of("wr0ng-pa55")).build())
        .isInstanceOfSatisfying(dev.rollback.core.RollbackException.class, e -> assertThat(e.getMessage())
            .contains("trustStore " + trustStore + " cannot be opened")
            .contains("check the file type (PKCS12 or JKS) and the password")
            .doesNotContain("wr0ng-pa55"));
  }

  // ---- certificates made with keytool ----

  private static Path keyPair(String name, String dname, String san) throws Exception {
    Path keys = dir.resolve(name + ".p12");
    keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", dname, "-ext", san,
        "-keystore", keys.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
    return keys;
  }

  private static Path exportCertificate(Path keys, String name) throws Exception {
    Path pem = dir.resolve(name + ".pem");
    keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keys.toString(), "-storepass", PASSWORD, "-file", pem.toString());
    return pem;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try (InputStream in = p.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("keytool did not finish within 60 s: " + command);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed with " + p.exitValue() + ": " + output);
    }
  }

  private static SSLContext serverContext(Path keys) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keys)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD.toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }
}
