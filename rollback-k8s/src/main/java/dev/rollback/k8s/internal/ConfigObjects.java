package dev.rollback.k8s.internal;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads, snapshots and writes ConfigMaps and Secrets in one namespace. Their data goes from the
 * cluster to the cluster only: nothing here logs or returns it in text; {@link Content#toString()}
 * names the keys and nothing else.
 */
public final class ConfigObjects {
  /** Label: the name of the object a snapshot copies (or a hash when the name is no label value). */
  public static final String SNAPSHOT_OF = "rollback.dev/snapshot-of";
  /** Label: the short id of the run that took the snapshot. */
  public static final String RUN = "rollback.dev/run";
  /** Label: the version running when the snapshot was taken. */
  public static final String VERSION = "rollback.dev/version";
  /** Annotation: {@code <kind>/<namespace>/<name>} of the original. */
  public static final String ORIGIN = "rollback.dev/origin";
  /** Annotation: the original's name, exactly. */
  public static final String ORIGIN_NAME = "rollback.dev/origin-name";
  /** Annotation: the original's resourceVersion when it was copied. */
  public static final String ORIGIN_RESOURCE_VERSION = "rollback.dev/origin-resource-version";
  /** Annotation: the full run id. */
  public static final String RUN_ID = "rollback.dev/run-id";
  /** Annotation: the version running when the snapshot was taken, exactly. */
  public static final String VERSION_EXACT = "rollback.dev/version";
  /** Annotation: when the snapshot was taken (run clock). */
  public static final String SNAPSHOT_AT = "rollback.dev/snapshot-at";

  private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  private static final Pattern HEX_SUFFIX = Pattern.compile(".*-([0-9a-f]{8})");

  private final KubernetesClient client;
  private final String namespace;

  /**
   * @param client the client
   * @param namespace the namespace
   */
  public ConfigObjects(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /**
   * The data of a ConfigMap or Secret. For a Secret {@code data} holds base64 values, as the API
   * does; for a ConfigMap {@code data} is text and {@code binaryData} base64.
   *
   * @param data the data
   * @param binaryData a ConfigMap's binary data
   * @param type a Secret's type, or null
   */
  public record Content(Map<String, String> data, Map<String, String> binaryData, @Nullable String type) {
    /** Copies and sorts the maps. */
    public Content {
      data = java.util.Collections.unmodifiableMap(new TreeMap<>(data));
      binaryData = java.util.Collections.unmodifiableMap(new TreeMap<>(binaryData));
    }

    /** @return every key, sorted */
    public List<String> keys() {
      List<String> k = new ArrayList<>(data.keySet());
      k.addAll(binaryData.keySet());
      return k.stream().sorted().toList();
    }

    /**
     * @param secret whether {@code data} is base64 (a Secret)
     * @param other other content
     * @return whether both hold the same bytes under the same keys
     */
    public boolean sameBytes(boolean secret, Content other) {
      return bytes(secret).keySet().equals(other.bytes(secret).keySet())
          && bytes(secret).entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), other.bytes(secret).get(e.getKey())));
    }

    private Map<String, byte[]> bytes(boolean secret) {
      Map<String, byte[]> b = new TreeMap<>();
      data.forEach((k, v) -> b.put(k, secret ? Base64.getMimeDecoder().decode(v) : v.getBytes(StandardCharsets.UTF_8)));
      binaryData.forEach((k, v) -> b.put(k, Base64.getMimeDecoder().decode(v)));
      return b;
    }

    /**
     * @param secret whether {@code data} is base64 (a Secret)
     * @return a SHA-256 over the sorted keys and their bytes, first 16 hex digits
     */
    public String sha256(boolean secret) {
      try {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (Map.Entry<String, byte[]> e : bytes(secret).entrySet()) {
          md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
          md.update((byte) 0);
          md.update(e.getValue());
          md.update((byte) 0);
        }
        return HexFormat.of().formatHex(md.digest(), 0, 8);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is missing from this JVM", e);
      }
    }

    /** @return the keys only; never the data */
    @Override
    public String toString() {
      return "Content[keys=" + keys() + "]";
    }
  }

  /**
   * A live object.
   *
   * @param kind {@code ConfigMap} or {@code Secret}
   * @param name its name
   * @param content its data
   * @param immutable whether it is marked immutable
   * @param resourceVersion its resourceVersion
   * @param annotations its annotations
   * @param created its creation time, if known
   */
  public record Live(String kind, String name, Content content, boolean immutable, String resourceVersion,
      Map<String, String> annotations, @Nullable Instant created) {
    /** @return the keys only; never the data */
    @Override
    public String toString() {
      return "Live[" + kind + "/" + name + ", " + content + "]";
    }
  }

  /**
   * @param kind {@code ConfigMap} or {@code Secret}
   * @param name the name
   * @return the object, or empty when it does not exist
   */
  public Optional<Live> read(String kind, String name) {
    if (ConfigObjectRef.SECRET.equals(kind)) {
      return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get()).map(ConfigObjects::live);
    }
    return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get()).map(ConfigObjects::live);
  }

  /**
   * Copies an object into an immutable snapshot, unless a snapshot with that name already exists
   * (a resumed run keeps the copy it took first).
   *
   * @param origin the live object
   * @param snapshotName the snapshot's name
   * @param labels its labels
   * @param annotations its annotations
   * @return true when the snapshot was created now, false when it existed
   */
  public boolean snapshot(Live origin, String snapshotName, Map<String, String> labels, Map<String, String> annotations) {
    if (read(origin.kind(), snapshotName).isPresent()) {
      return false;
    }
    Content c = origin.content();
    if (ConfigObjectRef.SECRET.equals(origin.kind())) {
      client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(snapshotName)
          .withLabels(labels).withAnnotations(annotations).endMetadata()
          .withType(c.type()).withData(c.data()).withImmutable(true).build()).create();
    } else {
      client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName(snapshotName)
          .withLabels(labels).withAnnotations(annotations).endMetadata()
          .withData(c.data()).withBinaryData(c.binaryData().isEmpty() ? null : c.binaryData()).withImmutable(true).build()).create();
    }
    return true;
  }

  /**
   * @param kind {@code ConfigMap} or {@code Secret}
   * @param name the original's name
   * @param version the version that was running when the snapshot was taken
   * @return the newest snapshot of that object taken while that version ran
   */
  public Optional<Live> newestSnapshot(String kind, String name, String version) {
    Map<String, String> selector = Map.of(SNAPSHOT_OF, labelValue(name), VERSION, labelValue(version));
    List<? extends HasMetadata> items = ConfigObjectRef.SECRET.equals(kind)
        ? client.secrets().inNamespace(namespace).withLabels(selector).list().getItems()
        : client.configMaps().inNamespace(namespace).withLabels(selector).list().getItems();
    return items.stream().map(ConfigObjects::live)
        .filter(l -> name.equals(l.annotations().get(ORIGIN_NAME)) && version.equals(l.annotations().get(VERSION_EXACT)))
        .max(Comparator.comparing(ConfigObjects::takenAt));
  }

  /**
   * Replaces an object's data (a JSON patch of {@code /data} and {@code /binaryData}).
   *
   * @param live the object as read
   * @param content the new data
   */
  public void write(Live live, Content content) {
    PatchOperations patch = new PatchOperations().add("/data", content.data());
    boolean hadBinary = !live.content().binaryData().isEmpty();
    if (!content.binaryData().isEmpty()) {
      patch.add("/binaryData", content.binaryData());
    } else if (hadBinary) {
      patch.remove("/binaryData");
    }
    if (ConfigObjectRef.SECRET.equals(live.kind())) {
      client.secrets().inNamespace(namespace).withName(live.name()).patch(PatchContext.of(PatchType.JSON), patch.toJson());
    } else {
      client.configMaps().inNamespace(namespace).withName(live.name()).patch(PatchContext.of(PatchType.JSON), patch.toJson());
    }
  }

  /**
   * Creates an object that did not exist.
   *
   * @param kind {@code ConfigMap} or {@code Secret}
   * @param name its name
   * @param content its data
   * @param labels its labels
   */
  public void create(String kind, String name, Content content, Map<String, String> labels) {
    if (ConfigObjectRef.SECRET.equals(kind)) {
      client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
          .withType(content.type()).withData(content.data()).build()).create();
    } else {
      client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName(name).withLabels(labels)
          .endMetadata().withData(content.data()).withBinaryData(content.binaryData().isEmpty() ? null : content.binaryData()).build())
          .create();
    }
  }

  /**
   * @param kind {@code ConfigMap} or {@code Secret}
   * @param name the object to delete
   */
  public void delete(String kind, String name) {
    if (ConfigObjectRef.SECRET.equals(kind)) {
      client.secrets().inNamespace(namespace).withName(name).delete();
    } else {
      client.configMaps().inNamespace(namespace).withName(name).delete();
    }
  }

  /**
   * @param name an object name
   * @param runId the run id
   * @return {@code <name>-rb-<short run id>}: the run id's 8-hex suffix, or a hash of it
   */
  public static String snapshotName(String name, String runId) {
    String suffix = "-rb-" + shortRunId(runId);
    String base = name.length() + suffix.length() > 253 ? name.substring(0, 253 - suffix.length()).replaceAll("[-.]+$", "") : name;
    return base + suffix;
  }

  /**
   * @param runId a run id, e.g. {@code checkout-20261128-091500-3fa9c2d1}
   * @return its random suffix ({@code 3fa9c2d1}), or the first 8 hex digits of its SHA-256
   */
  public static String shortRunId(String runId) {
    java.util.regex.Matcher m = HEX_SUFFIX.matcher(runId);
    return m.matches() ? m.group(1) : hash(runId);
  }

  /**
   * @param value any text
   * @return the text when it is a valid label value, else a sanitised prefix with a hash appended
   */
  public static String labelValue(String value) {
    if (LABEL_VALUE.matcher(value).matches()) {
      return value;
    }
    String clean = value.replaceAll("[^-A-Za-z0-9_.]", "-");
    clean = clean.substring(0, Math.min(clean.length(), 54)).replaceAll("^[-_.]+|[-_.]+$", "");
    return (clean.isEmpty() ? "x" : clean) + "-" + hash(value);
  }

  private static String hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static Instant takenAt(Live l) {
    String at = l.annotations().get(SNAPSHOT_AT);
    if (at != null) {
      return Instant.parse(at);
    }
    return l.created() == null ? Instant.EPOCH : l.created();
  }

  private static Live live(HasMetadata o) {
    Map<String, String> annotations = o.getMetadata().getAnnotations() == null ? Map.of() : o.getMetadata().getAnnotations();
    String ts = o.getMetadata().getCreationTimestamp();
    Instant created = ts == null ? null : Instant.parse(ts);
    if (o instanceof Secret s) {
      Content c = new Content(s.getData() == null ? Map.of() : s.getData(), Map.of(), s.getType());
      return new Live(ConfigObjectRef.SECRET, s.getMetadata().getName(), c, Boolean.TRUE.equals(s.getImmutable()),
          s.getMetadata().getResourceVersion(), annotations, created);
    }
    ConfigMap m = (ConfigMap) o;
    Content c = new Content(m.getData() == null ? Map.of() : m.getData(), m.getBinaryData() == null ? Map.of() : m.getBinaryData(), null);
    return new Live(ConfigObjectRef.CONFIG_MAP, m.getMetadata().getName(), c, Boolean.TRUE.equals(m.getImmutable()),
        m.getMetadata().getResourceVersion(), annotations, created);
  }

  /**
   * @param kind a kind
   * @return its lower-case form for names and messages
   */
  public static String lower(String kind) {
    return kind.toLowerCase(Locale.ROOT);
  }

  /**
   * @param files file name → bytes
   * @return ConfigMap content: UTF-8 text in {@code data}, anything else base64 in {@code binaryData}
   */
  public static Content configMapOf(Map<String, byte[]> files) {
    Map<String, String> data = new LinkedHashMap<>();
    Map<String, String> binary = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      java.nio.charset.CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder();
      try {
        data.put(e.getKey(), dec.decode(java.nio.ByteBuffer.wrap(e.getValue())).toString());
      } catch (java.nio.charset.CharacterCodingException notText) {
        binary.put(e.getKey(), Base64.getEncoder().encodeToString(e.getValue()));
      }
    }
    return new Content(data, binary, null);
  }
}
