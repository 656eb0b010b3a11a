package dev.rollback.core.internal;

import dev.rollback.core.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** TLS contexts for HTTP health checks: a given CA certificate, a trust store, or (loudly) none. */
public final class HttpHealthTls {
  private static final Logger log = LoggerFactory.getLogger(HttpHealthTls.class);

  private HttpHealthTls() {}

  /**
   * @param certificateFile a PEM or DER file with one or more certificates
   * @return a context trusting exactly those certificates
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public static SSLContext trusting(Path certificateFile) {
    if (!Files.isReadable(certificateFile)) {
      throw new IllegalArgumentException("trustCertificate " + certificateFile + " does not exist or cannot be read: give a PEM or DER certificate file");
    }
    try (InputStream in = Files.newInputStream(certificateFile)) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("trustCertificate " + certificateFile + " holds no certificate: give a PEM or DER certificate file");
      }
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        ks.setCertificateEntry("trusted-" + i++, c);
      }
      return context(ks);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("trustCertificate " + certificateFile + " cannot be read as an X.509 certificate (" + e.getMessage()
          + "): give a PEM or DER certificate file", e);
    }
  }

  /**
   * @param trustStoreFile a PKCS12 or JKS file
   * @param password its password
   * @return a context trusting the certificates in it
   * @throws IllegalArgumentException naming the file and what is wrong with it (never the password)
   */
  public static SSLContext trusting(Path trustStoreFile, Secret password) {
    if (!Files.isReadable(trustStoreFile)) {
      throw new IllegalArgumentException("trustStore " + trustStoreFile + " does not exist or cannot be read: give a PKCS12 or JKS file");
    }
    try {
      KeyStore ks = KeyStore.getInstance(trustStoreFile.toFile(), password.reveal().toCharArray());
      return context(ks);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("trustStore " + trustStoreFile + " cannot be opened (" + e.getClass().getSimpleName()
          + "): check the file type (PKCS12 or JKS) and the password", e);
    }
  }

  private static SSLContext context(KeyStore ks) throws GeneralSecurityException {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  /** @return a context that accepts every certificate and host name */
  public static SSLContext trustAll() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new TrustEverything()}, new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no TLS context: " + e.getMessage(), e);
    }
  }

  /**
   * Logs that a check skips TLS verification.
   *
   * @param check the check's name
   */
  public static void warnInsecure(String check) {
    log.warn("health check '{}' does NOT verify TLS certificates or host names (insecureSkipTlsVerification): use it only in test environments",
        check);
  }

  /**
   * Accepts every certificate. Being an extended trust manager, it also stops the JDK from checking
   * the host name, which is the point of the insecure option.
   */
  private static final class TrustEverything extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
