package dev.rollback.host;

import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How to talk SSH: the client key (a private key file, or its PEM text as a {@link Secret}), an
 * optional passphrase, the known-hosts file, and timeouts. Host keys are checked strictly by
 * default: a host missing from the known-hosts file, or showing another key than the one listed,
 * is refused with {@link SshHostKeyRejectedException}.
 *
 * <pre>{@code
 * SshClientConfig ssh = SshClientConfig.builder()
 *     .identityFile(Path.of("/etc/rollback/id_ed25519"))
 *     .knownHosts(Path.of("/etc/rollback/known_hosts"))
 *     .commandTimeout(Duration.ofMinutes(2))
 *     .build();
 * }</pre>
 *
 * <p>The key material is never printed: {@link #toString()} names the key file, not its content.
 *
 * @since 0.1.0
 */
public final class SshClientConfig {
  private final @Nullable Path identityFile;
  private final @Nullable Secret identityPem;
  private final @Nullable Secret passphrase;
  private final Path knownHosts;
  private final boolean strictHostKeyChecking;
  private final Duration connectTimeout;
  private final Duration commandTimeout;
  private final int outputLimit;

  private SshClientConfig(Builder b) {
    this.identityFile = b.identityFile;
    this.identityPem = b.identityPem;
    this.passphrase = b.passphrase;
    this.knownHosts = b.knownHosts;
    this.strictHostKeyChecking = b.strict;
    this.connectTimeout = b.connectTimeout;
    this.commandTimeout = b.commandTimeout;
    this.outputLimit = b.outputLimit;
  }

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the private key file, when the key comes from a file */
  public Optional<Path> identityFile() {
    return Optional.ofNullable(identityFile);
  }

  /** @return the private key's PEM text, when given as a secret */
  public Optional<Secret> identityPem() {
    return Optional.ofNullable(identityPem);
  }

  /** @return the key's passphrase, if it has one */
  public Optional<Secret> passphrase() {
    return Optional.ofNullable(passphrase);
  }

  /** @return the known-hosts file ({@code [host]:port ssh-ed25519 AAAA...} lines) */
  public Path knownHosts() {
    return knownHosts;
  }

  /** @return whether unknown hosts are refused (changed keys are always refused) */
  public boolean strictHostKeyChecking() {
    return strictHostKeyChecking;
  }

  /** @return the bound on connecting and authenticating */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** @return the default bound on one remote command */
  public Duration commandTimeout() {
    return commandTimeout;
  }

  /** @return how many bytes of a command's output are kept */
  public int outputLimit() {
    return outputLimit;
  }

  @Override
  public String toString() {
    return "SshClientConfig[identity=" + (identityFile != null ? identityFile : Secret.REDACTED) + ", knownHosts=" + knownHosts
        + ", strict=" + strictHostKeyChecking + ", connectTimeout=" + connectTimeout + ", commandTimeout=" + commandTimeout + "]";
  }

  /** Builds an {@link SshClientConfig}; {@link #build()} reports every problem at once. */
  public static final class Builder {
    private final List<String> problems = new ArrayList<>();
    private @Nullable Path identityFile;
    private @Nullable Secret identityPem;
    private @Nullable Secret passphrase;
    private Path knownHosts;
    private boolean strict = true;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration commandTimeout = Duration.ofMinutes(1);
    private int outputLimit = 16 * 1024;

    private Builder() {}

    /**
     * @param file the client's private key file (OpenSSH or PEM format)
     * @return this builder
     */
    public Builder identityFile(Path file) {
      if (file == null) {
        problems.add("identityFile must not be null: pass the private key file, e.g. ~/.ssh/id_ed25519");
      }
      this.identityFile = file;
      return this;
    }

    /**
     * @param pem the client's private key text (OpenSSH or PEM format), as a secret
     * @return this builder
     */
    public Builder identity(Secret pem) {
      if (pem == null) {
        problems.add("identity must not be null: pass Secret.of(privateKeyText)");
      }
      this.identityPem = pem;
      return this;
    }

    /**
     * @param passphrase the key's passphrase
     * @return this builder
     */
    public Builder passphrase(Secret passphrase) {
      if (passphrase == null) {
        problems.add("passphrase must not be null: leave it out for a key without one");
      }
      this.passphrase = passphrase;
      return this;
    }

    /**
     * @param file the known-hosts file
     * @return this builder
     */
    public Builder knownHosts(Path file) {
      if (file == null) {
        problems.add("knownHosts must not be null: pass a known_hosts file listing every host's key");
      }
      this.knownHosts = file;
      return this;
    }

    /**
     * @param strict false to accept hosts missing from the known-hosts file (a changed key is still
     *     refused); default true
     * @return this builder
     */
    public Builder strictHostKeyChecking(boolean strict) {
      this.strict = strict;
      return this;
    }

    /**
     * @param timeout bound on connecting and authenticating; positive; default 10 s
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      if (!positive(timeout)) {
        problems.add("connectTimeout must be positive, but was " + timeout);
      } else {
        this.connectTimeout = timeout;
      }
      return this;
    }

    /**
     * @param timeout default bound on one remote command; positive; default 1 min
     * @return this builder
     */
    public Builder commandTimeout(Duration timeout) {
      if (!positive(timeout)) {
        problems.add("commandTimeout must be positive, but was " + timeout);
      } else {
        this.commandTimeout = timeout;
      }
      return this;
    }

    /**
     * @param bytes output kept per command (the rest is dropped and marked truncated); default 16 KiB
     * @return this builder
     */
    public Builder outputLimit(int bytes) {
      if (bytes < 0) {
        problems.add("outputLimit must not be negative, but was " + bytes);
      } else {
        this.outputLimit = bytes;
      }
      return this;
    }

    /**
     * @return the configuration
     * @throws RollbackException listing every problem (no key, both keys, missing files, bad timeouts)
     */
    public SshClientConfig build() {
      List<String> all = new ArrayList<>(problems);
      if (identityFile == null && identityPem == null && all.stream().noneMatch(p -> p.startsWith("identity"))) {
        all.add("no client key: call identityFile(path) or identity(Secret.of(pem))");
      }
      if (identityFile != null && identityPem != null) {
        all.add("give the client key once: identityFile(" + identityFile + ") and identity(secret) were both set");
      }
      if (identityFile != null && !Files.isReadable(identityFile)) {
        all.add("identityFile " + identityFile + " does not exist or is not readable");
      }
      if (knownHosts == null && all.stream().noneMatch(p -> p.startsWith("knownHosts"))) {
        all.add("no known-hosts file: call knownHosts(path); host keys are checked against it");
      } else if (knownHosts != null && strict && !Files.isReadable(knownHosts)) {
        all.add("knownHosts " + knownHosts + " does not exist or is not readable (strict host-key checking is on)");
      }
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid SSH client configuration", all);
      }
      return new SshClientConfig(this);
    }

    private static boolean positive(@Nullable Duration d) {
      return d != null && !d.isNegative() && !d.isZero();
    }
  }
}
