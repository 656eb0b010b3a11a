package dev.rollback.host.internal;

import dev.rollback.core.RollbackException;
import dev.rollback.core.strategy.RollbackStrategy;
import dev.rollback.core.strategy.RollbackStrategyProvider;
import dev.rollback.host.ServiceControls;
import dev.rollback.host.SymlinkStrategy;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes {@link SymlinkStrategy} available as strategy {@code "symlink"}. Settings: {@code root}
 * (required), {@code keep}, {@code marker}, {@code requiredPaths} (comma-separated), {@code
 * service} (a systemd unit), {@code readinessTimeout} (ISO-8601 such as {@code PT2M}, or seconds),
 * {@code keepFailedRelease} ({@code true}/{@code false}), {@code operator}.
 */
public final class SymlinkStrategyProvider implements RollbackStrategyProvider {
  private static final Set<String> KNOWN = new TreeSet<>(
      List.of("root", "keep", "marker", "requiredPaths", "service", "readinessTimeout", "keepFailedRelease", "operator"));

  /** Creates the provider; {@link java.util.ServiceLoader} calls it. */
  public SymlinkStrategyProvider() {}

  @Override
  public String name() {
    return SymlinkStrategy.NAME;
  }

  @Override
  public RollbackStrategy create(Map<String, String> settings) {
    List<String> problems = new ArrayList<>();
    for (String key : settings.keySet()) {
      if (!KNOWN.contains(key)) {
        problems.add("unknown setting '" + key + "'" + NearestName.suggest(key, KNOWN) + ": the symlink strategy knows " + KNOWN);
      }
    }
    String root = settings.get("root");
    Path rootPath = null;
    if (root == null || root.isBlank()) {
      problems.add("setting 'root' is required: the folder that holds releases/ and current, e.g. root=/srv/checkout");
    } else {
      try {
        rootPath = Path.of(root);
      } catch (InvalidPathException e) {
        problems.add("setting 'root' is not a valid path: '" + root + "' (" + e.getReason() + ")");
      }
    }
    SymlinkStrategy.Builder b = SymlinkStrategy.builder(rootPath == null ? Path.of(".") : rootPath);
    String keep = settings.get("keep");
    if (keep != null) {
      try {
        b.keep(Integer.parseInt(keep.trim()));
      } catch (NumberFormatException e) {
        problems.add("setting 'keep' must be a whole number of releases, but was '" + keep + "': e.g. keep=5");
      }
    }
    if (settings.containsKey("marker")) {
      b.marker(settings.get("marker"));
    }
    if (settings.containsKey("requiredPaths")) {
      b.requiredPaths(Arrays.stream(settings.get("requiredPaths").split(",")).map(String::trim).toArray(String[]::new));
    }
    String service = settings.get("service");
    if (service != null) {
      try {
        b.service(ServiceControls.systemd(service));
      } catch (RollbackException e) {
        problems.add("setting 'service': " + e.problems().get(0));
      }
    }
    String timeout = settings.get("readinessTimeout");
    if (timeout != null) {
      try {
        b.readinessTimeout(timeout.trim().matches("\\d+") ? Duration.ofSeconds(Long.parseLong(timeout.trim())) : Duration.parse(timeout.trim()));
      } catch (DateTimeParseException | NumberFormatException e) {
        problems.add("setting 'readinessTimeout' must be ISO-8601 (PT2M) or seconds (120), but was '" + timeout + "'");
      }
    }
    String keepFailed = settings.get("keepFailedRelease");
    if (keepFailed != null) {
      if (keepFailed.equalsIgnoreCase("true") || keepFailed.equalsIgnoreCase("false")) {
        b.keepFailedRelease(Boolean.parseBoolean(keepFailed));
      } else {
        problems.add("setting 'keepFailedRelease' must be true or false, but was '" + keepFailed + "'");
      }
    }
    if (settings.containsKey("operator")) {
      b.operator(settings.get("operator"));
    }
    try {
      SymlinkStrategy s = b.build();
      if (problems.isEmpty()) {
        return s;
      }
    } catch (RollbackException e) {
      problems.addAll(e.problems());
    }
    throw RollbackException.invalid("invalid settings for strategy 'symlink'", problems);
  }
}
