package dev.rollback.host;

import dev.rollback.core.RollbackException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * How to run a service as a local process supervised by the runner ({@link
 * ServiceControls#process(ProcessSpec)}): the command, where its output goes, how to tell it is
 * ready (an HTTP URL answering 2xx, or a TCP port accepting connections), and how long it gets to
 * stop after SIGTERM before SIGKILL.
 *
 * <pre>{@code
 * ProcessSpec spec = ProcessSpec.builder("java", "-jar", "/srv/checkout/current/app.jar")
 *     .directory(Path.of("/srv/checkout/current"))
 *     .readinessUrl(URI.create("http://127.0.0.1:8080/health"))
 *     .pidFile(Path.of("/srv/checkout/app.pid"))
 *     .stopGrace(Duration.ofSeconds(20))
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ProcessSpec {
  private final List<String> command;
  private final @Nullable Path directory;
  private final Map<String, String> environment;
  private final @Nullable URI readinessUrl;
  private final int readinessPort;
  private final Duration stopGrace;
  private final @Nullable Path pidFile;
  private final @Nullable Path logFile;

  private ProcessSpec(Builder b) {
    this.command = List.copyOf(b.command);
    this.directory = b.directory;
    this.environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.environment));
    this.readinessUrl = b.readinessUrl;
    this.readinessPort = b.readinessPort;
    this.stopGrace = b.stopGrace;
    this.pidFile = b.pidFile;
    this.logFile = b.logFile;
  }

  /**
   * @param command the program and its arguments, one element per argument (no shell)
   * @return a builder
   */
  public static Builder builder(String... command) {
    return new Builder(command == null ? List.of() : java.util.Arrays.asList(command));
  }

  /**
   * @param command the program and its arguments
   * @return a builder
   */
  public static Builder builder(List<String> command) {
    return new Builder(command == null ? List.of() : command);
  }

  /** @return the program and its arguments */
  public List<String> command() {
    return command;
  }

  /** @return the working folder, if set */
  public Optional<Path> directory() {
    return Optional.ofNullable(directory);
  }

  /** @return extra environment variables */
  public Map<String, String> environment() {
    return environment;
  }

  /** @return the URL that answers 2xx when the service is ready, if set */
  public Optional<URI> readinessUrl() {
    return Optional.ofNullable(readinessUrl);
  }

  /** @return the loopback TCP port that accepts connections when the service is ready, if set */
  public OptionalInt readinessPort() {
    return readinessPort > 0 ? OptionalInt.of(readinessPort) : OptionalInt.empty();
  }

  /** @return how long the process gets after SIGTERM before SIGKILL */
  public Duration stopGrace() {
    return stopGrace;
  }

  /** @return where the process id is kept, so that another JVM can stop it, if set */
  public Optional<Path> pidFile() {
    return Optional.ofNullable(pidFile);
  }

  /** @return where stdout and stderr are appended, if set (otherwise discarded) */
  public Optional<Path> logFile() {
    return Optional.ofNullable(logFile);
  }

  @Override
  public String toString() {
    return "ProcessSpec" + command;
  }

  /** Builds a {@link ProcessSpec}; {@link #build()} reports every problem at once. */
  public static final class Builder {
    private final List<String> command;
    private @Nullable Path directory;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private @Nullable URI readinessUrl;
    private int readinessPort;
    private Duration stopGrace = Duration.ofSeconds(10);
    private @Nullable Path pidFile;
    private @Nullable Path logFile;
    private final List<String> problems = new ArrayList<>();

    private Builder(List<String> command) {
      this.command = new ArrayList<>(command);
    }

    /**
     * @param directory the working folder
     * @return this builder
     */
    public Builder directory(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * @param name a variable
     * @param value its value
     * @return this builder
     */
    public Builder env(String name, String value) {
      if (name == null || name.isBlank() || value == null) {
        problems.add("env needs a non-blank name and a value, but was " + name + "=" + value);
      } else {
        environment.put(name, value);
      }
      return this;
    }

    /**
     * @param url an http or https URL answering 2xx when the service is ready
     * @return this builder
     */
    public Builder readinessUrl(URI url) {
      if (url == null || url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
        problems.add("readinessUrl must be an http or https URL, but was " + url + ": e.g. http://127.0.0.1:8080/health");
      } else {
        this.readinessUrl = url;
      }
      return this;
    }

    /**
     * @param port a loopback TCP port that accepts connections when the service is ready
     * @return this builder
     */
    public Builder readinessPort(int port) {
      if (port < 1 || port > 65535) {
        problems.add("readinessPort must be between 1 and 65535, but was " + port);
      } else {
        this.readinessPort = port;
      }
      return this;
    }

    /**
     * @param grace how long the process gets after SIGTERM before SIGKILL; positive; default 10 s
     * @return this builder
     */
    public Builder stopGrace(Duration grace) {
      if (grace == null || grace.isNegative() || grace.isZero()) {
        problems.add("stopGrace must be positive, but was " + grace + ": e.g. Duration.ofSeconds(10)");
      } else {
        this.stopGrace = grace;
      }
      return this;
    }

    /**
     * @param pidFile where the process id is written, so that a resumed run in another JVM can stop it
     * @return this builder
     */
    public Builder pidFile(Path pidFile) {
      this.pidFile = Objects.requireNonNull(pidFile, "pidFile");
      return this;
    }

    /**
     * @param logFile where stdout and stderr are appended
     * @return this builder
     */
    public Builder logFile(Path logFile) {
      this.logFile = Objects.requireNonNull(logFile, "logFile");
      return this;
    }

    /**
     * @return the spec
     * @throws RollbackException listing every problem found
     */
    public ProcessSpec build() {
      List<String> all = new ArrayList<>(problems);
      if (command.isEmpty() || command.get(0) == null || command.get(0).isBlank()) {
        all.add("command must name a program as its first element, but was " + command + ": e.g. builder(\"java\", \"-jar\", \"app.jar\")");
      } else if (command.stream().anyMatch(Objects::isNull)) {
        all.add("command must not hold null arguments, but was " + command);
      }
      if (!all.isEmpty()) {
        throw RollbackException.invalid("invalid process spec", all);
      }
      return new ProcessSpec(this);
    }
  }
}
