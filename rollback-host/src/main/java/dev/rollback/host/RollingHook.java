package dev.rollback.host;

/**
 * Something done for one host around its switch: take it out of the load balancer before, put it
 * back after.
 *
 * <pre>{@code
 * RollingHook drain = host -> haproxy.drain("app/" + host.host());
 * }</pre>
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface RollingHook {

  /** A hook that does nothing. */
  RollingHook NONE = host -> {};

  /**
   * @param host the host
   * @throws Exception a failure; the host is marked FAILED with this message
   */
  void run(SshHost host) throws Exception;
}
