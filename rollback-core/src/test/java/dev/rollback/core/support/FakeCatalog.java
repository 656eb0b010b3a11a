package dev.rollback.core.support;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.version.FileChange;
import dev.rollback.core.version.VersionCatalog;
import dev.rollback.core.version.VersionTag;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Tags given newest first; verify accepts any listed tag. For selection and precheck logic tests. */
public final class FakeCatalog implements VersionCatalog {
  private final List<VersionTag> tags;

  public FakeCatalog(String... newestFirst) {
    this.tags = Arrays.stream(newestFirst).map(n -> new VersionTag(n, "c0ffee" + n.hashCode(), true, null)).toList();
  }

  @Override
  public List<VersionTag> tags() {
    return tags;
  }

  @Override
  public VersionTag verify(String tag) {
    return find(tag).orElseThrow(() -> new RollbackException(ErrorCode.VERSION_REJECTED, "tag " + tag + " does not exist"));
  }

  @Override
  public List<FileChange> changes(String tag) {
    return List.of();
  }

  @Override
  public List<FileChange> changesBetween(String from, String to) {
    return List.of();
  }

  @Override
  public Optional<byte[]> read(String tag, String path) {
    return Optional.empty();
  }

  @Override
  public List<String> list(String tag, String dir) {
    return List.of();
  }
}
