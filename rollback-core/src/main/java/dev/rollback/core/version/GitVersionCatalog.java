package dev.rollback.core.version;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import dev.rollback.core.internal.GitDiffStat;
import dev.rollback.core.internal.GitRemoteCache;
import dev.rollback.core.internal.GitRepositoryOpener;
import dev.rollback.core.internal.GitTags;
import dev.rollback.core.internal.GitTreeFiles;
import dev.rollback.core.internal.GitVersionOrder;
import dev.rollback.core.internal.NearestNames;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.jspecify.annotations.Nullable;

/**
 * The versions of a service as the tags of its git repository, read with JGit: a local repository,
 * or a remote one cloned into a cache folder and fetched when opened and on {@link #refresh()}.
 *
 * <pre>{@code
 * try (GitVersionCatalog versions = GitVersionCatalog.open(Path.of("/srv/checkout-api"))) {
 *   VersionTag target = versions.verify("v1.2.9");     // exists, on the release branch
 *   List<FileChange> changed = versions.changes("v1.2.10");
 * }
 *
 * GitVersionCatalog remote = GitVersionCatalog.builder()
 *     .remote("https://git.example.com/team/checkout-api.git", Path.of("/var/cache/rollback/checkout-api"))
 *     .credentials("deploy-bot", Secret.of(System.getenv("GIT_TOKEN")))
 *     .branch("main")
 *     .filter(TagFilter.glob("v*"))
 *     .requiredFiles("deploy/app.yaml", "migrations/")
 *     .build();
 * }</pre>
 *
 * <p><b>Order.</b> {@link #tags()} lists the versions exactly as {@code git tag
 * --sort=-version:refname} does, newest first, including git's handling of {@code
 * versionsort.suffix} (read from the repository's configuration, with the user's and the system's,
 * unless {@link Builder#versionSortSuffixes(List)} is given). Without a suffix setting git sorts
 * {@code v1.0-rc1} <em>after</em> {@code v1.0}; set {@code versionsort.suffix=-rc} to make release
 * candidates older than their release.
 *
 * <p><b>Tags.</b> Annotated and lightweight tags count; each is peeled to its commit. A tag that
 * does not end at a commit (a tag on a tree or a blob) is left out and logged at debug level. A
 * repository without tags has an empty catalogue; that is not an error. The list is read once and
 * kept until {@link #refresh()}.
 *
 * <p><b>Files and diffs.</b> {@link #read}, {@link #list}, {@link #changes} and {@link
 * #changesBetween} take any tag that resolves to a commit, whether or not the {@linkplain
 * Builder#filter(TagFilter) filter} accepts it; {@link #verify} and {@link #tags()} only those the
 * filter accepts. A tag that does not exist is rejected with {@link ErrorCode#VERSION_REJECTED}.
 *
 * <p><b>Resources and threads.</b> A catalogue holds the repository open: {@link #close()} it when
 * done (it is {@link AutoCloseable}); after that every method throws. A catalogue is thread-safe.
 *
 * @since 0.1.0
 */
public final class GitVersionCatalog implements VersionCatalog, AutoCloseable {
  private static final int NEAREST_NAMES = 5;

  private final Repository repo;
  private final String source;
  private final @Nullable GitRemoteCache remote;
  private final @Nullable String branch;
  private final TagFilter filter;
  private final @Nullable List<String> suffixes;
  private final List<String> requiredFiles;
  private final Object lock = new Object();
  private volatile @Nullable GitTags snapshot;
  private volatile boolean closed;

  private GitVersionCatalog(Repository repo, String source, @Nullable GitRemoteCache remote, @Nullable String branch,
      TagFilter filter, @Nullable List<String> suffixes, List<String> requiredFiles) {
    this.repo = repo;
    this.source = source;
    this.remote = remote;
    this.branch = branch;
    this.filter = filter;
    this.suffixes = suffixes;
    this.requiredFiles = requiredFiles;
  }

  /**
   * Opens the catalogue of a local repository with the defaults: every tag, the branch {@code HEAD}
   * names as the release branch, the suffixes of the repository's configuration, no required files.
   *
   * @param repository the repository's folder: a work tree holding {@code .git}, or a bare
   *     repository
   * @return the catalogue; close it when done
   * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} naming the path when it
   *     does not exist, cannot be read or is not a git repository
   */
  public static GitVersionCatalog open(Path repository) {
    return builder().repository(repository).build();
  }

  /** @return a builder; give it {@link Builder#repository(Path)} or {@link Builder#remote(String, Path)} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The tags the filter accepts that resolve to a commit, newest first, exactly as {@code git tag
   * --sort=-version:refname} lists them; empty for a repository without tags. Read once and kept
   * until {@link #refresh()}.
   *
   * @throws RollbackException with {@link ErrorCode#REPOSITORY_FAILURE} when the repository cannot
   *     be read
   */
  @Override
  public List<VersionTag> tags() {
    return snapshot().newestFirst();
  }

  /**
   * {@inheritDoc}
   *
   * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} when the filter is null
   */
  @Override
  public List<VersionTag> tags(TagFilter filter) {
    if (filter == null) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "tag filter must not be null: give e.g."
          + " TagFilter.glob(\"v*\"), or call tags() for every tag");
    }
    return VersionCatalog.super.tags(filter);
  }

  /**
   * @param name a tag name
   * @return the tag, when it exists, resolves to a commit and the catalogue's filter accepts it
   */
  @Override
  public Optional<VersionTag> find(String name) {
    return name == null ? Optional.empty() : snapshot().accepted(name);
  }

  /**
   * Forgets the tags read so far, so that the next call reads them again; for a remote catalogue,
   * fetches the remote first (new tags and branches, and deleted ones removed). Also re-reads the
   * {@code versionsort} settings when they come from the repository's configuration.
   *
   * @throws RollbackException with {@link ErrorCode#REPOSITORY_FAILURE} when fetching fails
   */
  public void refresh() {
    synchronized (lock) {
      ensureOpen();
      if (remote != null) {
        remote.fetch(repo);
      }
      snapshot = null;
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>In this order: the tag exists, resolves to a commit, is accepted by the filter, its commit is
   * reachable from the release branch (the tip as it is now), and every {@linkplain
   * Builder#requiredFiles(String...) required file} is present at it.
   *
   * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} when no release branch
   *     is known ({@code HEAD} is detached and no branch was configured)
   */
  @Override
  public VersionTag verify(String tag) {
    VersionTag found = commitTag(tag);
    if (!filter.accepts(found.name())) {
      throw rejected("tag '" + tag + "' is not a version of this catalogue: it does not match the tag filter (" + filter
          + "): pick a tag the filter accepts, or change the filter");
    }
    if (branch == null) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "cannot verify tag '" + tag + "': " + source
          + " has a detached HEAD, so there is no default release branch: configure it with"
          + " GitVersionCatalog.builder()...branch(\"main\")");
    }
    try (RevWalk walk = new RevWalk(repo)) {
      Ref branchRef = branchRef(branch);
      if (branchRef == null || branchRef.getObjectId() == null) {
        throw rejected("tag '" + tag + "' cannot be verified: release branch '" + branch + "' does not exist in "
            + source + ": create it, or configure another branch with .branch(...)");
      }
      RevCommit commit = walk.parseCommit(ObjectId.fromString(found.commit()));
      RevCommit tip = walk.parseCommit(branchRef.getObjectId());
      if (!walk.isMergedInto(commit, tip)) {
        throw rejected("tag '" + tag + "' (commit " + commit.abbreviate(7).name() + ") is not reachable from release"
            + " branch '" + branch + "' (at " + tip.abbreviate(7).name() + ") of " + source + ": that commit was"
            + " never merged into '" + branch + "'; pick a tag on '" + branch + "', or configure the release branch"
            + " with .branch(...)");
      }
      List<String> missing = new ArrayList<>();
      for (String required : requiredFiles) {
        boolean folder = required.endsWith("/");
        String path = GitTreeFiles.normalize(required, folder);
        boolean present = folder
            ? GitTreeFiles.hasFileUnder(repo, commit.getTree(), path)
            : GitTreeFiles.hasFile(repo, commit.getTree(), path);
        if (!present) {
          missing.add(folder ? "'" + required + "' (a folder with at least one file)" : "'" + required + "'");
        }
      }
      if (!missing.isEmpty()) {
        throw rejected("tag '" + tag + "' lacks required file" + (missing.size() == 1 ? " " : "s ")
            + String.join(", ", missing) + " at commit " + commit.abbreviate(7).name() + ": pick a tag that has "
            + (missing.size() == 1 ? "it" : "them") + ", or change requiredFiles(...)");
      }
      return found;
    } catch (IOException e) {
      throw readFailure("tag '" + tag + "'", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Like {@code git show <tag> --stat}: the tagged commit against its first parent (against the
   * empty tree for a root commit), renames detected as git does by default, binary files counted
   * 0/0.
   *
   * @throws RollbackException with {@link ErrorCode#VERSION_REJECTED} when the tag does not exist
   *     or does not resolve to a commit
   */
  @Override
  public List<FileChange> changes(String tag) {
    VersionTag found = commitTag(tag);
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit commit = walk.parseCommit(ObjectId.fromString(found.commit()));
      ObjectId parentTree = null;
      if (commit.getParentCount() > 0) {
        parentTree = walk.parseCommit(commit.getParent(0)).getTree();
      }
      return GitDiffStat.between(repo, parentTree, commit.getTree());
    } catch (IOException e) {
      throw readFailure("the changes of tag '" + tag + "'", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Like {@code git diff --stat <from> <to>}.
   *
   * @throws RollbackException with {@link ErrorCode#VERSION_REJECTED} when either tag does not
   *     exist or does not resolve to a commit
   */
  @Override
  public List<FileChange> changesBetween(String from, String to) {
    VersionTag older = commitTag(from);
    VersionTag newer = commitTag(to);
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit a = walk.parseCommit(ObjectId.fromString(older.commit()));
      RevCommit b = walk.parseCommit(ObjectId.fromString(newer.commit()));
      return GitDiffStat.between(repo, a.getTree(), b.getTree());
    } catch (IOException e) {
      throw readFailure("the changes between tags '" + from + "' and '" + to + "'", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws RollbackException with {@link ErrorCode#VERSION_REJECTED} when the tag does not exist,
   *     or {@link ErrorCode#INVALID_CONFIGURATION} when the path is not a relative repository path
   */
  @Override
  public Optional<byte[]> read(String tag, String path) {
    String p = path(path, false);
    VersionTag found = commitTag(tag);
    try (RevWalk walk = new RevWalk(repo)) {
      return GitTreeFiles.read(repo, walk.parseCommit(ObjectId.fromString(found.commit())).getTree(), p);
    } catch (IOException e) {
      throw readFailure("'" + path + "' at tag '" + tag + "'", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Files are blobs: regular and executable files and symbolic links, not submodules. Empty when
   * the folder does not exist at the tag or is a file.
   *
   * @throws RollbackException with {@link ErrorCode#VERSION_REJECTED} when the tag does not exist,
   *     or {@link ErrorCode#INVALID_CONFIGURATION} when the folder is not a relative repository path
   */
  @Override
  public List<String> list(String tag, String dir) {
    String d = path(dir, true);
    VersionTag found = commitTag(tag);
    try (RevWalk walk = new RevWalk(repo)) {
      return GitTreeFiles.list(repo, walk.parseCommit(ObjectId.fromString(found.commit())).getTree(), d);
    } catch (IOException e) {
      throw readFailure("folder '" + dir + "' at tag '" + tag + "'", e);
    }
  }

  /**
   * @return the release branch {@link #verify} checks reachability from: the configured one, or the
   *     one {@code HEAD} named when the catalogue was opened; empty when {@code HEAD} was detached
   */
  public Optional<String> branch() {
    return Optional.ofNullable(branch);
  }

  /**
   * @return the {@code versionsort.suffix} values the order uses now, in configuration order
   */
  public List<String> versionSortSuffixes() {
    synchronized (lock) {
      ensureOpen();
      return effectiveSuffixes();
    }
  }

  /** Closes the repository. Calling it again does nothing. */
  @Override
  public void close() {
    synchronized (lock) {
      if (!closed) {
        closed = true;
        snapshot = null;
        repo.close();
      }
    }
  }

  /** @return which repository this is, e.g. {@code git version catalogue of repository /srv/app} */
  @Override
  public String toString() {
    return "git version catalogue of " + source;
  }

  private GitTags snapshot() {
    ensureOpen();
    GitTags s = snapshot;
    if (s == null) {
      synchronized (lock) {
        ensureOpen();
        s = snapshot;
        if (s == null) {
          try {
            s = GitTags.read(repo, GitVersionOrder.withSuffixes(effectiveSuffixes()), filter);
          } catch (IOException e) {
            throw readFailure("the tags", e);
          }
          snapshot = s;
        }
      }
    }
    return s;
  }

  private List<String> effectiveSuffixes() {
    if (suffixes != null) {
      return suffixes;
    }
    return GitVersionOrder.suffixesFrom(
        Arrays.asList(repo.getConfig().getStringList("versionsort", null, "suffix")),
        Arrays.asList(repo.getConfig().getStringList("versionsort", null, "prereleaseSuffix")));
  }

  /** The tag, when it resolves to a commit (filter or not); rejected otherwise. */
  private VersionTag commitTag(@Nullable String tag) {
    if (tag == null || tag.isBlank()) {
      throw rejected("tag name must not be blank, but was " + (tag == null ? "null" : "'" + tag + "'")
          + ": give a tag of " + source + ", e.g. \"v1.2.9\"");
    }
    GitTags tags = snapshot();
    Optional<VersionTag> found = tags.anyCommitTag(tag);
    if (found.isPresent()) {
      return found.get();
    }
    Optional<String> notCommit = tags.notACommit(tag);
    if (notCommit.isPresent()) {
      throw rejected("tag '" + tag + "' " + notCommit.get() + ", so it is not a deployable version: tag a commit"
          + " instead");
    }
    List<String> names = tags.allNames();
    String nearest = names.isEmpty()
        ? source + " has no tags"
        : "nearest existing tags: " + String.join(", ", NearestNames.nearest(tag, names, NEAREST_NAMES));
    throw rejected("tag '" + tag + "' does not exist in " + source + " (" + nearest + "): check the name, or call"
        + " refresh() if it was created after the catalogue read its tags");
  }

  private @Nullable Ref branchRef(String name) throws IOException {
    if (name.startsWith(Constants.R_REFS)) {
      return repo.exactRef(name);
    }
    Ref local = repo.exactRef(Constants.R_HEADS + name);
    Ref tracking = repo.exactRef(Constants.R_REMOTES + Constants.DEFAULT_REMOTE_NAME + "/" + name);
    // In a clone that a fetch keeps up to date, the remote-tracking branch is the fresher one.
    if (remote != null) {
      return tracking != null ? tracking : local;
    }
    return local != null ? local : tracking;
  }

  private static String path(String path, boolean folder) {
    try {
      return GitTreeFiles.normalize(path, folder);
    } catch (IllegalArgumentException e) {
      throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, e.getMessage());
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new RollbackException(ErrorCode.REPOSITORY_FAILURE, toString() + " was closed: open a new one with"
          + " GitVersionCatalog.open(...) or GitVersionCatalog.builder()");
    }
  }

  private RollbackException rejected(String message) {
    return new RollbackException(ErrorCode.VERSION_REJECTED, message);
  }

  private RollbackException readFailure(String what, IOException e) {
    return new RollbackException(ErrorCode.REPOSITORY_FAILURE, "could not read " + what + " from " + source + " ("
        + e.getClass().getSimpleName() + ": " + e.getMessage() + "): check that the repository is intact (git fsck)",
        e);
  }

  /**
   * Configures a {@link GitVersionCatalog}. Every setter checks its argument; problems are collected
   * and reported together by {@link #build()}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private @Nullable Path repository;
    private boolean repositoryGiven;
    private @Nullable String remoteUrl;
    private @Nullable Path cacheDir;
    private boolean remoteGiven;
    private @Nullable String user;
    private @Nullable Secret password;
    private boolean credentialsGiven;
    private @Nullable String branch;
    private TagFilter filter = TagFilter.all();
    private @Nullable List<String> suffixes;
    private final List<String> requiredFiles = new ArrayList<>();
    private Duration timeout = Duration.ofSeconds(60);
    private final List<String> problems = new ArrayList<>();

    private Builder() {}

    /**
     * @param path a local repository: a work tree holding {@code .git}, or a bare repository
     * @return this builder
     */
    public Builder repository(Path path) {
      repositoryGiven = true;
      if (path == null) {
        problems.add("repository must not be null: give the folder of a git repository, e.g. Path.of(\"/srv/app\")");
      } else {
        this.repository = path;
      }
      return this;
    }

    /**
     * A remote repository, cloned (bare) into a cache folder the first time and fetched (branches
     * and tags, deleted ones removed) whenever a catalogue is built or {@linkplain #refresh()
     * refreshed}. The folder must be missing, empty, or a clone of the same URL.
     *
     * @param url the remote, e.g. {@code https://git.example.com/team/app.git}, {@code
     *     git@git.example.com:team/app.git} or {@code file:///srv/git/app.git}
     * @param cacheDir where the clone is kept
     * @return this builder
     */
    public Builder remote(String url, Path cacheDir) {
      remoteGiven = true;
      String urlProblem = GitRemoteCache.urlProblem(url);
      if (urlProblem != null) {
        problems.add(urlProblem);
      } else {
        this.remoteUrl = url;
      }
      if (cacheDir == null) {
        problems.add("remote cache folder must not be null: give a folder for the clone, e.g."
            + " Path.of(\"/var/cache/rollback/app\")");
      } else {
        this.cacheDir = cacheDir;
      }
      return this;
    }

    /**
     * Credentials for an HTTP(S) remote (a user and a password or token). The password never
     * appears in messages or logs.
     *
     * @param user the user name
     * @param password the password or token
     * @return this builder
     */
    public Builder credentials(String user, Secret password) {
      credentialsGiven = true;
      if (user == null || user.isBlank()) {
        problems.add("credentials user must not be blank, but was " + (user == null ? "null" : "'" + user + "'")
            + ": give the account name, e.g. \"deploy-bot\"");
      } else {
        this.user = user;
      }
      if (password == null) {
        problems.add("credentials password must not be null: give Secret.of(token)");
      } else {
        this.password = password;
      }
      return this;
    }

    /**
     * @param branch the release branch: a tag must be reachable from it to pass {@link
     *     GitVersionCatalog#verify}; a short name ({@code main}, looked up in {@code refs/heads/},
     *     then {@code refs/remotes/origin/}; the other way round for a remote's cache folder) or a
     *     full ref name. Default: the branch {@code HEAD}
     *     names (for a remote, the remote's default branch)
     * @return this builder
     */
    public Builder branch(String branch) {
      if (branch == null || branch.isBlank()) {
        problems.add("branch must not be blank, but was " + (branch == null ? "null" : "'" + branch + "'")
            + ": give e.g. \"main\"");
      } else if (!Repository.isValidRefName(branch.startsWith(Constants.R_REFS) ? branch : Constants.R_HEADS + branch)) {
        problems.add("branch '" + branch + "' is not a valid branch name: give e.g. \"main\" or \"release/2024\"");
      } else {
        this.branch = branch;
      }
      return this;
    }

    /**
     * @param filter which tags count as versions; default all
     * @return this builder
     */
    public Builder filter(TagFilter filter) {
      if (filter == null) {
        problems.add("filter must not be null: give e.g. TagFilter.glob(\"v*\") or TagFilter.all()");
      } else {
        this.filter = filter;
      }
      return this;
    }

    /**
     * The prerelease suffixes of the version order, like git's multi-valued {@code
     * versionsort.suffix}, in priority order: a version with an earlier suffix sorts before one with
     * a later suffix, and both before the release without a suffix.
     *
     * @param suffixes e.g. {@code List.of("-alpha", "-beta", "-rc")}; an empty list means none.
     *     Default: the repository's {@code versionsort.suffix} values (with the user's and the
     *     system's configuration), or its deprecated {@code versionsort.prereleaseSuffix} values when
     *     {@code versionsort.suffix} is unset
     * @return this builder
     */
    public Builder versionSortSuffixes(List<String> suffixes) {
      if (suffixes == null) {
        problems.add("versionSortSuffixes must not be null: give e.g. List.of(\"-rc\"), or List.of() for none");
        return this;
      }
      List<String> copy = new ArrayList<>();
      for (String s : suffixes) {
        if (s == null || s.isEmpty()) {
          problems.add("versionSortSuffixes must not contain " + (s == null ? "null" : "an empty suffix")
              + ", but was " + suffixes + ": give e.g. List.of(\"-rc\")");
        } else {
          copy.add(s);
        }
      }
      this.suffixes = List.copyOf(copy);
      return this;
    }

    /**
     * Files every deployable version must have; {@link GitVersionCatalog#verify} rejects a tag
     * without them. A path ending in {@code /} is a folder that must hold at least one file.
     *
     * @param paths paths relative to the repository root, e.g. {@code "deploy/app.yaml",
     *     "migrations/"}
     * @return this builder
     */
    public Builder requiredFiles(String... paths) {
      if (paths == null) {
        problems.add("requiredFiles must not be null: give e.g. \"deploy/app.yaml\", \"migrations/\"");
        return this;
      }
      for (String p : paths) {
        try {
          GitTreeFiles.normalize(p, p != null && p.endsWith("/"));
          requiredFiles.add(p);
        } catch (IllegalArgumentException e) {
          problems.add("requiredFiles: " + e.getMessage());
        }
      }
      return this;
    }

    /**
     * @param timeout how long one network read of a clone or fetch may take; positive, default 60 s
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        problems.add("timeout must be positive, but was " + timeout + ": give e.g. Duration.ofSeconds(60)");
      } else {
        this.timeout = timeout;
      }
      return this;
    }

    /**
     * Checks everything, then opens the repository (cloning or fetching a remote).
     *
     * @return the catalogue; close it when done
     * @throws RollbackException with {@link ErrorCode#INVALID_CONFIGURATION} listing every problem
     *     found (bad arguments, a path that is not a repository, a branch that does not exist, a
     *     cache folder that holds something else), or {@link ErrorCode#REPOSITORY_FAILURE} when
     *     cloning or fetching fails
     */
    public GitVersionCatalog build() {
      List<String> found = new ArrayList<>(problems);
      if (!repositoryGiven && !remoteGiven) {
        found.add("no repository: give .repository(Path) for a local repository or .remote(url, cacheDir) for a"
            + " remote one");
      }
      if (repositoryGiven && remoteGiven) {
        found.add("both .repository(...) and .remote(...) were given: choose one");
      }
      if (credentialsGiven && !remoteGiven) {
        found.add("credentials apply to a remote only: give .remote(url, cacheDir), or drop .credentials(...)");
      }
      Repository repo = null;
      GitRemoteCache cache = null;
      if (repository != null) {
        repo = GitRepositoryOpener.open(repository, "repository", found);
      }
      if (remoteUrl != null && cacheDir != null) {
        cache = new GitRemoteCache(remoteUrl, cacheDir, user, password, timeout);
        cache.checkFolder(found);
      }
      String source = repo != null
          ? "repository " + repository.toAbsolutePath().normalize()
          : cache != null ? "repository " + cache : "repository";
      if (repo != null && branch != null) {
        branchProblem(repo, source, found);
      }
      if (!found.isEmpty()) {
        if (repo != null) {
          repo.close();
        }
        throw RollbackException.invalid("invalid git version catalogue", found);
      }
      if (cache != null) {
        repo = cache.openOrClone();
        if (branch != null) {
          List<String> branchProblems = new ArrayList<>();
          branchProblem(repo, source, branchProblems);
          if (!branchProblems.isEmpty()) {
            repo.close();
            throw RollbackException.invalid("invalid git version catalogue", branchProblems);
          }
        }
      }
      if (repo == null) {
        // Unreachable: either a problem was reported or one of the two sources opened.
        throw new RollbackException(ErrorCode.INVALID_CONFIGURATION, "no repository was opened: give .repository(Path)"
            + " or .remote(url, cacheDir)");
      }
      String releaseBranch = branch;
      if (releaseBranch == null) {
        try {
          Ref head = repo.exactRef(Constants.HEAD);
          if (head != null && head.isSymbolic()) {
            releaseBranch = Repository.shortenRefName(head.getTarget().getName());
          }
        } catch (IOException e) {
          repo.close();
          throw new RollbackException(ErrorCode.REPOSITORY_FAILURE, "could not read HEAD of " + source + " ("
              + e.getMessage() + "): repair the repository, or configure the release branch with .branch(...)", e);
        }
      }
      return new GitVersionCatalog(repo, source, cache, releaseBranch, filter, suffixes, List.copyOf(requiredFiles));
    }

    private void branchProblem(Repository repo, String source, List<String> out) {
      try {
        String full = branch.startsWith(Constants.R_REFS) ? branch : null;
        boolean exists = full != null
            ? repo.exactRef(full) != null
            : repo.exactRef(Constants.R_HEADS + branch) != null
                || repo.exactRef(Constants.R_REMOTES + Constants.DEFAULT_REMOTE_NAME + "/" + branch) != null;
        if (!exists) {
          Set<String> existing = new LinkedHashSet<>();
          for (Ref r : repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
            existing.add(Repository.shortenRefName(r.getName()));
          }
          out.add("branch '" + branch + "' does not exist in " + source + ": give one of "
              + (existing.isEmpty() ? "its branches (it has none yet)" : String.join(", ", existing)));
        }
      } catch (IOException e) {
        out.add("branches of " + source + " could not be read (" + e.getMessage() + "): repair the repository");
      }
    }
  }
}
