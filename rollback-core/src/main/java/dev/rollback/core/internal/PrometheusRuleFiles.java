package dev.rollback.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollback.core.monitor.TemporaryAlertRules;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Prometheus rule files: rendering, writing atomically, reloading, and looking a group up. */
public final class PrometheusRuleFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param prometheus the server
   * @param timeout the timeout of each request
   */
  public PrometheusRuleFiles(URI prometheus, Duration timeout) {
    String s = prometheus.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /**
   * Renders one rule group as YAML (every string double-quoted and escaped).
   *
   * @param group the group's name
   * @param rules the rules
   * @param forDuration the {@code for:} of every rule
   * @param labels the labels of every rule
   * @param comment a comment line for people reading the file
   * @return the YAML text
   */
  public static String render(String group, List<TemporaryAlertRules.Rule> rules, Duration forDuration, Map<String, String> labels,
      String comment) {
    StringBuilder y = new StringBuilder();
    y.append("# ").append(comment.replace('\n', ' ')).append('\n');
    y.append("groups:\n");
    y.append("  - name: ").append(quote(group)).append('\n');
    y.append("    rules:\n");
    for (TemporaryAlertRules.Rule r : rules) {
      y.append("      - alert: ").append(quote(r.alert())).append('\n');
      y.append("        expr: ").append(quote(r.condition())).append('\n');
      y.append("        for: ").append(promDuration(forDuration)).append('\n');
      y.append("        labels:\n");
      for (Map.Entry<String, String> l : labels.entrySet()) {
        y.append("          ").append(l.getKey()).append(": ").append(quote(l.getValue())).append('\n');
      }
      y.append("        annotations:\n");
      y.append("          summary: ").append(quote(r.summary())).append('\n');
    }
    return y.toString();
  }

  static String quote(String s) {
    StringBuilder q = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> q.append("\\\\");
        case '"' -> q.append("\\\"");
        case '\n' -> q.append("\\n");
        case '\r' -> q.append("\\r");
        case '\t' -> q.append("\\t");
        default -> q.append(c);
      }
    }
    return q.append('"').toString();
  }

  static String promDuration(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  /**
   * Writes a file atomically (a temporary file in the same folder, then a move).
   *
   * @param file the file
   * @param text its content
   * @throws IOException when it cannot be written
   */
  public void write(Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IOException("the rules folder " + dir + " does not exist: create it and list " + dir + "/*.yml in Prometheus' rule_files");
    }
    Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * @param file the file
   * @return true when it existed and was deleted
   * @throws IOException when it cannot be deleted
   */
  public boolean delete(Path file) throws IOException {
    return Files.deleteIfExists(file);
  }

  /**
   * Asks Prometheus to reload its configuration and rule files.
   *
   * @throws IOException when Prometheus cannot be reached or the reload fails
   * @throws InterruptedException when interrupted
   */
  public void reload() throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/-/reload")).timeout(timeout)
        .POST(HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() / 100 != 2) {
      String hint = response.statusCode() == 403 || response.statusCode() == 405
          ? ": start Prometheus with --web.enable-lifecycle" : "";
      throw new IOException("Prometheus at " + base + " refused POST /-/reload with HTTP " + response.statusCode() + ": "
          + response.body().strip() + hint);
    }
  }

  /**
   * @param group a rule group name
   * @return whether Prometheus lists it; false when Prometheus cannot be asked
   */
  public boolean groupVisible(String group) {
    try {
      return groupVisibleOrThrow(group);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * @param group a rule group name
   * @return whether Prometheus lists it in {@code /api/v1/rules}
   * @throws IOException when Prometheus cannot be asked
   * @throws InterruptedException when interrupted
   */
  public boolean groupVisibleOrThrow(String group) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/rules")).timeout(timeout).GET().build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() / 100 != 2) {
      throw new IOException("Prometheus at " + base + " answered /api/v1/rules with HTTP " + response.statusCode());
    }
    JsonNode groups = JSON.readTree(response.body()).path("data").path("groups");
    for (JsonNode g : groups) {
      if (group.equals(g.path("name").asText())) {
        return true;
      }
    }
    return false;
  }
}
