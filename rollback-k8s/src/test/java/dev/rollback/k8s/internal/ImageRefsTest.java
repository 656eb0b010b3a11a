package dev.rollback.k8s.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The version of an image is its tag; registries with ports and digests do not confuse it. */
class ImageRefsTest {

  @Test
  void theTagFollowsTheLastColonAfterTheLastSlash() {
    assertThat(ImageRefs.tag("registry.example.com/checkout:v1.2.9")).isEqualTo("v1.2.9");
    assertThat(ImageRefs.tag("registry.example.com:5000/team/checkout:v1.2.9")).isEqualTo("v1.2.9");
    assertThat(ImageRefs.tag("checkout:1.2.9-rc.1")).isEqualTo("1.2.9-rc.1");
  }

  @Test
  void aDigestIsNotPartOfTheTag() {
    assertThat(ImageRefs.tag("registry.example.com:5000/checkout:v1.2.9@sha256:0123abcd")).isEqualTo("v1.2.9");
    assertThat(ImageRefs.tag("registry.example.com:5000/checkout@sha256:0123abcd")).isEqualTo("sha256:0123abcd");
  }

  @Test
  void noTagMeansLatestEvenWithARegistryPort() {
    assertThat(ImageRefs.tag("registry.example.com:5000/checkout")).isEqualTo("latest");
    assertThat(ImageRefs.tag("checkout")).isEqualTo("latest");
  }

  @Test
  void theRepositoryIsTheReferenceWithoutTagAndDigest() {
    assertThat(ImageRefs.repository("registry.example.com:5000/team/checkout:v1.2.9@sha256:0123abcd"))
        .isEqualTo("registry.example.com:5000/team/checkout");
    assertThat(ImageRefs.repository("registry.example.com:5000/checkout")).isEqualTo("registry.example.com:5000/checkout");
    assertThat(ImageRefs.withTag("registry.example.com:5000/checkout", "v1.2.8")).isEqualTo("registry.example.com:5000/checkout:v1.2.8");
  }

  @Test
  void onlyDockerTagsAreValidTags() {
    assertThat(ImageRefs.validTag("v1.2.9")).isTrue();
    assertThat(ImageRefs.validTag("1.2.9_build-7")).isTrue();
    assertThat(ImageRefs.validTag("release/1.2.9")).isFalse();
    assertThat(ImageRefs.validTag(".hidden")).isFalse();
    assertThat(ImageRefs.validTag("x".repeat(129))).isFalse();
  }
}
