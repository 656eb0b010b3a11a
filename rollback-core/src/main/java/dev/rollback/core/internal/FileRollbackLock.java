package dev.rollback.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.RollbackInProgressException;
import dev.rollback.core.lock.LockHolder;
import dev.rollback.core.lock.LockLease;
import dev.rollback.core.lock.RollbackLock;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A lock file per service ({@code <service>.lock}, JSON) in a shared folder. Every read-check-write
 * happens under an exclusive OS file lock on {@code <service>.lock.guard} (between processes) and a
 * JVM-wide lock on the same path (between threads, which OS locks do not separate). The lock file
 * is replaced atomically and fsynced, so a crash leaves either the old or the new holder.
 */
public final class FileRollbackLock implements RollbackLock {
  private static final Map<Path, ReentrantLock> JVM_GUARDS = new ConcurrentHashMap<>();

  private final Path folder;
  private final Clock clock;

  /**
   * @param folder where lock files go
   * @param clock the clock leases are measured on
   */
  public FileRollbackLock(Path folder, Clock clock) {
    this.folder = folder.toAbsolutePath().normalize();
    this.clock = clock;
  }

  /** What the lock file holds: the holder and a token naming the lease. */
  record Stored(String token, LockHolder holder) {}

  @Override
  public LockLease acquire(String service, String runId, String owner, Duration ttl) {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "lock ttl must be positive, but was " + ttl + ": give e.g. Duration.ofMinutes(2)");
    }
    RunIds.requireSafe("service", service);
    return guarded(service, () -> {
      Instant now = clock.instant();
      Stored current = readStored(service);
      if (current != null && !current.holder().expiredAt(now) && !current.holder().runId().equals(runId)) {
        LockHolder h = current.holder();
        throw new RollbackInProgressException(service, h.runId(), h.owner(), h.acquiredAt(), h.expiresAt());
      }
      Stored mine = new Stored(UUID.randomUUID().toString(), new LockHolder(service, runId, owner, now, now.plus(ttl)));
      write(service, mine);
      return new Lease(mine, ttl);
    });
  }

  @Override
  public Optional<LockHolder> holder(String service) {
    RunIds.requireSafe("service", service);
    return guarded(service, () -> Optional.ofNullable(readStored(service)).map(Stored::holder));
  }

  private interface GuardedAction<T> {
    T run() throws IOException;
  }

  private <T> T guarded(String service, GuardedAction<T> action) {
    Path guard = folder.resolve(service + ".lock.guard");
    ReentrantLock jvm = JVM_GUARDS.computeIfAbsent(guard, p -> new ReentrantLock());
    jvm.lock();
    try {
      Files.createDirectories(folder);
      try (FileChannel ch = FileChannel.open(guard, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = ch.lock()) {
        return action.run();
      }
    } catch (IOException e) {
      throw new RollbackException(ErrorCode.LOCK_FAILURE, "cannot use lock file of '" + service + "' in " + folder + ": " + e.getMessage(), e);
    } finally {
      jvm.unlock();
    }
  }

  private @Nullable Stored readStored(String service) throws IOException {
    Path file = folder.resolve(service + ".lock");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    }
    try {
      return JournalCodec.MAPPER.readValue(bytes, Stored.class);
    } catch (JsonProcessingException e) {
      throw new RollbackException(
          ErrorCode.LOCK_FAILURE,
          "lock file " + file + " is unreadable (" + e.getOriginalMessage() + "); if no rollback of '" + service
              + "' is running, delete it");
    }
  }

  private void write(String service, Stored stored) throws IOException {
    Path file = folder.resolve(service + ".lock");
    Path tmp = folder.resolve(service + ".lock.tmp");
    try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
      out.write(JournalCodec.MAPPER.writeValueAsString(stored).getBytes(StandardCharsets.UTF_8));
      out.getFD().sync();
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public String toString() {
    return "FileRollbackLock[" + folder + "]";
  }

  private final class Lease implements LockLease {
    private volatile Stored stored;
    private final Duration ttl;
    private volatile boolean closed;

    Lease(Stored stored, Duration ttl) {
      this.stored = stored;
      this.ttl = ttl;
    }

    @Override
    public LockHolder holder() {
      return stored.holder();
    }

    @Override
    public void renew() {
      String service = stored.holder().service();
      guarded(service, () -> {
        Stored current = readStored(service);
        if (closed || current == null || !current.token().equals(stored.token())) {
          throw new RollbackException(
              ErrorCode.LOCK_FAILURE,
              "lock of '" + service + "' for run " + stored.holder().runId() + " was lost"
                  + (closed ? " (the lease was closed)" : current == null ? "" : "; now held by run " + current.holder().runId()));
        }
        LockHolder h = stored.holder();
        Stored renewed = new Stored(stored.token(), new LockHolder(service, h.runId(), h.owner(), h.acquiredAt(), clock.instant().plus(ttl)));
        write(service, renewed);
        stored = renewed;
        return null;
      });
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      String service = stored.holder().service();
      guarded(service, () -> {
        Stored current = readStored(service);
        if (current != null && current.token().equals(stored.token())) {
          Files.deleteIfExists(folder.resolve(service + ".lock"));
        }
        closed = true;
        return null;
      });
    }
  }
}
