package dev.rollback.core.lock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** A child JVM that takes a service's file lock and then waits to be killed. */
public final class LockHolderProcess {
  private LockHolderProcess() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    RollbackLock lock = RollbackLock.directory(dir, Clock.systemUTC());
    lock.acquire(args[1], args[2], "child-jvm", Duration.ofSeconds(Long.parseLong(args[3])));
    Files.createFile(dir.resolve("held"));
    new CountDownLatch(1).await();
  }
}
