package dev.rollback.core.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.health.MetricSource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

/**
 * This host's CPU load, memory and free disk: {@code /proc/loadavg} and {@code /proc/meminfo} on
 * Linux, the JVM's OperatingSystemMXBean elsewhere; free disk from the paths' file stores.
 */
public final class SystemMetricSource implements MetricSource {
  private static final Path LOADAVG = Path.of("/proc/loadavg");
  private static final Path MEMINFO = Path.of("/proc/meminfo");

  private final List<Path> paths;

  /**
   * @param paths the paths whose file systems {@code disk.free} looks at
   */
  public SystemMetricSource(List<Path> paths) {
    this.paths = List.copyOf(paths);
  }

  @Override
  public OptionalDouble read(String query) throws IOException {
    String q = query == null ? "" : query.strip();
    switch (q) {
      case "load1":
        return load(0);
      case "load5":
        return load(1);
      case "load15":
        return load(2);
      case "cpu": {
        OptionalDouble l = load(0);
        return l.isPresent() ? OptionalDouble.of(l.getAsDouble() / Runtime.getRuntime().availableProcessors()) : l;
      }
      case "memory.used":
        return memoryUsed();
      case "disk.free":
        if (paths.isEmpty()) {
          throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "system query 'disk.free' needs paths: create the source with "
              + "MetricSources.system(Path.of(\"/var\"), ...) or query 'disk.free:/var'");
        }
        double min = Double.MAX_VALUE;
        for (Path p : paths) {
          min = Math.min(min, freeFraction(p));
        }
        return OptionalDouble.of(min);
      default:
        if (q.startsWith("disk.free:") && q.length() > "disk.free:".length()) {
          return OptionalDouble.of(freeFraction(Path.of(q.substring("disk.free:".length()))));
        }
        throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "system query '" + query
            + "' is unknown: use load1, load5, load15, cpu, memory.used, disk.free or disk.free:/path");
    }
  }

  private static OptionalDouble load(int field) throws IOException {
    if (Files.isReadable(LOADAVG)) {
      String[] parts = Files.readString(LOADAVG, StandardCharsets.US_ASCII).trim().split("\\s+");
      return OptionalDouble.of(Double.parseDouble(parts[field]));
    }
    if (field != 0) {
      return OptionalDouble.empty();
    }
    double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return l < 0 ? OptionalDouble.empty() : OptionalDouble.of(l);
  }

  private static OptionalDouble memoryUsed() throws IOException {
    if (Files.isReadable(MEMINFO)) {
      long total = -1;
      long available = -1;
      for (String line : Files.readAllLines(MEMINFO, StandardCharsets.US_ASCII)) {
        if (line.startsWith("MemTotal:")) {
          total = kilobytes(line);
        } else if (line.startsWith("MemAvailable:")) {
          available = kilobytes(line);
        }
      }
      if (total > 0 && available >= 0) {
        return OptionalDouble.of((double) (total - available) / total);
      }
    }
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      long total = sun.getTotalMemorySize();
      long free = sun.getFreeMemorySize();
      if (total > 0) {
        return OptionalDouble.of((double) (total - free) / total);
      }
    }
    return OptionalDouble.empty();
  }

  private static long kilobytes(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", ""));
  }

  private static double freeFraction(Path p) throws IOException {
    FileStore store = Files.getFileStore(p);
    long total = store.getTotalSpace();
    if (total <= 0) {
      throw new IOException("the file system of " + p + " reports no size");
    }
    return (double) store.getUsableSpace() / total;
  }

  @Override
  public String toString() {
    return "System[" + paths + "]";
  }
}
