package dev.rollback.k8s.internal;

import java.util.Objects;

/**
 * Reads and rewrites container image references ({@code registry:5000/team/app:v1.2.9@sha256:..}):
 * the tag is what follows the last {@code :} after the last {@code /}, before any digest.
 */
public final class ImageRefs {
  private ImageRefs() {}

  /**
   * @param image an image reference
   * @return its tag; {@code latest} when it has neither tag nor digest; the digest when it has only
   *     a digest
   */
  public static String tag(String image) {
    Objects.requireNonNull(image, "image");
    String noDigest = image;
    String digest = null;
    int at = image.indexOf('@');
    if (at >= 0) {
      noDigest = image.substring(0, at);
      digest = image.substring(at + 1);
    }
    int slash = noDigest.lastIndexOf('/');
    int colon = noDigest.lastIndexOf(':');
    if (colon > slash) {
      return noDigest.substring(colon + 1);
    }
    return digest != null ? digest : "latest";
  }

  /**
   * @param image an image reference
   * @return the repository: the reference without tag and digest
   */
  public static String repository(String image) {
    String noDigest = image.indexOf('@') >= 0 ? image.substring(0, image.indexOf('@')) : image;
    int slash = noDigest.lastIndexOf('/');
    int colon = noDigest.lastIndexOf(':');
    return colon > slash ? noDigest.substring(0, colon) : noDigest;
  }

  /**
   * @param repository an image repository without tag
   * @param tag a tag
   * @return {@code repository:tag}
   */
  public static String withTag(String repository, String tag) {
    return repository + ":" + tag;
  }

  /**
   * @param tag a version used as an image tag
   * @return whether Docker accepts it as a tag ({@code [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}})
   */
  public static boolean validTag(String tag) {
    return tag.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  }
}
