package dev.rollback.core.health;

import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import dev.rollback.core.internal.HttpHealthTls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The immutable configuration of an HTTP health check: what to ask and what counts as healthy. Turn
 * it into a check with {@link HealthCheck#http(HttpCheck)}.
 *
 * <p>Defaults follow {@code curl -sf}: GET, any 2xx is healthy, redirects are not followed, TLS
 * certificates and host names are verified against the JDK's trust store, a 2 s connect and a 10 s
 * request timeout.
 *
 * <pre>{@code
 * HealthCheck auth = HealthCheck.http(HttpCheck.custom(URI.create("https://auth.example.com/health"))
 *     .header("Authorization", Secret.of("Bearer " + token))   // sent, never printed
 *     .expectStatus(200)
 *     .jsonPointerEquals("/status", "UP")
 *     .maxLatency(Duration.ofMillis(500))
 *     .trustCertificate(Path.of("/etc/ssl/internal-ca.pem"))
 *     .build());
 * }</pre>
 *
 * @since 0.1.0
 */
public final class HttpCheck {
  /** The HTTP methods a health check may use. */
  public enum Method {
    /** GET, the default. */
    GET,
    /** HEAD: status and headers only; body expectations are not allowed. */
    HEAD,
    /** POST, with an optional body. */
    POST
  }

  /** Headers the JDK HTTP client sets itself and refuses to take from callers. */
  private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade");

  private final URI uri;
  private final Method method;
  private final @Nullable String body;
  private final @Nullable String contentType;
  private final Map<String, Object> headers;
  private final List<int[]> expectedStatus;
  private final List<String> bodyContains;
  private final Map<String, String> jsonPointers;
  private final @Nullable Duration maxLatency;
  private final Duration timeout;
  private final Duration connectTimeout;
  private final boolean followRedirects;
  private final @Nullable Path trustCertificate;
  private final @Nullable Path trustStore;
  private final boolean insecure;
  private final @Nullable SSLContext sslContext;
  private final @Nullable String name;

  private HttpCheck(Builder b, @Nullable SSLContext sslContext) {
    this.uri = b.uri;
    this.method = b.method;
    this.body = b.body;
    this.contentType = b.contentType;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    this.expectedStatus = b.expectedStatus.isEmpty() ? List.of(new int[] {200, 299}) : List.copyOf(b.expectedStatus);
    this.bodyContains = List.copyOf(b.bodyContains);
    this.jsonPointers = Collections.unmodifiableMap(new LinkedHashMap<>(b.jsonPointers));
    this.maxLatency = b.maxLatency;
    this.timeout = b.timeout;
    this.connectTimeout = b.connectTimeout;
    this.followRedirects = b.followRedirects;
    this.trustCertificate = b.trustCertificate;
    this.trustStore = b.trustStore;
    this.insecure = b.insecure;
    this.sslContext = sslContext;
    this.name = b.name;
  }

  /**
   * Starts a configuration.
   *
   * @param uri the endpoint, an absolute http or https URI
   * @return a builder; problems are collected and reported at {@link Builder#build()}
   */
  public static Builder custom(URI uri) {
    return new Builder(uri);
  }

  /** @return the endpoint */
  public URI uri() {
    return uri;
  }

  /** @return the method */
  public Method method() {
    return method;
  }

  /** @return the request body of a POST, if any */
  public Optional<String> body() {
    return Optional.ofNullable(body);
  }

  /** @return the content type of the request body, if any */
  public Optional<String> contentType() {
    return Optional.ofNullable(contentType);
  }

  /**
   * @return the headers to send; each value is a {@link String} or a {@link Secret} (which renders
   *     redacted)
   */
  public Map<String, Object> headers() {
    return headers;
  }

  /**
   * @param status an HTTP status code
   * @return whether that status counts as healthy
   */
  public boolean statusExpected(int status) {
    for (int[] r : expectedStatus) {
      if (status >= r[0] && status <= r[1]) {
        return true;
      }
    }
    return false;
  }

  /** @return the expected statuses for people: {@code 2xx}, {@code 200, 204} or {@code 200-399} */
  public String expectedStatusText() {
    List<String> parts = new ArrayList<>();
    for (int[] r : expectedStatus) {
      if (r[0] == r[1]) {
        parts.add(String.valueOf(r[0]));
      } else if (r[0] % 100 == 0 && r[1] == r[0] + 99) {
        parts.add(r[0] / 100 + "xx");
      } else {
        parts.add(r[0] + "-" + r[1]);
      }
    }
    return String.join(", ", parts);
  }

  /** @return whether the expected status is the default, any 2xx */
  public boolean defaultStatusExpectation() {
    return expectedStatus.size() == 1 && expectedStatus.get(0)[0] == 200 && expectedStatus.get(0)[1] == 299;
  }

  /** @return texts the body must contain, in order of declaration */
  public List<String> bodyContains() {
    return bodyContains;
  }

  /** @return JSON pointers (RFC 6901) and the text their value must equal */
  public Map<String, String> jsonPointerEquals() {
    return jsonPointers;
  }

  /** @return the latency above which an otherwise good answer counts as unhealthy, if set */
  public Optional<Duration> maxLatency() {
    return Optional.ofNullable(maxLatency);
  }

  /** @return the per-request timeout, until the whole answer is read */
  public Duration timeout() {
    return timeout;
  }

  /** @return the connect timeout */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** @return whether redirects are followed (same protocol or to https only) */
  public boolean followRedirects() {
    return followRedirects;
  }

  /** @return the CA or server certificate file that is trusted instead of the JDK trust store, if set */
  public Optional<Path> trustCertificate() {
    return Optional.ofNullable(trustCertificate);
  }

  /** @return the trust store file, if set */
  public Optional<Path> trustStore() {
    return Optional.ofNullable(trustStore);
  }

  /** @return true when TLS certificates and host names are NOT verified */
  public boolean insecureSkipTlsVerification() {
    return insecure;
  }

  /**
   * @return the TLS context built from {@link #trustCertificate()}, {@link #trustStore()} or
   *     {@link #insecureSkipTlsVerification()}; empty for the JDK default
   */
  public Optional<SSLContext> sslContext() {
    return Optional.ofNullable(sslContext);
  }

  /** @return the check's name: the one given, or {@code METHOD uri} */
  public String name() {
    return name != null ? name : method + " " + uri;
  }

  /** @return the configuration for people; secret header values show as {@value Secret#REDACTED} */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("HttpCheck[").append(method).append(' ').append(uri);
    if (!headers.isEmpty()) {
      sb.append(", headers=").append(headers);
    }
    sb.append(", expect=").append(expectedStatusText());
    if (!bodyContains.isEmpty()) {
      sb.append(", bodyContains=").append(bodyContains);
    }
    if (!jsonPointers.isEmpty()) {
      sb.append(", jsonPointerEquals=").append(jsonPointers);
    }
    if (maxLatency != null) {
      sb.append(", maxLatency=").append(maxLatency);
    }
    sb.append(", timeout=").append(timeout).append(", connectTimeout=").append(connectTimeout);
    if (followRedirects) {
      sb.append(", followRedirects");
    }
    if (insecure) {
      sb.append(", TLS VERIFICATION OFF");
    } else if (trustCertificate != null) {
      sb.append(", trustCertificate=").append(trustCertificate);
    } else if (trustStore != null) {
      sb.append(", trustStore=").append(trustStore);
    }
    return sb.append(']').toString();
  }

  /** Builds an {@link HttpCheck}; every problem is collected and reported once by {@link #build()}. */
  public static final class Builder {
    private final URI uri;
    private Method method = Method.GET;
    private @Nullable String body;
    private @Nullable String contentType;
    private final Map<String, Object> headers = new LinkedHashMap<>();
    private final List<int[]> expectedStatus = new ArrayList<>();
    private final List<String> bodyContains = new ArrayList<>();
    private final Map<String, String> jsonPointers = new LinkedHashMap<>();
    private @Nullable Duration maxLatency;
    private Duration timeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(2);
    private boolean followRedirects;
    private @Nullable Path trustCertificate;
    private @Nullable Path trustStore;
    private @Nullable Secret trustStorePassword;
    private boolean insecure;
    private @Nullable String name;
    private final List<String> problems = new ArrayList<>();

    private Builder(URI uri) {
      this.uri = uri;
      if (uri == null || uri.getScheme() == null || uri.getHost() == null
          || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))) {
        problems.add("health check URI must be an absolute http(s) URI, but was " + uri + ": give e.g. https://api.example.com/health");
      }
    }

    /**
     * @param method GET (default), HEAD or POST
     * @return this builder
     */
    public Builder method(Method method) {
      if (method == null) {
        problems.add("method must not be null: pass GET, HEAD or POST");
      } else {
        this.method = method;
      }
      return this;
    }

    /**
     * Makes the check a POST with a body.
     *
     * @param contentType the body's content type, e.g. {@code application/json}
     * @param body the body
     * @return this builder
     */
    public Builder post(String contentType, String body) {
      if (contentType == null || contentType.isBlank()) {
        problems.add("post content type must not be blank, but was " + quote(contentType) + ": give e.g. application/json");
      }
      if (body == null) {
        problems.add("post body must not be null: use \"\" for an empty body");
      }
      this.method = Method.POST;
      this.contentType = contentType;
      this.body = body;
      return this;
    }

    /**
     * Sends a header with a plain value.
     *
     * @param name the header name
     * @param value the value; use {@link #header(String, Secret)} for tokens
     * @return this builder
     */
    public Builder header(String name, String value) {
      return putHeader(name, value, value == null ? null : value);
    }

    /**
     * Sends a header whose value is secret (an {@code Authorization} token, an API key). The value is
     * revealed only to the HTTP client; the configuration, observations and reasons never show it.
     *
     * @param name the header name
     * @param value the value
     * @return this builder
     */
    public Builder header(String name, Secret value) {
      return putHeader(name, value, value);
    }

    /**
     * Sends {@code Authorization: Bearer <token>}.
     *
     * @param token the token, without the {@code Bearer } prefix
     * @return this builder
     */
    public Builder bearerToken(Secret token) {
      if (token == null) {
        problems.add("bearer token must not be null: pass Secret.of(token)");
        return this;
      }
      return putHeader("Authorization", Secret.of("Bearer " + token.reveal()), token);
    }

    private Builder putHeader(String name, @Nullable Object value, @Nullable Object given) {
      if (name == null || name.isBlank() || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
        problems.add("header name must be a non-blank token without spaces or ':', but was " + quote(name));
      } else if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        problems.add("header '" + name + "' is set by the HTTP client itself and cannot be given: remove it");
      } else if (given == null) {
        problems.add("header '" + name + "' must have a value, but was null: use \"\" for an empty value");
      } else {
        String raw = value instanceof Secret s ? s.reveal() : String.valueOf(value);
        if (raw.indexOf('\r') >= 0 || raw.indexOf('\n') >= 0) {
          problems.add("header '" + name + "' must not contain line breaks"
              + (value instanceof Secret ? " (value redacted)" : ", but was " + quote(raw)));
        } else {
          headers.put(name, value);
        }
      }
      return this;
    }

    /**
     * Counts only these statuses as healthy (instead of any 2xx).
     *
     * @param statuses one or more status codes, each in 100..599
     * @return this builder
     */
    public Builder expectStatus(int... statuses) {
      if (statuses == null || statuses.length == 0) {
        problems.add("expectStatus needs at least one status code, but got none: e.g. expectStatus(200, 204)");
        return this;
      }
      for (int s : statuses) {
        if (s < 100 || s > 599) {
          problems.add("expected status must be in 100..599, but was " + s);
        } else {
          expectedStatus.add(new int[] {s, s});
        }
      }
      return this;
    }

    /**
     * Counts statuses in a range as healthy (instead of any 2xx); may be combined with {@link
     * #expectStatus(int...)}.
     *
     * @param from the lowest healthy status, inclusive
     * @param to the highest healthy status, inclusive
     * @return this builder
     */
    public Builder expectStatusRange(int from, int to) {
      if (from < 100 || to > 599 || from > to) {
        problems.add("expected status range must lie in 100..599 with from <= to, but was " + from + ".." + to);
      } else {
        expectedStatus.add(new int[] {from, to});
      }
      return this;
    }

    /**
     * Requires the body to contain a text (case-sensitive); may be called more than once.
     *
     * @param text the text
     * @return this builder
     */
    public Builder bodyContains(String text) {
      if (text == null || text.isEmpty()) {
        problems.add("bodyContains text must not be empty, but was " + quote(text));
      } else {
        bodyContains.add(text);
      }
      return this;
    }

    /**
     * Requires the body to be JSON whose value at a JSON pointer (RFC 6901) equals a text: a string
     * value is compared as is, a number, boolean or null by its JSON text ({@code 3}, {@code true},
     * {@code null}), an object or array by its compact JSON.
     *
     * @param pointer the pointer, e.g. {@code /status} or {@code /checks/0/state}
     * @param expected the expected value, e.g. {@code UP}
     * @return this builder
     */
    public Builder jsonPointerEquals(String pointer, String expected) {
      if (pointer == null || !(pointer.isEmpty() || pointer.startsWith("/"))) {
        problems.add("JSON pointer must be empty or start with '/', but was " + quote(pointer) + ": e.g. /status");
      } else if (expected == null) {
        problems.add("expected value for JSON pointer '" + pointer + "' must not be null: use \"null\" to expect a JSON null");
      } else {
        jsonPointers.put(pointer, expected);
      }
      return this;
    }

    /**
     * Counts an answer slower than this as unhealthy, with the latency in the reason.
     *
     * @param maxLatency the longest acceptable total latency; must be positive
     * @return this builder
     */
    public Builder maxLatency(Duration maxLatency) {
      if (positive(maxLatency, "maxLatency")) {
        this.maxLatency = maxLatency;
      }
      return this;
    }

    /**
     * @param timeout the longest a request may take until its whole answer is read; default 10 s
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      if (positive(timeout, "timeout")) {
        this.timeout = timeout;
      }
      return this;
    }

    /**
     * @param connectTimeout the longest a connection may take to open; default 2 s
     * @return this builder
     */
    public Builder connectTimeout(Duration connectTimeout) {
      if (positive(connectTimeout, "connectTimeout")) {
        this.connectTimeout = connectTimeout;
      }
      return this;
    }

    /**
     * Follows redirects (not to http from https). Off by default: a health endpoint that redirects
     * usually means a login page or a misconfiguration.
     *
     * @param follow whether to follow
     * @return this builder
     */
    public Builder followRedirects(boolean follow) {
      this.followRedirects = follow;
      return this;
    }

    /**
     * Trusts only this CA (or self-signed server) certificate, in PEM or DER form, instead of the
     * JDK's trust store. Host names are still verified.
     *
     * @param certificateFile the certificate file
     * @return this builder
     */
    public Builder trustCertificate(Path certificateFile) {
      if (certificateFile == null) {
        problems.add("trustCertificate must not be null: give the path of a PEM or DER certificate");
      }
      this.trustCertificate = certificateFile;
      return this;
    }

    /**
     * Trusts the certificates in this trust store (PKCS12 or JKS) instead of the JDK's. Host names
     * are still verified.
     *
     * @param trustStoreFile the trust store file
     * @param password its password
     * @return this builder
     */
    public Builder trustStore(Path trustStoreFile, Secret password) {
      if (trustStoreFile == null || password == null) {
        problems.add("trustStore needs a path and a password, but got " + trustStoreFile + " and " + password);
      }
      this.trustStore = trustStoreFile;
      this.trustStorePassword = password;
      return this;
    }

    /**
     * Turns OFF TLS certificate and host name verification: any certificate is accepted, so a man in
     * the middle would go unnoticed. Only for test environments with throwaway certificates; prefer
     * {@link #trustCertificate(Path)}. The check's description says so, and building it logs a
     * warning.
     *
     * @return this builder
     */
    public Builder insecureSkipTlsVerification() {
      this.insecure = true;
      return this;
    }

    /**
     * @param name the check's name in events and reports; default {@code METHOD uri}
     * @return this builder
     */
    public Builder name(String name) {
      if (name == null || name.isBlank()) {
        problems.add("name must not be blank, but was " + quote(name));
      } else {
        this.name = name;
      }
      return this;
    }

    /**
     * @return the configuration
     * @throws RollbackException with {@link dev.rollback.core.ErrorCode#INVALID_CONFIGURATION}
     *     listing every problem
     */
    public HttpCheck build() {
      List<String> all = new ArrayList<>(problems);
      if (method == Method.HEAD && (!bodyContains.isEmpty() || !jsonPointers.isEmpty())) {
        all.add("a HEAD check gets no body, so bodyContains/jsonPointerEquals cannot hold: use GET");
      }
      if (body != null && method != Method.POST) {
        all.add("a request body is sent only with POST, but the method is " + method + ": call post(..) last or drop the body");
      }
      int tls = (insecure ? 1 : 0) + (trustCertificate != null ? 1 : 0) + (trustStore != null ? 1 : 0);
      if (tls > 1) {
        all.add("choose one of trustCertificate, trustStore and insecureSkipTlsVerification, but " + tls + " were set");
      }
      if (tls > 0 && uri != null && "http".equalsIgnoreCase(uri.getScheme())) {
        all.add("TLS options were set but the URI " + uri + " is plain http: use https or drop the TLS option");
      }
      if (maxLatency != null && maxLatency.compareTo(timeout) > 0) {
        all.add("maxLatency " + maxLatency + " is longer than the timeout " + timeout + ": raise the timeout or lower maxLatency");
      }
      SSLContext ssl = null;
      if (tls == 1) {
        try {
          if (insecure) {
            ssl = HttpHealthTls.trustAll();
          } else if (trustCertificate != null) {
            ssl = HttpHealthTls.trusting(trustCertificate);
          } else if (trustStore != null) {
            ssl = HttpHealthTls.trusting(trustStore, trustStorePassword);
          }
        } catch (IllegalArgumentException e) {
          all.add(e.getMessage());
        }
      }
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid HTTP health check for " + uri, all);
      }
      HttpCheck check = new HttpCheck(this, ssl);
      if (insecure) {
        HttpHealthTls.warnInsecure(check.name());
      }
      return check;
    }

    private boolean positive(@Nullable Duration d, String field) {
      if (d == null || d.isZero() || d.isNegative()) {
        problems.add(field + " must be positive, but was " + d);
        return false;
      }
      return true;
    }

    private static String quote(@Nullable String s) {
      return s == null ? "null" : "'" + s + "'";
    }
  }
}
