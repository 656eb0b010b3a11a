package dev.rollback.core.internal;

import dev.rollback.core.ErrorCode;
import dev.rollback.core.RollbackException;
import dev.rollback.core.Secret;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteConfig;
import org.eclipse.jgit.transport.SshSessionFactory;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local, bare clone of a remote repository kept in a cache folder: cloned when the folder is
 * missing or empty, fetched (branches and tags, deleted ones pruned) when it is already there.
 * Branches of the remote are mirrored to {@code refs/heads/*} of the clone, tags to {@code
 * refs/tags/*}, and the clone's {@code HEAD} is the remote's default branch at clone time.
 */
public final class GitRemoteCache {
  private static final Logger log = LoggerFactory.getLogger(GitRemoteCache.class);
  private static final String REMOTE = Constants.DEFAULT_REMOTE_NAME;
  private static final Set<String> SCHEMES =
      Set.of("file", "http", "https", "ssh", "git", "ftp", "ftps", "sftp", "git+ssh", "ssh+git");
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
  private static final Pattern SCP_LIKE = Pattern.compile("([^@/:\\s]+@)?[^@/:\\s]+:[^\\s].*");
  private static final Pattern USERINFO_PASSWORD = Pattern.compile("(://[^/@:]*:)[^/@]*@");

  private final String url;
  private final Path dir;
  private final @Nullable String user;
  private final @Nullable Secret password;
  private final int timeoutSeconds;

  /**
   * @param url the remote's URL, already checked with {@link #urlProblem(String)}
   * @param dir the cache folder
   * @param user the user name, or null for none (or credentials in the URL)
   * @param password the password or token, or null
   * @param timeout how long one network read may take
   */
  public GitRemoteCache(String url, Path dir, @Nullable String user, @Nullable Secret password, Duration timeout) {
    this.url = url;
    this.dir = dir.toAbsolutePath().normalize();
    this.user = user;
    this.password = password;
    this.timeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
  }

  /**
   * Checks a remote URL the way a user would expect: {@code scheme://host/path} with a known scheme
   * (file, http(s), ssh, git, ftp(s), sftp), an scp-like address ({@code user@host:path}), or an
   * absolute local path. SSH addresses also need an SSH transport for JGit on the classpath.
   *
   * @param url the URL
   * @return what is wrong with it, naming the value and the fix, or null when it is fine
   */
  public static @Nullable String urlProblem(@Nullable String url) {
    if (url == null || url.isBlank()) {
      return "remote URL must not be blank, but was " + (url == null ? "null" : "'" + url + "'")
          + ": give e.g. \"https://git.example.com/team/app.git\"";
    }
    String shown = redact(url);
    String fix = ": give e.g. \"https://git.example.com/team/app.git\", \"git@git.example.com:team/app.git\" or"
        + " \"file:///srv/git/app.git\"";
    if (url.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      return "remote URL '" + shown + "' is malformed: it contains whitespace or control characters (percent-encode"
          + " them, e.g. %20)" + fix;
    }
    int schemeEnd = url.indexOf("://");
    URIish parsed;
    try {
      parsed = new URIish(url);
    } catch (URISyntaxException e) {
      return "remote URL '" + shown + "' is malformed (" + e.getMessage() + ")" + fix;
    }
    if (schemeEnd >= 0) {
      String scheme = url.substring(0, schemeEnd);
      if (!SCHEME.matcher(scheme).matches() || !SCHEMES.contains(scheme.toLowerCase(Locale.ROOT))) {
        return "remote URL '" + shown + "' is malformed: '" + scheme + "' is not a git transport (use file, http,"
            + " https, ssh, git, ftp, ftps or sftp)" + fix;
      }
      boolean local = scheme.equalsIgnoreCase("file");
      if (!local && (parsed.getHost() == null || parsed.getHost().isEmpty())) {
        return "remote URL '" + shown + "' is malformed: it names no host" + fix;
      }
      String path = parsed.getPath();
      if (path == null || path.isEmpty() || path.equals("/")) {
        return "remote URL '" + shown + "' is malformed: it names no repository path" + fix;
      }
      return scheme.toLowerCase(Locale.ROOT).contains("ssh") ? sshProblem(shown) : null;
    }
    if (url.startsWith("/")) {
      return null;
    }
    if (SCP_LIKE.matcher(url).matches()) {
      return sshProblem(shown);
    }
    return "remote URL '" + shown + "' is malformed: it is neither scheme://host/path, an scp-like user@host:path"
        + " nor an absolute path" + fix;
  }

  /** JGit's core has no SSH client; one comes with an extra JGit module found through ServiceLoader. */
  private static @Nullable String sshProblem(String shown) {
    if (SshSessionFactory.getInstance() != null) {
      return null;
    }
    return "remote URL '" + shown + "' needs SSH, and no SSH transport for JGit is on the classpath: add"
        + " org.eclipse.jgit:org.eclipse.jgit.ssh.apache (same version as org.eclipse.jgit), or use the https URL with"
        + " .credentials(user, token)";
  }

  /**
   * @param url a URL
   * @return the URL with the password of its user information, if any, replaced by {@value
   *     Secret#REDACTED}
   */
  public static String redact(String url) {
    return USERINFO_PASSWORD.matcher(url).replaceAll("$1" + Secret.REDACTED + "@");
  }

  /** @return the remote's URL with any password in it redacted */
  public String displayUrl() {
    return redact(url);
  }

  /** @return the cache folder */
  public Path dir() {
    return dir;
  }

  /**
   * Checks the cache folder without changing it: it must be missing, empty, or a clone of this
   * remote.
   *
   * @param problems where problems are added, each naming the folder and the fix
   */
  public void checkFolder(List<String> problems) {
    if (!Files.exists(dir)) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      problems.add("cache folder " + dir + " is a file: give a folder (missing or empty) for the clone");
      return;
    }
    if (isEmpty()) {
      return;
    }
    if (!GitRepositoryOpener.isRepository(dir)) {
      problems.add("cache folder " + dir + " holds other files and is not a git repository: give a missing or empty"
          + " folder for the clone");
      return;
    }
    Repository repo = GitRepositoryOpener.open(dir, "cache folder", problems);
    if (repo == null) {
      return;
    }
    try (repo) {
      String origin = repo.getConfig().getString("remote", REMOTE, "url");
      if (origin == null) {
        problems.add("cache folder " + dir + " is a git repository without a remote '" + REMOTE + "': give another"
            + " folder, or delete it to clone " + displayUrl() + " again");
      } else if (!sameUrl(origin, url)) {
        problems.add("cache folder " + dir + " holds a clone of " + redact(origin) + ", not of " + displayUrl()
            + ": give another folder, or delete it to clone again");
      }
    }
  }

  private static boolean sameUrl(String a, String b) {
    return trimUrl(a).equals(trimUrl(b));
  }

  private static String trimUrl(String u) {
    String t = u;
    while (t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }

  private boolean isEmpty() {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Clones the remote into the cache folder when the folder is missing or empty, otherwise opens
   * the clone there and fetches.
   *
   * @return the clone, open; the caller closes it
   * @throws RollbackException with {@link ErrorCode#REPOSITORY_FAILURE} when cloning or fetching
   *     fails
   */
  public Repository openOrClone() {
    if (!Files.exists(dir) || isEmpty()) {
      return cloneIntoFolder();
    }
    List<String> problems = new ArrayList<>();
    Repository repo = GitRepositoryOpener.open(dir, "cache folder", problems);
    if (repo == null) {
      throw new RollbackException(ErrorCode.REPOSITORY_FAILURE, String.join("; ", problems));
    }
    try {
      fetch(repo);
    } catch (RuntimeException e) {
      repo.close();
      throw e;
    }
    return repo;
  }

  private Repository cloneIntoFolder() {
    log.info("cloning {} into {}", displayUrl(), dir);
    try {
      Git git = Git.cloneRepository()
          .setURI(url)
          .setDirectory(dir.toFile())
          .setBare(true)
          .setCloneAllBranches(true)
          .setTagOption(TagOpt.FETCH_TAGS)
          .setCredentialsProvider(credentials())
          .setTimeout(timeoutSeconds)
          .call();
      return git.getRepository();
    } catch (GitAPIException | JGitInternalException e) {
      throw failure("could not clone " + displayUrl() + " into " + dir, e);
    }
  }

  /**
   * Fetches every branch and tag of the remote into the clone, removing those the remote no longer
   * has.
   *
   * @param repo the clone
   * @throws RollbackException with {@link ErrorCode#REPOSITORY_FAILURE} when fetching fails
   */
  public void fetch(Repository repo) {
    log.debug("fetching {} into {}", displayUrl(), dir);
    try (Git git = Git.wrap(repo)) {
      List<RefSpec> specs = new ArrayList<>(new RemoteConfig(repo.getConfig(), REMOTE).getFetchRefSpecs());
      if (specs.isEmpty()) {
        specs.add(new RefSpec(repo.isBare() ? "+refs/heads/*:refs/heads/*" : "+refs/heads/*:refs/remotes/origin/*"));
      }
      specs.add(new RefSpec("+refs/tags/*:refs/tags/*"));
      git.fetch()
          .setRemote(REMOTE)
          .setRefSpecs(specs)
          .setRemoveDeletedRefs(true)
          .setTagOpt(TagOpt.FETCH_TAGS)
          .setCredentialsProvider(credentials())
          .setTimeout(timeoutSeconds)
          .call();
    } catch (GitAPIException | JGitInternalException | URISyntaxException e) {
      throw failure("could not fetch " + displayUrl() + " into " + dir, e);
    }
  }

  private @Nullable CredentialsProvider credentials() {
    return user == null || password == null ? null : new UsernamePasswordCredentialsProvider(user, password.reveal());
  }

  private RollbackException failure(String what, Exception e) {
    String reason = String.valueOf(e.getMessage());
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != e && root.getMessage() != null && !reason.contains(root.getMessage())) {
      reason = reason + " (" + root.getMessage() + ")";
    }
    boolean leaks = false;
    for (Throwable t = e; t != null && password != null; t = t.getCause() == t ? null : t.getCause()) {
      leaks |= t.getMessage() != null && t.getMessage().contains(password.reveal());
    }
    // Never let the secret travel in a stack trace.
    return new RollbackException(ErrorCode.REPOSITORY_FAILURE, what + ": " + mask(reason)
        + ": check the URL, that the repository exists and is reachable, and the credentials", leaks ? null : e);
  }

  private String mask(String text) {
    String masked = redact(text);
    return password == null ? masked : masked.replace(password.reveal(), Secret.REDACTED);
  }

  @Override
  public String toString() {
    return displayUrl() + " (cached in " + dir + ")";
  }
}
