package dev.rollback.core.internal;

import dev.rollback.core.version.FileChange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.diff.RenameDetector;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.patch.FileHeader;
import org.eclipse.jgit.util.io.DisabledOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * The files that differ between two trees, with added and deleted line counts as {@code git diff
 * --numstat} gives them: rename detection on (git's default similarity of 50% and, unless {@code
 * diff.renameLimit} is set, git 2.39's default limit of 1,000 files), exact line comparison, binary files
 * counted as 0 added and 0 deleted (git's numstat shows {@code -}).
 */
public final class GitDiffStat {
  /** git's default {@code -M} similarity, in percent. */
  private static final int GIT_RENAME_SCORE = 50;
  /** git's default {@code diff.renameLimit} (1,000 in git 2.39). */
  private static final int GIT_RENAME_LIMIT = 1000;

  private GitDiffStat() {}

  /**
   * @param repo the repository holding both trees
   * @param oldTree the tree before (null for the empty tree, e.g. before a root commit)
   * @param newTree the tree after
   * @return one entry per changed file, in git's order (by path)
   * @throws IOException when an object cannot be read
   */
  public static List<FileChange> between(Repository repo, @Nullable AnyObjectId oldTree, AnyObjectId newTree)
      throws IOException {
    try (DiffFormatter formatter = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
      formatter.setRepository(repo);
      formatter.setDiffComparator(RawTextComparator.DEFAULT);
      formatter.setDetectRenames(true);
      RenameDetector renames = formatter.getRenameDetector();
      renames.setRenameScore(GIT_RENAME_SCORE);
      if (repo.getConfig().getString("diff", null, "renameLimit") == null) {
        renames.setRenameLimit(GIT_RENAME_LIMIT);
      }
      List<DiffEntry> entries = formatter.scan(oldTree, newTree);
      List<FileChange> changes = new ArrayList<>(entries.size());
      for (DiffEntry entry : entries) {
        FileHeader header = formatter.toFileHeader(entry);
        int added = 0;
        int deleted = 0;
        if (header.getPatchType() == FileHeader.PatchType.UNIFIED) {
          for (Edit edit : header.toEditList()) {
            added += edit.getLengthB();
            deleted += edit.getLengthA();
          }
        }
        changes.add(toChange(entry, added, deleted));
      }
      return changes;
    }
  }

  private static FileChange toChange(DiffEntry entry, int added, int deleted) {
    switch (entry.getChangeType()) {
      case ADD:
        return new FileChange(entry.getNewPath(), null, FileChange.Type.ADD, added, deleted);
      case DELETE:
        return new FileChange(entry.getOldPath(), null, FileChange.Type.DELETE, added, deleted);
      case RENAME:
        return new FileChange(entry.getNewPath(), entry.getOldPath(), FileChange.Type.RENAME, added, deleted);
      case COPY:
        return new FileChange(entry.getNewPath(), entry.getOldPath(), FileChange.Type.COPY, added, deleted);
      case MODIFY:
      default:
        return new FileChange(entry.getNewPath(), null, FileChange.Type.MODIFY, added, deleted);
    }
  }
}
