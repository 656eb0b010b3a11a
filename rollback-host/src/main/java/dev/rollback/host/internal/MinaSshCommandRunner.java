package dev.rollback.host.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.command.CommandResult;
import dev.rollback.host.SshClientConfig;
import dev.rollback.host.SshCommand;
import dev.rollback.host.SshCommandRunner;
import dev.rollback.host.SshHost;
import dev.rollback.host.SshHostKeyRejectedException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.jspecify.annotations.Nullable;

/** {@link SshCommandRunner} on Apache MINA SSHD's client; one session per host, reused, one exec channel per command. */
public final class MinaSshCommandRunner implements SshCommandRunner {
  private final SshClientConfig config;
  private final SshClient client;
  /** Why a host key was refused, by {@code host:port}, so the failure can name host and fingerprint. */
  private final Map<String, SshHostKeyRejectedException> rejections = new ConcurrentHashMap<>();
  private final Map<String, ClientSession> sessions = new java.util.HashMap<>();

  /**
   * @param config the configuration
   * @throws RollbackException when the key cannot be read
   */
  public MinaSshCommandRunner(SshClientConfig config) {
    this.config = config;
    List<KeyPair> keys = loadKeys(config);
    this.client = SshClient.setUpDefaultClient();
    client.setServerKeyVerifier(new KnownHostsVerifier());
    client.setKeyIdentityProvider(KeyIdentityProvider.wrapKeyPairs(keys));
    client.start();
  }

  private static List<KeyPair> loadKeys(SshClientConfig config) {
    FilePasswordProvider passwords = config.passphrase().map(p -> FilePasswordProvider.of(p.reveal())).orElse(FilePasswordProvider.EMPTY);
    String name = config.identityFile().map(Path::toString).orElse("the client key secret");
    try (InputStream in = config.identityFile().isPresent()
        ? Files.newInputStream(config.identityFile().get())
        : new ByteArrayInputStream(config.identityPem().orElseThrow().reveal().getBytes(StandardCharsets.UTF_8))) {
      List<KeyPair> keys = new ArrayList<>();
      Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(name), in, passwords);
      if (loaded != null) {
        loaded.forEach(keys::add);
      }
      if (keys.isEmpty()) {
        throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "no private key found in " + name);
      }
      return keys;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      if (e instanceof RollbackException re) {
        throw re;
      }
      // The cause's message may quote key text: keep only its type.
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION,
          "cannot read the SSH client key from " + name + " (" + e.getClass().getSimpleName()
              + "): check the format (OpenSSH or PEM) and the passphrase");
    }
  }

  @Override
  public CommandResult run(SshHost host, SshCommand command) throws IOException, InterruptedException {
    return run(host, command, config.commandTimeout());
  }

  @Override
  public CommandResult run(SshHost host, SshCommand command, Duration timeout) throws IOException, InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted before running " + command + " on " + host.address());
    }
    String key = host.host() + ":" + host.port();
    List<String> shown = List.of(host.address() + ":", command.toString());
    long t0 = System.nanoTime();
    long connectMillis = config.connectTimeout().toMillis();
    ClientSession s = session(host, key, connectMillis);
    Bounded out = new Bounded(config.outputLimit());
    try (ChannelExec channel = s.createExecChannel(command.line())) {
      channel.setOut(out);
      channel.setErr(out);
      channel.open().verify(connectMillis);
      // The exit status comes after all output on the channel (SSH orders a channel's messages), so
      // there is no need to wait for the close handshake.
      Set<ClientChannelEvent> events = channel.waitFor(
          EnumSet.of(ClientChannelEvent.EXIT_STATUS, ClientChannelEvent.EXIT_SIGNAL, ClientChannelEvent.CLOSED), Math.max(1, timeout.toMillis()));
      boolean timedOut = events.contains(ClientChannelEvent.TIMEOUT);
      Integer status = channel.getExitStatus();
      channel.close(true);
      int code = timedOut || status == null ? -1 : status;
      return new CommandResult(shown, code, timedOut, out.text(), out.truncated(), Duration.ofNanos(System.nanoTime() - t0));
    } catch (IOException e) {
      // A broken session is not reused.
      dropSession(key, s);
      throw new IOException("ssh " + host.address() + ": running " + command + " failed: " + e.getMessage(), e);
    }
  }

  /** One authenticated session per {@code user@host:port}, opened on first use and reused while it is open. */
  private ClientSession session(SshHost host, String key, long connectMillis) throws IOException {
    String id = host.user() + "@" + key;
    synchronized (sessions) {
      ClientSession open = sessions.get(id);
      if (open != null && open.isOpen() && !open.isClosing()) {
        return open;
      }
      if (open != null) {
        open.close(true);
        sessions.remove(id);
      }
    }
    rejections.remove(key);
    ClientSession session;
    try {
      session = client.connect(host.user(), host.host(), host.port()).verify(connectMillis).getSession();
    } catch (IOException e) {
      throw failure(key, host, "cannot connect", e);
    }
    try {
      session.auth().verify(connectMillis);
    } catch (IOException e) {
      session.close(true);
      throw failure(key, host, "cannot log in as " + host.user() + " with the client key", e);
    }
    synchronized (sessions) {
      ClientSession raced = sessions.putIfAbsent(id, session);
      if (raced != null && raced.isOpen()) {
        session.close(true);
        return raced;
      }
      sessions.put(id, session);
      return session;
    }
  }

  private void dropSession(String key, ClientSession s) {
    synchronized (sessions) {
      sessions.values().remove(s);
    }
    s.close(true);
  }

  private IOException failure(String key, SshHost host, String what, IOException cause) {
    SshHostKeyRejectedException rejected = rejections.remove(key);
    if (rejected != null) {
      throw rejected;
    }
    return new IOException("ssh " + host.address() + ": " + what + ": " + cause.getMessage(), cause);
  }

  @Override
  public void close() {
    synchronized (sessions) {
      sessions.values().forEach(x -> x.close(true));
      sessions.clear();
    }
    try {
      client.stop();
    } finally {
      try {
        client.close();
      } catch (IOException e) {
        // nothing left to release
      }
    }
  }

  /** Checks the server's key against the known-hosts file, read afresh for every connection. */
  private final class KnownHostsVerifier implements ServerKeyVerifier {
    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey serverKey) {
      String host;
      int port;
      if (session.getConnectAddress() instanceof InetSocketAddress a) {
        host = a.getHostString();
        port = a.getPort();
      } else if (remote instanceof InetSocketAddress a) {
        host = a.getHostString();
        port = a.getPort();
      } else {
        return false;
      }
      String key = host + ":" + port;
      String fingerprint = KeyUtils.getFingerPrint(serverKey);
      String shown = port == 22 ? host : "[" + host + "]:" + port;
      List<KnownHostEntry> entries;
      try {
        entries = Files.exists(config.knownHosts()) ? KnownHostEntry.readKnownHostEntries(config.knownHosts()) : List.of();
      } catch (IOException | RuntimeException e) {
        rejections.put(key, new SshHostKeyRejectedException(key, fingerprint, false,
            "cannot read the known-hosts file " + config.knownHosts() + " to check " + shown + ": " + e.getMessage()));
        return false;
      }
      boolean listed = false;
      for (KnownHostEntry e : entries == null ? List.<KnownHostEntry>of() : entries) {
        if (!e.isHostMatch(host, port) || e.getKeyEntry() == null) {
          continue;
        }
        PublicKey known = resolve(session, e);
        if (known == null || !known.getAlgorithm().equals(serverKey.getAlgorithm())) {
          listed = listed || known != null;
          continue;
        }
        if (KeyUtils.compareKeys(known, serverKey)) {
          return true;
        }
        listed = true;
      }
      if (listed) {
        rejections.put(key, new SshHostKeyRejectedException(key, fingerprint, true,
            "host key of " + shown + " CHANGED: the server showed " + KeyUtils.getKeyType(serverKey) + " " + fingerprint
                + " but " + config.knownHosts() + " lists another key for it; refusing to connect (a man-in-the-middle, or a"
                + " reinstalled host: check with its owner, then update the known-hosts file)"));
        return false;
      }
      if (!config.strictHostKeyChecking()) {
        return true;
      }
      rejections.put(key, new SshHostKeyRejectedException(key, fingerprint, false,
          "unknown host " + shown + ": its key " + KeyUtils.getKeyType(serverKey) + " " + fingerprint + " is not in "
              + config.knownHosts() + "; refusing to connect (strict host-key checking). Check the fingerprint with the host's"
              + " owner, then add the line from `ssh-keyscan -p " + port + " " + host + "`"));
      return false;
    }

    private @Nullable PublicKey resolve(ClientSession session, KnownHostEntry e) {
      try {
        return e.getKeyEntry().resolvePublicKey(session, Collections.emptyMap(), PublicKeyEntryResolver.IGNORING);
      } catch (IOException | GeneralSecurityException | RuntimeException ex) {
        return null;
      }
    }
  }

  /** Keeps the first {@code limit} bytes written. */
  private static final class Bounded extends OutputStream {
    private final int limit;
    private final java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
    private volatile boolean truncated;

    Bounded(int limit) {
      this.limit = limit;
    }

    @Override
    public synchronized void write(int b) {
      if (kept.size() < limit) {
        kept.write(b);
      } else {
        truncated = true;
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      int room = limit - kept.size();
      if (room > 0) {
        kept.write(b, off, Math.min(room, len));
      }
      if (len > room) {
        truncated = true;
      }
    }

    synchronized String text() {
      return kept.toString(StandardCharsets.UTF_8);
    }

    boolean truncated() {
      return truncated;
    }
  }
}
