package dev.rollback.core.internal;

import dev.rollback.core.version.TagFilter;
import dev.rollback.core.version.VersionTag;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tags of a repository at one moment: every tag peeled to the commit it names, in the order of
 * {@code git tag --sort=-version:refname}. Immutable.
 *
 * <p>Annotated tags are peeled through their tag objects (a chain of tags is followed); their time
 * is the tagger's. Lightweight tags name their object directly; their time is the commit's
 * committer time. A tag that does not end at a commit (a tag on a tree or a blob) or whose object
 * is missing is left out of the list and logged at debug level; {@link #notACommit(String)} says
 * why.
 */
public final class GitTags {
  private static final Logger log = LoggerFactory.getLogger(GitTags.class);

  private final List<VersionTag> accepted;
  private final Map<String, VersionTag> acceptedByName;
  private final Map<String, VersionTag> commitTags;
  private final Map<String, String> notCommits;

  private GitTags(List<VersionTag> accepted, Map<String, VersionTag> commitTags, Map<String, String> notCommits) {
    this.accepted = List.copyOf(accepted);
    Map<String, VersionTag> byName = new HashMap<>();
    for (VersionTag t : accepted) {
      byName.put(t.name(), t);
    }
    this.acceptedByName = Collections.unmodifiableMap(byName);
    this.commitTags = Collections.unmodifiableMap(commitTags);
    this.notCommits = Collections.unmodifiableMap(notCommits);
  }

  /**
   * Reads every tag of a repository.
   *
   * @param repo the repository
   * @param order the version order (with the suffixes to use)
   * @param filter which tags count as versions
   * @return the tags
   * @throws IOException when the refs or objects cannot be read
   */
  public static GitTags read(Repository repo, GitVersionOrder order, TagFilter filter) throws IOException {
    List<Ref> refs = repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS);
    Map<String, VersionTag> commitTags = new LinkedHashMap<>();
    Map<String, String> notCommits = new LinkedHashMap<>();
    try (RevWalk walk = new RevWalk(repo)) {
      for (Ref ref : refs) {
        String name = ref.getName().substring(Constants.R_TAGS.length());
        ObjectId id = ref.getObjectId();
        if (id == null) {
          // A symbolic ref under refs/tags pointing nowhere.
          notCommits.put(name, "points to nothing (a dangling symbolic ref)");
          log.debug("tag '{}' skipped: it points to nothing", name);
          continue;
        }
        try {
          VersionTag tag = peel(walk, name, id);
          if (tag != null) {
            commitTags.put(name, tag);
          } else {
            String what = describe(walk, id);
            notCommits.put(name, "points to " + what + ", not to a commit");
            log.debug("tag '{}' skipped: it points to {}, not to a commit", name, what);
          }
        } catch (MissingObjectException e) {
          notCommits.put(name, "points to object " + e.getObjectId().name() + ", which is missing from the repository");
          log.debug("tag '{}' skipped: object {} is missing", name, e.getObjectId().name());
        }
      }
    }
    List<VersionTag> accepted = new ArrayList<>(commitTags.size());
    for (VersionTag t : commitTags.values()) {
      if (filter.accepts(t.name())) {
        accepted.add(t);
      }
    }
    return new GitTags(order.newestFirst(accepted, VersionTag::name), commitTags, notCommits);
  }

  /** @return the peeled tag, or null when the tag does not end at a commit */
  private static @Nullable VersionTag peel(RevWalk walk, String name, ObjectId id) throws IOException {
    RevObject object = walk.parseAny(id);
    if (object instanceof RevCommit) {
      RevCommit commit = (RevCommit) object;
      PersonIdent committer = commit.getCommitterIdent();
      Instant at = committer != null ? committer.getWhenAsInstant() : Instant.ofEpochSecond(commit.getCommitTime());
      return new VersionTag(name, commit.name(), false, at);
    }
    if (!(object instanceof RevTag)) {
      return null;
    }
    RevTag tag = (RevTag) object;
    PersonIdent tagger = tag.getTaggerIdent();
    Instant taggedAt = tagger != null ? tagger.getWhenAsInstant() : null;
    // The tag object names the type of its target, so a commit need not be read to be known.
    RevObject target = tag.getObject();
    while (target instanceof RevTag) {
      walk.parseHeaders(target);
      target = ((RevTag) target).getObject();
    }
    if (target.getType() != Constants.OBJ_COMMIT) {
      return null;
    }
    return new VersionTag(name, target.name(), true, taggedAt);
  }

  /** @return e.g. "a tree 1a2b3c4" for the object a tag ends at */
  private static String describe(RevWalk walk, ObjectId id) throws IOException {
    RevObject object = walk.parseAny(id);
    while (object instanceof RevTag) {
      RevObject target = ((RevTag) object).getObject();
      if (target instanceof RevTag) {
        walk.parseHeaders(target);
      }
      object = target;
    }
    return "a " + Constants.typeString(object.getType()) + " " + object.abbreviate(7).name();
  }

  /** @return the tags the filter accepts, newest first */
  public List<VersionTag> newestFirst() {
    return accepted;
  }

  /**
   * @param name a tag name
   * @return the tag, when it resolves to a commit and the filter accepts it
   */
  public Optional<VersionTag> accepted(String name) {
    return Optional.ofNullable(acceptedByName.get(name));
  }

  /**
   * @param name a tag name
   * @return the tag, when it resolves to a commit, whether or not the filter accepts it
   */
  public Optional<VersionTag> anyCommitTag(String name) {
    return Optional.ofNullable(commitTags.get(name));
  }

  /**
   * @param name a tag name
   * @return why the tag was left out, when it exists but does not resolve to a commit
   */
  public Optional<String> notACommit(String name) {
    return Optional.ofNullable(notCommits.get(name));
  }

  /** @return the names of every tag in the repository, commit or not */
  public List<String> allNames() {
    List<String> names = new ArrayList<>(commitTags.size() + notCommits.size());
    names.addAll(commitTags.keySet());
    names.addAll(notCommits.keySet());
    return names;
  }
}
